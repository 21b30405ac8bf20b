from __future__ import annotations

import sys

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as django_server_error

from .middleware import DATABASE_ERRORS, database_unavailable_response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: one cheap query, no session, no user."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler, with the 503 page for a database outage.

    DatabaseUnavailableMiddleware catches errors in views; this catches the ones raised
    in other middleware, such as saving the session at the end of a request.
    """
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response()
    return django_server_error(request)

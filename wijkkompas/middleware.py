"""Middleware for running Wijkkompas in production: a request log and a calm answer when the
database is down."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

request_logger = logging.getLogger("wijkkompas.requests")
db_logger = logging.getLogger("wijkkompas.database")

# Load balancers poll /healthz every few seconds: a line for each would drown the real requests.
UNLOGGED_PATHS = {"/healthz"}
# A password reset, an email confirmation or an invitation carries a secret in its URL.
SECRET_URL_ARGUMENTS = ("key", "token", "uidb36", "uidb64")

DATABASE_ERRORS = (OperationalError, InterfaceError)


def loggable_path(request: HttpRequest) -> str:
    """The path without query string and without secrets that the URL itself carries."""
    path = request.path
    match = request.resolver_match
    if match is not None:
        for name in SECRET_URL_ARGUMENTS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), "[hidden]")
    return path


class RequestLogMiddleware:
    """One line per request with method, path, status and duration.

    Nothing that points to a person: no query string (search terms, email addresses in
    links), no user and no IP address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if request.path not in UNLOGGED_PATHS:
            duration_ms = (time.perf_counter() - started) * 1000
            request_logger.info(
                "%s %s %s %.0fms", request.method, loggable_path(request), response.status_code, duration_ms
            )
        return response


def database_unavailable_response() -> HttpResponse:
    # Rendered without the request: the context processors would ask the database for the
    # user and the messages, and that is exactly what fails.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """A clear 503 page instead of a traceback while the database cannot be reached.

    Django closes a connection that raised an error at the end of the request, and
    CONN_HEALTH_CHECKS tests a reused one before the next, so the app recovers by itself
    when the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        # An outage, not a bug: one line instead of a traceback for every request.
        db_logger.error("Database unavailable during %s %s: %s", request.method, loggable_path(request), exception)
        return database_unavailable_response()

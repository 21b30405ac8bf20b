"""/healthz tells a load balancer whether this instance can reach its database."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper


def database_down(monkeypatch) -> None:
    def execute(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", execute)


@pytest.mark.django_db
class TestHealthz:
    def test_it_answers_ok_with_one_query_and_no_session(self, client, django_assert_num_queries):
        with django_assert_num_queries(1):
            response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        assert "Set-Cookie" not in response.headers
        assert "no-store" in response.headers["Cache-Control"]

    def test_it_answers_503_when_the_database_is_down(self, client, monkeypatch):
        database_down(monkeypatch)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "error", "database": "unavailable"}

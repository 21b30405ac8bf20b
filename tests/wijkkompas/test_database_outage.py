"""While the database cannot be reached, people get a calm Dutch 503 page, never a traceback,
and the site works again as soon as the database is back."""

from __future__ import annotations

import logging

import pytest
from django.db import InterfaceError
from django.test import Client
from django.urls import reverse

from .test_healthz import database_down


@pytest.mark.django_db
class TestDatabaseOutage:
    def test_a_page_gets_the_503_page(self, client, kompas, monkeypatch):
        database_down(monkeypatch)
        response = client.get(reverse("navigator:overview"))
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        html = response.content.decode()
        assert "Wijkkompas is even niet beschikbaar" in html
        assert "Probeer het over een minuut opnieuw." in html
        assert "Traceback" not in html and "OperationalError" not in html

    def test_a_logged_in_user_gets_the_503_page_too(self, editor, kompas, monkeypatch):
        client = Client(raise_request_exception=False)
        client.force_login(editor)
        database_down(monkeypatch)
        response = client.get(reverse("navigator:overview"))
        assert response.status_code == 503
        assert "Wijkkompas is even niet beschikbaar" in response.content.decode()

    def test_a_failure_inside_middleware_gets_the_503_page(self, editor, monkeypatch):
        # For /beheer/ the two-factor check reads the session and the user in middleware,
        # before any view; the 500 handler turns that failure into the same 503 page.
        client = Client(raise_request_exception=False)
        client.force_login(editor)
        database_down(monkeypatch)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 503
        assert "Wijkkompas is even niet beschikbaar" in response.content.decode()

    def test_a_lost_connection_counts_as_an_outage(self, client, kompas, monkeypatch):
        def execute(*args, **kwargs):
            raise InterfaceError("connection already closed")

        monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", execute)
        assert client.get(reverse("navigator:overview")).status_code == 503

    def test_the_outage_is_logged_in_one_line_without_traceback(self, client, kompas, monkeypatch, caplog):
        database_down(monkeypatch)
        with caplog.at_level(logging.INFO):
            client.get(reverse("navigator:search"), {"q": "warmte"})
        record = next(r for r in caplog.records if r.name == "wijkkompas.database")
        assert record.getMessage().startswith("Database unavailable during GET /zoeken/: connection to server")
        assert record.exc_info is None

    def test_the_site_recovers_by_itself_when_the_database_is_back(self, client, kompas, monkeypatch):
        kompas.add_knooppunt(1, 1, title="Samen beginnen")
        with monkeypatch.context() as outage:
            database_down(outage)
            assert client.get(reverse("navigator:overview")).status_code == 503
        response = client.get(reverse("navigator:overview"))
        assert response.status_code == 200
        assert "Samen beginnen" in response.content.decode()

    def test_other_errors_still_get_the_500_page(self, kompas, monkeypatch):
        def execute(*args, **kwargs):
            raise ZeroDivisionError

        monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", execute)
        response = Client(raise_request_exception=False).get(reverse("navigator:overview"))
        assert response.status_code == 500
        assert "Er ging iets mis" in response.content.decode()

"""One log line per request: method, path, status and duration, and nothing that points to a person."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

LINE = re.compile(r"^(GET|POST) (\S+) (\d{3}) (\d+)ms$")


def request_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "wijkkompas.requests"]


@pytest.mark.django_db
class TestRequestLog:
    def test_it_writes_one_line_with_method_path_status_and_duration(self, client, kompas, caplog):
        with caplog.at_level(logging.INFO):
            client.get(reverse("navigator:overview"))
            client.get("/bestaat-niet/")
        lines = request_lines(caplog)
        assert len(lines) == 2
        method, path, status, _ = LINE.match(lines[0]).groups()
        assert (method, path, status) == ("GET", "/", "200")
        assert LINE.match(lines[1]).groups()[1:3] == ("/bestaat-niet/", "404")

    def test_it_leaves_out_query_strings_users_and_addresses(self, editor_client, kompas, caplog):
        with caplog.at_level(logging.DEBUG, logger="wijkkompas"):
            editor_client.get(reverse("navigator:search"), {"q": "jan.jansen@example.org"}, REMOTE_ADDR="203.0.113.7")
        logged = "\n".join(record.getMessage() for record in caplog.records)
        assert "GET /zoeken/ 200" in logged
        assert "jan.jansen" not in logged
        assert "eva.redacteur" not in logged and "Eva" not in logged
        assert "203.0.113.7" not in logged

    def test_it_hides_secrets_that_a_url_carries(self, client, caplog):
        url = reverse("account_confirm_email", args=["MQ:1vXyZ:geheime-sleutel"])
        with caplog.at_level(logging.INFO):
            client.get(url)
        (line,) = request_lines(caplog)
        assert "geheime-sleutel" not in line
        assert line.startswith("GET /accounts/confirm-email/[hidden]/ ")

    def test_the_health_check_is_not_logged(self, client, caplog):
        with caplog.at_level(logging.INFO):
            client.get("/healthz")
        assert request_lines(caplog) == []

    def test_an_error_is_logged_with_its_traceback(self, kompas, monkeypatch, caplog):
        def execute(*args, **kwargs):
            raise ZeroDivisionError("kapot")

        monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", execute)
        with caplog.at_level(logging.INFO):
            Client(raise_request_exception=False).get(reverse("navigator:overview"), {"q": "privé"})
        error = next(record for record in caplog.records if record.name == "django.request")
        assert error.levelno == logging.ERROR
        assert error.getMessage() == "Internal Server Error: /"
        assert error.exc_info is not None and error.exc_info[0] is ZeroDivisionError
        assert "GET / 500" in "\n".join(request_lines(caplog))

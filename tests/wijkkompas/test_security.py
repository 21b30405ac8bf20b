"""Security settings: `check --deploy` is clean, and every response carries the protective
headers. Production behaviour is checked with the settings that production variables give
(support.as_production)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from .support import HOST, as_production


def test_check_deploy_is_clean_with_production_settings():
    output = io.StringIO()
    with as_production():
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=output, stderr=output)
    assert "System check identified no issues" in output.getvalue()
    assert "WARNINGS" not in output.getvalue()


def describe(response) -> dict:
    return {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {name: dict(morsel) for name, morsel in response.cookies.items()},
    }


@pytest.fixture
def production_responses(db) -> dict:
    with as_production():
        client = Client(HTTP_HOST=HOST)
        return {
            "https_healthz": describe(client.get("/healthz", secure=True)),
            "https_login": describe(client.get("/accounts/login/", secure=True)),
            "http_login": describe(client.get("/accounts/login/")),
            "http_healthz": describe(client.get("/healthz")),
        }


class TestProductionResponses:
    def test_https_responses_carry_hsts_for_a_year_with_subdomains(self, production_responses):
        hsts = production_responses["https_healthz"]["headers"]["Strict-Transport-Security"]
        assert hsts == "max-age=31536000; includeSubDomains; preload"

    def test_plain_http_is_redirected_to_https_except_the_health_check(self, production_responses):
        assert production_responses["http_login"]["status"] == 301
        assert production_responses["http_login"]["headers"]["Location"] == f"https://{HOST}/accounts/login/"
        assert production_responses["http_healthz"]["status"] == 200

    def test_frames_referrer_and_sniffing_are_denied(self, production_responses):
        headers = production_responses["https_login"]["headers"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]

    def test_the_csrf_cookie_is_secure_and_http_only(self, production_responses):
        cookie = production_responses["https_login"]["cookies"]["csrftoken"]
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"

    def test_the_session_cookie_is_secure_and_http_only(self, production):
        assert production["SESSION_COOKIE_SECURE"] is True
        assert production["SESSION_COOKIE_HTTPONLY"] is True
        assert production["CSRF_COOKIE_SECURE"] is True


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
class TestContentSecurityPolicy:
    def test_pages_allow_scripts_and_styles_only_from_our_own_files(self, client, kompas):
        response = client.get(reverse("navigator:overview"))
        policy = csp_directives(response.headers["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]

    def test_htmx_is_configured_to_work_within_the_policy(self, client, kompas):
        html = client.get(reverse("navigator:overview")).content.decode()
        config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
        assert config is not None
        assert json.loads(config.group(1)) == {
            "includeIndicatorStyles": False,
            "allowEval": False,
            "allowScriptTags": False,
            # Settling copies attributes onto swapped elements; a style attribute would break the policy.
            "attributesToSettle": ["class", "width", "height"],
        }

    def test_a_rendered_page_has_no_inline_script_or_style(self, client, kompas):
        kompas.add_many(3)
        html = client.get(reverse("navigator:overview")).content.decode()
        assert_no_inline_code(html, "the overview page")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\-][\w:-]*)=", re.IGNORECASE)


def assert_no_inline_code(html: str, where: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"inline <script> in {where}"
    assert not INLINE_STYLE.search(html), f"inline style in {where}"
    assert not INLINE_HANDLER.search(html), f"inline event handler in {where}"


def test_no_template_has_inline_script_style_or_event_handler():
    templates = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
    assert templates
    for template in templates:
        assert_no_inline_code(template.read_text(), str(template.relative_to(settings.BASE_DIR)))


@pytest.mark.django_db
def test_the_session_cookie_is_http_only(client, django_user_model):
    user = django_user_model.objects.create_user(email="piet@example.org", password="een-goed-wachtwoord-7")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": "piet@example.org", "password": "een-goed-wachtwoord-7"})
    assert client.cookies["sessionid"]["httponly"] is True

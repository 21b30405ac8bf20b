"""allauth's pages in the site's look and in Dutch with "u"; after login, Mijn projecten."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from .conftest import MEMBER_PASSWORD

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
class TestLoginRedirect:
    def test_it_lands_on_mijn_projecten(self, client, member):
        response = client.post(reverse("account_login"), {"login": member.email, "password": MEMBER_PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("projects:list")

    def test_a_next_page_wins(self, client, member):
        response = client.post(
            reverse("account_login") + "?next=/begrippen/", {"login": member.email, "password": MEMBER_PASSWORD}
        )
        assert response["Location"] == "/begrippen/"


@pytest.mark.django_db
class TestUWording:
    @pytest.mark.parametrize(
        "name", ["account_login", "account_signup", "account_reset_password", "account_email_verification_sent"]
    )
    def test_public_account_pages_say_u(self, client, name):
        html = client.get(reverse(name)).content.decode()
        assert INFORMAL.findall(visible_text(html)) == []
        assert "<body" in html and "utrecht-page-header" in html  # the site's own layout

    @pytest.mark.parametrize("name", ["account_logout", "account_email", "account_change_password", "mfa_index"])
    def test_pages_behind_login_say_u(self, client, member, name):
        client.force_login(member)
        html = client.get(reverse(name)).content.decode()
        assert INFORMAL.findall(visible_text(html)) == []

    def test_the_logout_question_uses_u(self, client, member):
        client.force_login(member)
        assert "Weet u zeker dat u wilt uitloggen?" in client.get(reverse("account_logout")).content.decode()

    def test_a_new_account_is_told_about_its_confirmation_mail_in_plain_dutch(self, client):
        response = client.post(
            reverse("account_signup"),
            {"first_name": "Noor", "email": "noor@example.org", "password1": "een-lang-wachtwoord-7",
             "password2": "een-lang-wachtwoord-7"},
            follow=True,
        )  # fmt: skip
        assert "We hebben een bevestigingsmail gestuurd naar noor@example.org." in response.content.decode()
        # The email speaks as Wijkkompas, not as the server's address ("Hello from testserver!").
        confirmation = mail.outbox[-1]
        assert confirmation.subject == "Wijkkompas: Bevestig uw e-mailadres"
        assert confirmation.body.startswith("Hallo,")
        assert "account in Wijkkompas" in confirmation.body and "/accounts/confirm-email/" in confirmation.body
        assert "testserver" not in confirmation.body.replace("http://testserver/", "")
        assert "Kijk dan in de map met ongewenste e-mail" in response.content.decode()

    def test_logging_in_before_confirming_sends_the_email_again_as_the_page_promises(self, client):
        data = {"first_name": "Noor", "email": "noor@example.org", "password1": "een-lang-wachtwoord-7"}
        client.post(reverse("account_signup"), {**data, "password2": data["password1"]})
        client.logout()
        mail.outbox.clear()
        with override_settings(ACCOUNT_EMAIL_CONFIRMATION_COOLDOWN=0):
            client.post(reverse("account_login"), {"login": "noor@example.org", "password": data["password1"]})
        assert [message.to for message in mail.outbox] == [["noor@example.org"]]

    def test_a_wrong_password_is_told_with_u(self, client, member):
        response = client.post(reverse("account_login"), {"login": member.email, "password": "fout"})
        assert "Het e-mailadres of het wachtwoord dat u hebt ingevuld, klopt niet." in response.content.decode()


@pytest.mark.django_db
class TestFormStyle:
    def test_an_empty_login_gets_a_summary_and_marked_fields(self, client):
        html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()
        summary = html[html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))]
        assert 'role="alert"' in summary and "data-error-summary" in summary
        assert "Controleer wat u hebt ingevuld" in summary
        assert 'href="#id_login"' in summary and "Dit veld is verplicht." in summary
        login_input = re.search(r'<input[^>]*id="id_login"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in login_input
        assert "id_login_error" in re.search(r'aria-describedby="([^"]*)"', login_input).group(1)
        assert 'id="id_login_error"' in html
        assert re.search(r"<form[^>]*novalidate", html)  # never the browser's English message
        assert "Please fill" not in html and "This field is required" not in html

    def test_a_valid_form_has_no_summary(self, client):
        html = client.get(reverse("account_login")).content.decode()
        assert "error-summary" not in html and 'aria-invalid="true"' not in html

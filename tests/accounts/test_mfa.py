"""Two-factor login (TOTP with recovery codes): available to everyone, required for staff."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.conftest import EDITOR_TOTP_SECRET, totp_code

from .conftest import confirm_password, log_in


@pytest.fixture
def new_editor(db, django_user_model):
    """Staff without an authenticator app yet, like the demo editor on first login."""
    user = django_user_model.objects.create_user(
        email="nieuw@example.org", password="nieuw-wachtwoord-8", is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.django_db
class TestStaffNeedTwoFactor:
    def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(self, client, new_editor):
        client.force_login(new_editor)
        response = client.get(reverse("admin:index"), follow=True)
        assert response.redirect_chain[0] == (reverse("mfa_activate_totp"), 302)
        assert "Voor Beheer is inloggen in twee stappen verplicht." in response.content.decode()

    def test_staff_with_an_authenticator_app_get_in(self, editor_client):
        response = editor_client.get(reverse("admin:index"))
        assert response.status_code == 200
        assert "Wijkkompas beheer" in response.content.decode()

    def test_staff_can_still_log_out_of_beheer(self, client, new_editor):
        client.force_login(new_editor)
        response = client.post(reverse("admin:logout"))
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_other_users_are_not_forced(self, member_client):
        response = member_client.get(reverse("accounts:account"))
        assert response.status_code == 200
        assert "Inloggen in twee stappen staat uit." in response.content.decode()

    def test_setting_up_the_app_opens_beheer(self, client, new_editor):
        log_in(client, new_editor.email, "nieuw-wachtwoord-8")
        response = client.get(reverse("admin:index"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
        confirm_password(client, "nieuw-wachtwoord-8")
        page = client.get(reverse("mfa_activate_totp"))
        assert page.status_code == 200
        assert 'src="data:image/svg+xml;base64,' in page.content.decode()
        secret = client.session[SECRET_SESSION_KEY]
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
        assert response.status_code == 302
        assert Authenticator.objects.filter(user=new_editor, type=Authenticator.Type.TOTP).exists()
        assert Authenticator.objects.filter(user=new_editor, type=Authenticator.Type.RECOVERY_CODES).exists()
        assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
class TestLoggingInWithTwoFactor:
    def test_the_admin_login_is_allauths_login(self, client):
        response = client.get(reverse("admin:login"), {"next": "/beheer/"})
        assert response.status_code == 302
        assert response["Location"] == reverse("account_login") + "?next=%2Fbeheer%2F"

    def test_a_password_alone_is_not_enough_when_the_app_is_set_up(self, client, editor):
        response = client.post(reverse("account_login"), {"login": editor.email, "password": "geheim-wachtwoord-1"})
        assert response["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("admin:index")).status_code == 302

    def test_the_code_from_the_app_completes_the_login(self, client, editor):
        client.post(reverse("account_login"), {"login": editor.email, "password": "geheim-wachtwoord-1"})
        client.post(reverse("mfa_authenticate"), {"code": totp_code(EDITOR_TOTP_SECRET)})
        assert client.session["_auth_user_id"] == str(editor.pk)
        assert client.get(reverse("admin:index")).status_code == 200

    def test_a_wrong_code_does_not_log_in(self, client, editor):
        client.post(reverse("account_login"), {"login": editor.email, "password": "geheim-wachtwoord-1"})
        wrong = f"{(int(totp_code(EDITOR_TOTP_SECRET)) + 1) % 1_000_000:06d}"
        response = client.post(reverse("mfa_authenticate"), {"code": wrong})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_every_user_can_turn_it_on(self, member_client):
        response = member_client.get(reverse("mfa_activate_totp"))
        assert response.status_code == 200
        assert Client().get(reverse("mfa_activate_totp")).status_code == 302

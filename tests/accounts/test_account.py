"""Mijn account: download all personal data, delete the account. History keeps the facts but
no longer names a deleted user."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from accounts import export
from accounts.models import User
from knooppunten.models import Knooppunt


@pytest.mark.django_db
class TestAccountPage:
    def test_it_offers_two_factor_download_and_deletion(self, member_client):
        html = member_client.get(reverse("accounts:account")).content.decode()
        assert "U bent ingelogd als mila.bewoner@example.org." in html
        assert reverse("mfa_index") in html
        assert reverse("accounts:export") in html
        assert reverse("accounts:delete") in html

    def test_it_needs_a_login(self, client):
        response = client.get(reverse("accounts:account"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
class TestExport:
    def test_it_downloads_all_personal_data_as_json(self, member_client, member, kompas):
        knooppunt = kompas.add_knooppunt(1, 1)
        knooppunt._history_user = member
        knooppunt.title = "Nieuwe titel"
        knooppunt.save()
        TOTP.activate(member, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

        response = member_client.get(reverse("accounts:export"))

        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"] == 'attachment; filename="wijkkompas-mijn-gegevens.json"'
        data = json.loads(response.content)
        assert data["account"]["email"] == "mila.bewoner@example.org"
        assert data["account"]["last_name"] == "de Vries"
        assert data["email_addresses"] == [{"email": "mila.bewoner@example.org", "verified": True, "primary": True}]
        assert [item["type"] for item in data["two_factor"]] == ["totp"]
        assert data["content_changes"] == [
            {
                "model": "knooppunten.Knooppunt",
                "object_id": knooppunt.pk,
                "date": data["content_changes"][0]["date"],
                "change": "changed",
                "reason": None,
            }
        ]

    def test_it_never_contains_secrets(self, member_client, member):
        TOTP.activate(member, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        body = member_client.get(reverse("accounts:export")).content.decode()
        assert "JBSWY3DP" not in body
        assert member.password not in body and "pbkdf2" not in body

    def test_another_app_can_add_its_part(self, member_client, monkeypatch):
        monkeypatch.setitem(export.PARTS, "projects", lambda user: [{"project": "Bloemenbuurt", "role": "lid"}])
        data = json.loads(member_client.get(reverse("accounts:export")).content)
        assert data["projects"] == [{"project": "Bloemenbuurt", "role": "lid"}]

    def test_it_asks_for_the_password_again_after_an_old_login(self, client, member):
        client.force_login(member)  # no recent password entry in this session
        response = client.get(reverse("accounts:export"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))


@pytest.mark.django_db
class TestDelete:
    def test_it_asks_for_confirmation(self, member_client, member):
        response = member_client.post(reverse("accounts:delete"), {})
        assert "Zet een vinkje als u zeker weet dat u uw account wilt verwijderen." in response.content.decode()
        assert User.objects.filter(pk=member.pk).exists()

    def test_it_deletes_the_account_and_logs_out(self, member_client, member):
        TOTP.activate(member, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        response = member_client.post(reverse("accounts:delete"), {"confirm": "on"}, follow=True)
        assert "Uw account en uw gegevens zijn verwijderd." in response.content.decode()
        assert not User.objects.filter(email="mila.bewoner@example.org").exists()
        assert not Authenticator.objects.filter(user_id=member.pk).exists()
        assert member_client.get(reverse("accounts:account")).status_code == 302

    def test_history_keeps_the_change_without_the_name(self, member_client, member, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Oude titel")
        knooppunt._history_user = member
        knooppunt.title = "Nieuwe titel"
        knooppunt.save()
        member_client.post(reverse("accounts:delete"), {"confirm": "on"})
        change = Knooppunt.history.get(title="Nieuwe titel")
        assert change.history_type == "~"
        assert change.history_user is None

    def test_it_asks_for_the_password_again_after_an_old_login(self, client, member):
        client.force_login(member)
        response = client.post(reverse("accounts:delete"), {"confirm": "on"})
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        assert User.objects.filter(pk=member.pk).exists()


def test_no_record_blocks_deleting_a_user_and_history_forgets_who():
    """A PROTECT would make deletion fail; a history that CASCADEs would lose the facts."""
    for model in apps.get_models():
        for field in model._meta.fields:
            if field.is_relation and field.related_model is User:
                assert field.remote_field.on_delete not in (models.PROTECT, models.RESTRICT), field
                if field.name == "history_user":
                    assert field.remote_field.on_delete is models.SET_NULL, field


@pytest.mark.django_db
def test_an_anonymous_visitor_cannot_export(client):
    assert Client().get(reverse("accounts:export")).status_code == 302

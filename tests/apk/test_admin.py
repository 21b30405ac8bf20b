"""The admin shows what a snapshot holds, not its raw votes (each with its kind of party)."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from apk import services
from tests.conftest import EDITOR_TOTP_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(django_user_model):
    """A superuser with two-factor login set up (the admin asks for it)."""
    user = django_user_model.objects.create_superuser(email="beheer@example.org", password="een-lang-wachtwoord-1")
    TOTP.activate(user, EDITOR_TOTP_SECRET)
    client = Client()
    client.force_login(user)
    return client


def test_the_snapshot_page_shows_a_summary_without_the_votes(team, running, opened, phone_factory, admin_client):
    _phone, anna = phone_factory(opened, party="bewoners")
    services.apk_vote_cast(participant=anna, question_id=running.pk, score="rood", trend="gelijk", comment="Geheim")
    snapshot = services.apk_session_close(session=opened, by=team.leider)
    response = admin_client.get(reverse("admin:apk_snapshot_change", args=[snapshot.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "6 vragen, 1 deelnemers, 0 knooppunten, 0 acties" in html
    assert "Geheim" not in html and '"party"' not in html and "&quot;party&quot;" not in html

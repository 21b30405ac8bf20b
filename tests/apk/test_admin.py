"""The APK admin: a snapshot shows what it holds, not its raw votes (each with its kind of party),
and a change to a session keeps the portfolio current."""

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


class TestTheAdminKeepsThePortfolioCurrent:
    """The portfolio shows each project's last APK session from a cached table: a change made in
    the admin raises the project's cache version, as the services do (wijkkompas/caching.py)."""

    def version(self, team) -> int:
        team.project.refresh_from_db()
        return team.project.cache_version

    def test_a_changed_date(self, team, opened, admin_client):
        services.apk_session_close(session=opened, by=team.leider)
        before = self.version(team)
        questions = list(opened.questions.order_by("order"))
        data = {
            "project": team.project.pk,
            "title": opened.title,
            "date": "2026-04-01",
            "variant": opened.variant,
            "created_by": team.leider.pk,
            "questions-TOTAL_FORMS": len(questions),
            "questions-INITIAL_FORMS": len(questions),
            "questions-MIN_NUM_FORMS": 0,
            "questions-MAX_NUM_FORMS": 1000,
        }
        for i, question in enumerate(questions):
            data |= {
                f"questions-{i}-id": question.pk,
                f"questions-{i}-session": opened.pk,
                f"questions-{i}-order": question.order,
                f"questions-{i}-text": question.text,
                f"questions-{i}-spoor": question.spoor_id or "",
                f"questions-{i}-fase": question.fase_id or "",
            }
        response = admin_client.post(reverse("admin:apk_apksession_change", args=[opened.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        opened.refresh_from_db()
        assert str(opened.date) == "2026-04-01"
        assert self.version(team) > before

    def test_a_deleted_session(self, team, opened, admin_client):
        services.apk_session_close(session=opened, by=team.leider)
        before = self.version(team)
        response = admin_client.post(reverse("admin:apk_apksession_delete", args=[opened.pk]), {"post": "yes"})
        assert response.status_code == 302
        assert self.version(team) > before

    def test_sessions_deleted_from_the_list(self, team, opened, admin_client):
        before = self.version(team)
        data = {"action": "delete_selected", "_selected_action": [opened.pk], "post": "yes"}
        response = admin_client.post(reverse("admin:apk_apksession_changelist"), data)
        assert response.status_code == 302
        assert self.version(team) > before

"""Editing the kompas in the admin: permissions, history with who and when, revert, preview."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.urls import reverse

from knooppunten.models import Knooppunt
from tests.conftest import EDITOR_TOTP_SECRET


def change_data(knooppunt: Knooppunt, **overrides) -> dict:
    data = {
        "fase": knooppunt.fase_id,
        "code": knooppunt.code,
        "title": knooppunt.title,
        "slug": knooppunt.slug,
        "summary": knooppunt.summary,
        "is_published": "on",
        "goal": knooppunt.goal,
        "approach": knooppunt.approach,
        "sporen": [s.pk for s in knooppunt.sporen.all()],
        "tips-TOTAL_FORMS": "0",
        "tips-INITIAL_FORMS": "0",
        "bronnen-TOTAL_FORMS": "0",
        "bronnen-INITIAL_FORMS": "0",
        "Praktijkverhaal_knooppunten-TOTAL_FORMS": "0",
        "Praktijkverhaal_knooppunten-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestRedacteurGroup:
    def test_it_has_exactly_the_content_permissions(self):
        codenames = set(Group.objects.get(name="Redacteur").permissions.values_list("codename", flat=True))
        assert "change_knooppunt" in codenames and "delete_praktijkverhaal" in codenames
        assert "add_begrip" in codenames
        assert not any(name.endswith("_user") or name.endswith("_group") for name in codenames)


@pytest.mark.django_db
class TestEditingAKnooppunt:
    def test_an_edit_shows_on_the_public_page_and_is_kept_in_history(self, editor_client, editor, client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Oude titel", sporen="A")
        url = reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])
        response = editor_client.post(url, change_data(knooppunt, title="Nieuwe titel"))
        assert response.status_code == 302, response.content.decode()[:2000]
        assert "Nieuwe titel" in client.get(knooppunt.get_absolute_url()).content.decode()
        latest = knooppunt.history.latest()
        assert latest.title == "Nieuwe titel"
        assert latest.history_user == editor

    def test_an_editor_can_revert_to_an_earlier_version(self, editor_client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Oude titel", sporen="A")
        first = knooppunt.history.earliest()
        url = reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])
        editor_client.post(url, change_data(knooppunt, title="Nieuwe titel"))
        revert_url = reverse("admin:knooppunten_knooppunt_simple_history", args=[knooppunt.pk, first.history_id])
        assert "Oude titel" in editor_client.get(revert_url).content.decode()
        editor_client.post(revert_url, change_data(knooppunt, title="Oude titel"))
        knooppunt.refresh_from_db()
        assert knooppunt.title == "Oude titel"

    def test_the_change_list_filters_by_phase_and_spoor(self, editor_client, kompas):
        kompas.add_knooppunt(1, 1, title="Eerste", sporen="A")
        kompas.add_knooppunt(2, 1, title="Tweede", sporen="F")
        url = reverse("admin:knooppunten_knooppunt_changelist")
        html = editor_client.get(url, {"sporen__id__exact": kompas.sporen["F"].pk}).content.decode()
        assert "Tweede" in html and "Eerste" not in html

    def test_a_user_without_the_group_cannot_edit(self, client, django_user_model, kompas):
        knooppunt = kompas.add_knooppunt(1, 1)
        user = django_user_model.objects.create_user(email="lid@example.org", password="x", is_staff=True)
        TOTP.activate(user, EDITOR_TOTP_SECRET)
        client.force_login(user)
        response = client.get(reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk]))
        assert response.status_code == 403


@pytest.mark.django_db
class TestMarkdownPreview:
    url = reverse("knooppunten:markdown_preview")

    def test_it_renders_sanitised_markdown_for_editors(self, editor_client):
        response = editor_client.post(self.url, {"goal": "**Vet** <script>alert(1)</script>"})
        html = response.content.decode()
        assert "<strong>Vet</strong>" in html
        assert "<script" not in html

    def test_visitors_cannot_use_it(self, client):
        response = client.post(self.url, {"goal": "**Vet**"})
        assert response.status_code == 302
        assert "<strong>" not in response.content.decode()

    def test_the_admin_form_has_a_preview_button(self, editor_client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1)
        html = editor_client.get(reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])).content.decode()
        assert "Voorbeeld bekijken" in html and 'hx-target="#goal-preview"' in html

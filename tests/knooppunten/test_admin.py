"""Editing the kompas in the admin: permissions, history with who and when, revert, preview."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.urls import reverse

from knooppunten.models import Bron, Knooppunt, Praktijkverhaal, Tip
from plannen.models import Hoofdstuk
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

    def test_it_may_define_the_plan_chapters_but_not_read_the_plans(self):
        codenames = set(Group.objects.get(name="Redacteur").permissions.values_list("codename", flat=True))
        assert {"view_hoofdstuk", "add_hoofdstuk", "change_hoofdstuk", "delete_hoofdstuk"} <= codenames
        assert not {"view_plan", "view_planversie", "view_hoofdstuktekst"} & codenames

    def test_an_editor_opens_and_changes_the_chapters_in_the_admin(self, editor_client):
        hoofdstuk = Hoofdstuk.objects.create(title="Aanleiding en doel", guide="Waarom deze wijk?", order=1)
        html = editor_client.get(reverse("admin:plannen_hoofdstuk_changelist")).content.decode()
        assert "Aanleiding en doel" in html
        response = editor_client.get(reverse("admin:plannen_hoofdstuk_change", args=[hoofdstuk.pk]))
        assert 'name="title"' in response.content.decode()
        assert editor_client.get(reverse("admin:plannen_hoofdstuk_add")).status_code == 200


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

    def test_a_knooppunt_cannot_be_its_own_raakvlak(self, editor_client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Oude titel", sporen="A")
        url = reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])
        response = editor_client.post(url, change_data(knooppunt, title="Nieuwe titel", raakvlakken=[knooppunt.pk]))
        assert response.status_code == 200
        assert "Een knooppunt kan geen raakvlak van zichzelf zijn." in response.content.decode()
        knooppunt.refresh_from_db()
        assert knooppunt.title == "Oude titel" and not knooppunt.raakvlakken.exists()

    def test_the_praktijkverhalen_inline_names_each_story_by_its_title(self, editor_client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1)
        for title in ["Warmtenet in de Bloemenbuurt", "Isoleren met de buren"]:
            verhaal = Praktijkverhaal.objects.create(
                slug=title.lower().replace(" ", "-"), title=title, place="Voorbeeldstad", story="Zo ging het."
            )
            verhaal.knooppunten.add(knooppunt)
        url = reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])
        html = editor_client.get(url).content.decode()
        assert "Praktijkverhaal_knooppunten object" not in html
        for title in ["Warmtenet in de Bloemenbuurt", "Isoleren met de buren"]:
            assert re.search(rf"<p>\s*{title}\s*", html), title

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


def inline_rows(prefix: str, rows: list[dict], *, initial: int) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


@pytest.mark.django_db
class TestRevertingAKnooppunt:
    """A revert restores the whole version: fields, raakvlakken, tips and bronnen."""

    @pytest.fixture
    def before(self, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Oude titel", sporen="A")
        self.oud_raakvlak = kompas.add_knooppunt(1, 2, title="Oud raakvlak")
        self.nieuw_raakvlak = kompas.add_knooppunt(1, 3, title="Nieuw raakvlak")
        self.tip = Tip.objects.create(knooppunt=knooppunt, order=0, text="Oude tip")
        self.bron = Bron.objects.create(knooppunt=knooppunt, order=0, title="Oude bron", url="https://example.org/oud")
        knooppunt.raakvlakken.set([self.oud_raakvlak])  # the version to go back to, after its tips
        self.version = knooppunt.history.latest()
        return knooppunt

    def edit(self, editor_client, knooppunt):
        data = change_data(knooppunt, title="Nieuwe titel", raakvlakken=[self.nieuw_raakvlak.pk])
        data.update(
            inline_rows(
                "tips",
                [
                    {"id": self.tip.pk, "knooppunt": knooppunt.pk, "order": 0, "text": "Nieuwe tip"},
                    {"knooppunt": knooppunt.pk, "order": 1, "text": "Extra tip"},
                ],
                initial=1,
            )
        )
        data.update(
            inline_rows(
                "bronnen",
                [
                    {"id": self.bron.pk, "knooppunt": knooppunt.pk, "order": 0, "title": "Oude bron",
                     "url": "https://example.org/oud", "DELETE": "on"},
                    {"knooppunt": knooppunt.pk, "order": 1, "title": "Nieuwe bron", "url": "https://example.org/nieuw"},
                ],
                initial=1,
            )
        )  # fmt: skip
        url = reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])
        response = editor_client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]

    def test_the_revert_form_shows_the_raakvlakken_of_that_version(self, editor_client, before):
        self.edit(editor_client, before)
        url = reverse("admin:knooppunten_knooppunt_simple_history", args=[before.pk, self.version.history_id])
        html = editor_client.get(url).content.decode()
        assert f'<option value="{self.oud_raakvlak.pk}" selected>' in html
        assert f'<option value="{self.nieuw_raakvlak.pk}" selected>' not in html
        assert "ook de tips en bronnen zoals ze toen waren" in html

    def test_it_restores_title_raakvlakken_tips_and_bronnen(self, editor_client, before):
        self.edit(editor_client, before)
        assert [t.text for t in before.tips.all()] == ["Nieuwe tip", "Extra tip"]
        assert [b.title for b in before.bronnen.all()] == ["Nieuwe bron"]
        url = reverse("admin:knooppunten_knooppunt_simple_history", args=[before.pk, self.version.history_id])
        data = change_data(before, title="Oude titel", raakvlakken=[self.oud_raakvlak.pk])
        assert editor_client.post(url, data).status_code == 302

        before.refresh_from_db()
        assert before.title == "Oude titel"
        assert list(before.raakvlakken.all()) == [self.oud_raakvlak]
        assert [t.text for t in before.tips.all()] == ["Oude tip"]
        assert [(b.pk, b.title) for b in before.bronnen.all()] == [(self.bron.pk, "Oude bron")]
        assert before.history.latest().history_change_reason.startswith("Teruggezet naar de versie van")

    def test_tip_and_bron_changes_are_in_the_history_list(self, editor_client, before):
        self.edit(editor_client, before)
        html = editor_client.get(reverse("admin:knooppunten_knooppunt_history", args=[before.pk])).content.decode()
        assert "Tips: 1 nieuw, 1 gewijzigd, 0 weg; Bronnen: 1 nieuw, 0 gewijzigd, 1 weg" in html

    def test_a_tip_from_before_history_was_kept_stays(self, editor_client, before):
        Tip.objects.bulk_create([Tip(knooppunt=before, order=5, text="Tip zonder geschiedenis")])
        self.edit(editor_client, before)
        url = reverse("admin:knooppunten_knooppunt_simple_history", args=[before.pk, self.version.history_id])
        editor_client.post(url, change_data(before, title="Oude titel", raakvlakken=[self.oud_raakvlak.pk]))
        assert "Tip zonder geschiedenis" in [t.text for t in before.tips.all()]

"""The admin and its history speak Dutch with the right article, and the history shows only
what changed, a text as its changed words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knooppunten.history import word_diff

from .test_admin import change_data


def test_word_diff_marks_removed_and_added_words_and_shortens_the_rest():
    old = " ".join(f"woord{i}" for i in range(60)) + " oud einde"
    new = " ".join(f"woord{i}" for i in range(60)) + " nieuw einde"
    html = str(word_diff(old, new))
    assert "<del>oud</del> <ins>nieuw</ins> einde" in html
    assert html.startswith("…") and "woord0 " not in html  # the unchanged start is shortened
    assert "woord59" in html  # with a little context before the change


def test_word_diff_escapes_html():
    assert "&lt;script&gt;" in str(word_diff("tekst", "tekst <script>"))


@pytest.mark.django_db
class TestHistory:
    def test_it_lists_only_the_fields_that_changed(self, editor_client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Oude titel", sporen="A", goal="Regel een.\nRegel twee.")
        url = reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])
        # The browser sends the unchanged goal with Windows line endings: that is no change.
        response = editor_client.post(
            url, change_data(knooppunt, title="Nieuwe titel", goal="Regel een.\r\nRegel twee.")
        )
        assert response.status_code == 302
        html = editor_client.get(reverse("admin:knooppunten_knooppunt_history", args=[knooppunt.pk])).content.decode()
        changes = html[html.index('class="history-changes"') : html.index("</dl>")]
        assert "Titel" in changes and "<del>Oude</del> <ins>Nieuwe</ins> titel" in changes
        assert "Doel" not in changes and "Bijgewerkt" not in changes and "updated" not in changes.lower()
        assert "chars]" not in html

    def test_the_history_page_is_dutch(self, editor_client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Oude titel")
        url = reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])
        editor_client.post(url, change_data(knooppunt, title="Nieuwe titel"))
        html = editor_client.get(reverse("admin:knooppunten_knooppunt_history", args=[knooppunt.pk])).content.decode()
        for dutch in ("Gewijzigd door", "Reden", "Wijzigingen", "Soort wijziging", "Geschiedenis"):
            assert dutch in html
        for english in ("Changed by", "Change reason", "Date/time", ">None<", "style="):
            assert english not in html

    def test_the_revert_page_is_dutch(self, editor_client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Oude titel")
        first = knooppunt.history.earliest()
        html = editor_client.get(
            reverse("admin:knooppunten_knooppunt_simple_history", args=[knooppunt.pk, first.history_id])
        ).content.decode()
        assert 'value="Terugzetten"' in html and "Terugzetten: knooppunt" in html
        assert "Revert" not in html


@pytest.mark.django_db
class TestMessages:
    def test_a_neuter_noun_gets_het(self, editor_client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Oude titel")
        url = reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])
        response = editor_client.post(url, change_data(knooppunt, title="Nieuwe titel"), follow=True)
        messages = [str(m) for m in response.context["messages"]]
        assert len(messages) == 1
        assert messages[0].startswith("Het knooppunt “<a href=") and messages[0].endswith(
            "1.01 Nieuwe titel</a>” is gewijzigd."
        )

    def test_a_de_word_keeps_de(self, editor_client, kompas):
        fase = kompas.fasen[0]
        url = reverse("admin:knooppunten_fase_change", args=[fase.pk])
        data = {"number": fase.number, "slug": fase.slug, "name": "Samen beginnen", "summary": fase.summary,
                "key_question": fase.key_question}  # fmt: skip
        response = editor_client.post(url, data, follow=True)
        messages = [str(m) for m in response.context["messages"]]
        assert len(messages) == 1 and messages[0].startswith("De fase “"), messages

    def test_the_chooser_is_dutch(self, editor_client):
        js = editor_client.get(reverse("admin:jsi18n")).content.decode()
        assert "Kies %s: selecteer ze en klik dan op de pijl" in js
        assert "Alle %s kiezen" in js

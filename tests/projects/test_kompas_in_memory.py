"""The project pages keep the published kompas in memory (knooppunten.kompas):
an edit of the content must show at once, and nothing may be loaded again while it stays the same."""

from __future__ import annotations

from django.urls import reverse

from knooppunten.content import load_kompas
from knooppunten.kompas import published_kompas
from knooppunten.models import Knooppunt
from tests.knooppunten.test_admin import change_data


def voortgang(team) -> str:
    return team.client_for(team.teamlid).get(reverse("projects:voortgang", args=[team.project.pk])).content.decode()


def card_of(html: str, knooppunt) -> str:
    return html[html.index(f'id="knooppunt-{knooppunt.pk}"') :][:1500]


def test_it_is_loaded_once_while_the_content_stays_the_same(team, knooppunt, django_assert_num_queries):
    first = published_kompas()
    with django_assert_num_queries(1):  # only the content version
        assert published_kompas() is first


def test_sporen_changed_in_the_admin_show_at_once(team, knooppunt, kompas, editor_client):
    assert "Spoor C:" in card_of(voortgang(team), knooppunt)
    url = reverse("admin:knooppunten_knooppunt_change", args=[knooppunt.pk])
    sporen = [kompas.sporen["A"].pk, kompas.sporen["F"].pk]
    response = editor_client.post(url, change_data(knooppunt, sporen=sporen))
    assert response.status_code == 302
    card = card_of(voortgang(team), knooppunt)
    assert "Spoor F:" in card and "Spoor C:" not in card


def test_a_renamed_spoor_shows_at_once(team, knooppunt, kompas):
    voortgang(team)
    spoor = kompas.sporen["A"]
    spoor.name = "Iedereen in de wijk doet mee"
    spoor.save()
    assert "Iedereen in de wijk doet mee" in card_of(voortgang(team), knooppunt)


def test_a_renamed_phase_shows_at_once(team, knooppunt, kompas):
    voortgang(team)
    fase = kompas.fasen[0]
    fase.name = "Samen beginnen"
    fase.save()
    assert "Samen beginnen" in voortgang(team)


def test_an_unpublished_knooppunt_leaves_at_once(team, knooppunt, kompas):
    other = kompas.add_knooppunt(1, 2, title="Een wijkteam vormen")
    assert "Een wijkteam vormen" in voortgang(team)
    other.is_published = False
    other.save()
    assert "Een wijkteam vormen" not in voortgang(team)
    url = reverse("projects:status_change", args=[team.project.pk, other.code])
    assert team.client_for(team.teamlid).post(url, {f"{other.code}-status": "bezig"}).status_code == 404


def test_the_shipped_kompas_shows_once_it_is_loaded(team, knooppunt, settings):
    voortgang(team)
    settings.SIMPLE_HISTORY_ENABLED = False  # history rows are tested with the loader; here they only cost time
    load_kompas()
    published = Knooppunt.objects.published()
    assert published.count() > 90
    assert voortgang(team).count("card card--status") == published.count()

"""The navigator's cards are cached as HTML (wijkkompas.fragments): a cached card must never
show an old status or title, and never carry another visitor's CSRF token."""

from __future__ import annotations

import re

from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from projects.models import Status
from projects.services import project_create, status_set
from projects.views import STAND_IN_PK
from wijkkompas.fragments import CSRF_PLACEHOLDER

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def navigator(client: Client, team) -> str:
    return client.get(reverse("projects:navigator", args=[team.project.pk])).content.decode()


def card_of(html: str, knooppunt) -> str:
    return html[html.index(f'id="knooppunt-{knooppunt.pk}"') :][:1500]


def test_a_cached_card_follows_a_status_change_made_elsewhere(team, knooppunt):
    client = team.client_for(team.teamlid)
    assert "status--niet_gestart" in card_of(navigator(client, team), knooppunt)
    status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
    assert "status--afgerond" in card_of(navigator(client, team), knooppunt)


def test_a_cached_card_follows_an_edited_title(team, knooppunt):
    client = team.client_for(team.teamlid)
    navigator(client, team)
    knooppunt.title = "Bewoners aan de keukentafel"
    knooppunt.save()
    assert "Bewoners aan de keukentafel" in card_of(navigator(client, team), knooppunt)


def cached(partial: str) -> int:
    return sum(f"#{partial}:" in key for cache in ["fragments", "pages"] for key in caches[cache]._cache)


def test_the_page_is_rendered_once_for_members_who_see_the_same_buttons(team, knooppunt):
    caches["fragments"].clear()
    caches["pages"].clear()
    navigator(team.client_for(team.leider), team)
    assert cached("navigator-body") == 1
    navigator(team.client_for(team.leider), team)
    navigator(team.client_for(team.teamlid), team)  # a teamlid may change statuses too
    assert cached("navigator-body") == 1
    html = navigator(team.client_for(team.meelezer), team)  # a meelezer gets no forms
    assert cached("navigator-body") == 2
    assert "status-form" not in card_of(html, knooppunt)


def test_the_cached_cards_serve_every_project_with_its_own_addresses(team, knooppunt, kompas):
    kompas.add_knooppunt(1, 2)
    other = project_create(gemeente=team.project.gemeente, name="Havenkwartier", by=team.leider)
    caches["fragments"].clear()
    caches["pages"].clear()
    client = team.client_for(team.leider)
    first = navigator(client, team)
    assert cached("status-cell") == 2
    second = client.get(other.get_absolute_url()).content.decode()
    assert cached("status-cell") == 2  # the same cards, put together for the other project
    for project, html in [(team.project, first), (other, second)]:
        assert reverse("projects:knooppunt", args=[project.pk, knooppunt.slug]) in html
        assert reverse("projects:status_change", args=[project.pk, knooppunt.code]) in html
        assert str(STAND_IN_PK) not in html
    # After a change only the changed card is new, and the answer carries the project's own address.
    url = reverse("projects:status_change", args=[other.pk, knooppunt.code])
    answer = client.post(url, {"status": "bezig", "note": ""}, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-post="{url}"' in answer and str(STAND_IN_PK) not in answer
    assert "status--bezig" in card_of(client.get(other.get_absolute_url()).content.decode(), knooppunt)
    assert cached("status-cell") == 3


def test_a_cached_progress_panel_follows_a_status_change(team, knooppunt, kompas):
    kompas.add_knooppunt(1, 2)
    client = team.client_for(team.teamlid)
    assert "Nog niets vastgelegd. Kies" in navigator(client, team)
    status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
    assert "1 van 2 knooppunten afgerond" in navigator(client, team)


def test_every_visitor_gets_their_own_csrf_token_in_the_cached_forms(team, knooppunt, django_user_model):
    other = django_user_model.objects.create_user(email="sanne@example.org", password="een-lang-wachtwoord-1")
    team.project.memberships.create(user=other, role="teamlid")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(team.teamlid)
    second.force_login(other)
    first_tokens = set(TOKEN.findall(navigator(first, team)))
    html = navigator(second, team)  # served from the cache the first visit filled
    second_tokens = set(TOKEN.findall(html))
    assert CSRF_PLACEHOLDER not in html
    assert first_tokens and second_tokens and first_tokens.isdisjoint(second_tokens)
    # The form works without JavaScript: its own token passes the CSRF check.
    url = reverse("projects:status_change", args=[team.project.pk, knooppunt.code])
    response = second.post(url, {"csrfmiddlewaretoken": second_tokens.pop(), "status": "bezig", "note": ""})
    assert response.status_code == 302
    assert "status--bezig" in card_of(navigator(second, team), knooppunt)

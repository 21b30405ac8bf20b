"""The header of every project page (name, gemeente, role, switcher and tabs) is cached as HTML
under all it shows: it must follow every change."""

from __future__ import annotations

from django.urls import reverse

from projects.models import Gemeente, Membership, Role
from projects.services import project_create


def test_it_follows_a_renamed_project_and_a_new_role(team):
    client = team.client_for(team.teamlid)
    url = reverse("projects:navigator", args=[team.project.pk])
    assert "Uw rol: Teamlid" in client.get(url).content.decode()
    team.project.name = "Bloemenbuurt-Noord"
    team.project.save()
    Membership.objects.filter(user=team.teamlid).update(role=Role.MEELEZER)
    html = client.get(url).content.decode()
    assert "Bloemenbuurt-Noord" in html and "Uw rol: Meelezer" in html


def test_the_switcher_follows_a_new_project_in_order_of_gemeente_and_name(team):
    client = team.client_for(team.leider)
    url = reverse("projects:navigator", args=[team.project.pk])
    client.get(url)
    other = project_create(gemeente=team.project.gemeente, name="akkerwijk", by=team.leider)
    elsewhere = project_create(gemeente=Gemeente.objects.create(name="Aadorp"), name="Zuid", by=team.leider)
    switcher = client.get(url).content.decode().split('class="switcher')[1].split("</details>")[0]
    assert f'<a href="{other.get_absolute_url()}">akkerwijk</a>' in switcher
    names = [name for name in ["Zuid", "akkerwijk", "Bloemenbuurt"] if name in switcher]
    assert sorted(names, key=switcher.index) == ["Zuid", "akkerwijk", "Bloemenbuurt"]
    assert elsewhere.gemeente.name in switcher


def test_the_tabs_mark_the_page_that_is_open(team, knooppunt):
    client = team.client_for(team.leider)
    for name in ["projects:navigator", "projects:logboek", "projects:members", "apk:project"]:
        url = reverse(name, args=[team.project.pk])
        assert f'<a href="{url}" aria-current="page">' in client.get(url).content.decode()
    page = client.get(reverse("projects:knooppunt", args=[team.project.pk, knooppunt.slug])).content.decode()
    tabs = page.split('class="tabs')[1].split("</nav>")[0]
    assert "aria-current" not in tabs

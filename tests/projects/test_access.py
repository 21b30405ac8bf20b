"""The whole matrix of project URLs against the roles: outsiders see nothing (404), a
meelezer reads but changes nothing (403), and only a projectleider manages the team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import EntryKind, Invitation, KnooppuntStatus, LogboekEntry, Membership, Role

READ = "read"  # any member
WRITE = "write"  # teamlid and projectleider
LEAD = "lead"  # projectleider only


@pytest.fixture
def urls(team, knooppunt, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    project = team.project
    action = LogboekEntry.objects.create(project=project, kind=EntryKind.ACTIE, title="Bel de netbeheerder")
    document = LogboekEntry.objects.create(project=project, kind=EntryKind.DOCUMENT, title="Verslag")
    document.file.save("verslag.pdf", __import__("io").BytesIO(b"%PDF-1.4 test"), save=True)
    document.file_name = "verslag.pdf"
    document.save()
    invitation = Invitation.objects.create(project=project, email="nieuw@example.org", role=Role.TEAMLID)
    tim = Membership.objects.get(project=project, user=team.teamlid)
    pk = project.pk
    return [
        ("GET", reverse("projects:voortgang", args=[pk]), READ),
        ("GET", reverse("projects:knooppunt", args=[pk, knooppunt.slug]), READ),
        ("GET", reverse("projects:logboek", args=[pk]), READ),
        ("GET", reverse("projects:document", args=[pk, document.pk]), READ),
        ("GET", reverse("projects:members", args=[pk]), READ),
        ("GET", reverse("projects:edit", args=[pk]), LEAD),
        ("GET", reverse("projects:subproject_create", args=[pk]), LEAD),
        ("GET", reverse("projects:report", args=[pk]), READ),
        ("GET", reverse("projects:export_statuses", args=[pk]), READ),
        ("GET", reverse("projects:export_logboek", args=[pk]), READ),
        ("GET", reverse("projects:export_project", args=[pk]), LEAD),
        ("POST", reverse("projects:status_change", args=[pk, knooppunt.code]), WRITE),
        ("POST", reverse("projects:logboek", args=[pk]), WRITE),
        ("POST", reverse("projects:action_toggle", args=[pk, action.pk]), WRITE),
        ("POST", reverse("projects:members", args=[pk]), LEAD),
        ("POST", reverse("projects:member_change", args=[pk, tim.pk]), LEAD),
        ("POST", reverse("projects:invitation_withdraw", args=[pk, invitation.pk]), LEAD),
        ("POST", reverse("projects:edit", args=[pk]), LEAD),
        ("POST", reverse("projects:subproject_create", args=[pk]), LEAD),
    ]


ALLOWED = {
    "leider": {READ, WRITE, LEAD},
    "teamlid": {READ, WRITE},
    "meelezer": {READ},
}


def request(client, method: str, url: str, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "GET":
        return client.get(url, headers=headers)
    return client.post(url, {"status": "bezig", "kind": "notitie", "title": "x", "role": "teamlid"}, headers=headers)


@pytest.mark.parametrize("htmx", [False, True])
def test_an_outsider_gets_404_on_every_project_url(team, urls, htmx):
    client = team.client_for(team.outsider)
    for method, url, _need in urls:
        assert request(client, method, url, htmx).status_code == 404, f"{method} {url}"


def test_an_anonymous_visitor_is_sent_to_the_login_page(team, urls):
    client = team.client_for(None)
    for method, url, _need in urls:
        response = request(client, method, url)
        assert response.status_code == 302, f"{method} {url}"
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["leider", "teamlid", "meelezer"])
def test_each_role_gets_exactly_what_it_may_do(team, urls, persona):
    client = team.client_for(getattr(team, persona))
    for method, url, need in urls:
        status = request(client, method, url).status_code
        if need in ALLOWED[persona]:
            assert status in (200, 302), f"{persona} {method} {url} gave {status}"
        else:
            assert status == 403, f"{persona} {method} {url} gave {status}"


def test_a_refused_change_changes_nothing(team, knooppunt):
    client = team.client_for(team.meelezer)
    client.post(
        reverse("projects:status_change", args=[team.project.pk, knooppunt.code]),
        {f"{knooppunt.code}-status": "afgerond"},
    )
    client.post(reverse("projects:logboek", args=[team.project.pk]), {"kind": "besluit", "title": "Stiekem"})
    assert not KnooppuntStatus.objects.exists()
    assert not LogboekEntry.objects.exists()


def test_a_project_of_another_municipality_is_not_in_the_switcher(team):
    response = team.client_for(team.leider).get(reverse("projects:voortgang", args=[team.project.pk]))
    assert "Bloemenbuurt" in response.content.decode()
    assert "Dijkwijk" not in response.content.decode()

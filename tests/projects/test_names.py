"""Names replace email addresses on the project pages; the exports keep the emails and add names."""

from __future__ import annotations

from django.urls import reverse

from projects.exchange import project_export
from projects.models import EntryKind, LogboekEntry
from projects.services import status_set


def test_the_team_logboek_and_timeline_show_names_not_emails(team, knooppunt):
    status_set(project=team.project, knooppunt=knooppunt, status="bezig", by=team.teamlid)
    LogboekEntry.objects.create(
        project=team.project, kind=EntryKind.ACTIE, title="Plan", owner=team.meelezer, created_by=team.teamlid
    )
    client = team.client_for(team.meelezer)
    pages = [
        reverse("projects:members", args=[team.project.pk]),
        reverse("projects:logboek", args=[team.project.pk]),
        reverse("projects:knooppunt", args=[team.project.pk, knooppunt.slug]),
    ]
    for page in pages:
        html = client.get(page).content.decode()
        assert "Tim" in html, page
        assert "tim@example.org" not in html, page


def test_the_json_export_keeps_emails_and_adds_names(team, knooppunt):
    status_set(project=team.project, knooppunt=knooppunt, status="bezig", by=team.teamlid)
    data = project_export(team.project)
    member = next(m for m in data["project"]["members"] if m["email"] == "tim@example.org")
    assert member["name"] == "Tim"
    assert (data["project"]["statuses"][0]["changed_by"], data["project"]["statuses"][0]["changed_by_name"]) == (
        "tim@example.org",
        "Tim",
    )

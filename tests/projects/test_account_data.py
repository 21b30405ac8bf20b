"""A member's projects in the personal data download, and deleting an account without
leaving a project behind that nobody can lead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.export import export_personal_data
from accounts.forms import DeleteAccountForm
from accounts.services import user_delete
from projects.models import EntryKind, LogboekEntry, Membership, Project, Role, Status, StatusChange
from projects.services import project_create, status_set


def test_the_data_download_holds_the_members_projects_and_work(team, knooppunt):
    status_set(project=team.project, knooppunt=knooppunt, status=Status.BEZIG, note="Gestart", by=team.teamlid)
    LogboekEntry.objects.create(
        project=team.project, kind=EntryKind.NOTITIE, title="Mijn notitie", created_by=team.teamlid
    )
    data = export_personal_data(team.teamlid)["projects"]
    assert data["memberships"][0]["project__name"] == "Bloemenbuurt" and data["memberships"][0]["role"] == "teamlid"
    assert data["status_changes"][0]["knooppunt__code"] == "1.01" and data["status_changes"][0]["note"] == "Gestart"
    assert data["logbook_entries"][0]["title"] == "Mijn notitie"
    assert "Dijkwijk" not in str(data)


class TestDeletingAnAccount:
    def test_the_only_projectleider_of_a_team_must_hand_over_first(self, team):
        form = DeleteAccountForm({"confirm": "on"}, user=team.leider)
        assert not form.is_valid()
        assert "U bent de enige projectleider van: Bloemenbuurt." in str(form.errors)
        Membership.objects.filter(project=team.project, user=team.teamlid).update(role=Role.PROJECTLEIDER)
        assert DeleteAccountForm({"confirm": "on"}, user=team.leider).is_valid()

    def test_a_project_without_other_members_goes_with_the_account(self, team):
        solo = project_create(gemeente=team.project.gemeente, name="Mijn proefwijk", by=team.teamlid)
        form = DeleteAccountForm({"confirm": "on"}, user=team.teamlid)
        assert form.is_valid() and form.deleted_with_account == [solo]
        user_delete(user=team.teamlid)
        assert not Project.objects.filter(pk=solo.pk).exists()
        assert Project.objects.filter(pk=team.project.pk).exists()

    def test_the_facts_stay_without_the_name(self, team, knooppunt):
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.teamlid)
        user_delete(user=team.teamlid)
        change = StatusChange.objects.get()
        assert change.new_status == Status.AFGEROND and change.changed_by is None
        page = team.client_for(team.leider).get(reverse("projects:knooppunt", args=[team.project.pk, knooppunt.slug]))
        assert "iemand die geen lid meer is zette de status" in page.content.decode()

    @pytest.mark.parametrize("persona", ["teamlid", "meelezer"])
    def test_an_ordinary_member_may_leave_at_once(self, team, persona):
        assert DeleteAccountForm({"confirm": "on"}, user=getattr(team, persona)).is_valid()

"""Team management: invitations by email, adding existing users, roles, and the rule that a
project always keeps a projectleider. Plus Mijn projecten and the municipality's portfolio."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from projects.models import Gemeente, Invitation, Membership, Role, Status
from projects.services import project_create, status_set


def members_url(team) -> str:
    return reverse("projects:members", args=[team.project.pk])


class TestInvitations:
    def test_a_projectleider_invites_a_new_colleague_by_email(self, team):
        response = team.client_for(team.leider).post(
            members_url(team), {"email": "Noor@Example.org", "role": "teamlid"}, follow=True
        )
        assert "We hebben een uitnodiging gestuurd naar noor@example.org." in response.content.decode()
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role, invitation.invited_by) == (
            "noor@example.org",
            Role.TEAMLID,
            team.leider,
        )
        assert mail.outbox[0].to == ["noor@example.org"]
        assert invitation.get_absolute_url() in mail.outbox[0].body

    def test_the_invitee_signs_up_through_the_link_and_joins(self, team, client):
        invitation = Invitation.objects.create(project=team.project, email="noor@example.org", role=Role.MEELEZER)
        page = client.get(invitation.get_absolute_url())
        assert "Account aanmaken" in page.content.decode()
        response = client.post(
            reverse("account_signup") + f"?next={invitation.get_absolute_url()}",
            {
                "first_name": "Noor",
                "email": "noor@example.org",
                "password1": "een-heel-lang-wachtwoord",
                "password2": "een-heel-lang-wachtwoord",
            },
            follow=True,
        )
        # The invitation proved the address, so no verification mail stands in the way.
        assert response.redirect_chain[-1][0] == invitation.get_absolute_url()
        response = client.post(invitation.get_absolute_url(), follow=True)
        assert "Welkom in het project Bloemenbuurt." in response.content.decode()
        membership = Membership.objects.get(project=team.project, user__email="noor@example.org")
        assert membership.role == Role.MEELEZER
        invitation.refresh_from_db()
        assert invitation.accepted_at is not None

    def test_an_invitation_works_once(self, team):
        invitation = Invitation.objects.create(project=team.project, email="otto@example.org")
        client = team.client_for(team.outsider)
        client.post(invitation.get_absolute_url())
        response = team.client_for(team.leider).get(invitation.get_absolute_url())
        assert response.status_code == 410
        assert "al gebruikt of verlopen" in response.content.decode()

    def test_an_expired_invitation_does_nothing(self, team):
        invitation = Invitation.objects.create(
            project=team.project, email="otto@example.org", expires_at=timezone.now() - timedelta(minutes=1)
        )
        response = team.client_for(team.outsider).post(invitation.get_absolute_url())
        assert response.status_code == 410
        assert not Membership.objects.filter(project=team.project, user=team.outsider).exists()

    def test_an_unknown_token_is_404(self, client, db):
        assert client.get(reverse("projects:invitation", args=["geraden"])).status_code == 404

    def test_an_existing_user_is_added_directly(self, team):
        team.client_for(team.leider).post(members_url(team), {"email": "otto@example.org", "role": "meelezer"})
        assert Membership.objects.get(project=team.project, user=team.outsider).role == Role.MEELEZER
        assert not Invitation.objects.exists()

    def test_a_second_invitation_to_the_same_address_sends_the_first_again(self, team):
        first = Invitation.objects.create(
            project=team.project, email="noor@example.org", role=Role.MEELEZER,
            expires_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip
        response = team.client_for(team.leider).post(
            members_url(team), {"email": "Noor@example.org", "role": "teamlid"}, follow=True
        )
        assert "noor@example.org was al uitgenodigd. We hebben de uitnodiging opnieuw gestuurd." in (
            response.content.decode()
        )
        invitation = Invitation.objects.get()  # still one
        assert (invitation.pk, invitation.role) == (first.pk, Role.TEAMLID)
        assert invitation.expires_at > first.expires_at + timedelta(days=1)  # a new term
        assert mail.outbox[-1].to == ["noor@example.org"]
        assert invitation.get_absolute_url() in mail.outbox[-1].body

    def test_a_used_invitation_does_not_stop_a_new_one(self, team):
        Invitation.objects.create(project=team.project, email="noor@example.org", accepted_at=timezone.now())
        team.client_for(team.leider).post(members_url(team), {"email": "noor@example.org", "role": "teamlid"})
        assert Invitation.objects.open().filter(email="noor@example.org").count() == 1

    def test_a_member_cannot_be_invited_twice(self, team):
        response = team.client_for(team.leider).post(members_url(team), {"email": "tim@example.org", "role": "teamlid"})
        assert "Deze persoon is al lid van het project." in response.content.decode()

    def test_a_projectleider_withdraws_an_invitation(self, team):
        invitation = Invitation.objects.create(project=team.project, email="noor@example.org")
        team.client_for(team.leider).post(
            reverse("projects:invitation_withdraw", args=[team.project.pk, invitation.pk])
        )
        assert not Invitation.objects.exists()


class TestRoles:
    def change(self, team, user, **data):
        membership = Membership.objects.get(project=team.project, user=user)
        url = reverse("projects:member_change", args=[team.project.pk, membership.pk])
        return team.client_for(team.leider).post(url, data, follow=True)

    def test_a_projectleider_changes_a_role_and_the_facilitator_flag(self, team):
        self.change(team, team.meelezer, role="teamlid", is_facilitator="on")
        membership = Membership.objects.get(project=team.project, user=team.meelezer)
        assert (membership.role, membership.is_facilitator) == (Role.TEAMLID, True)

    def test_the_last_projectleider_cannot_step_down_or_leave(self, team):
        response = self.change(team, team.leider, role="teamlid")
        assert "Een project heeft altijd minstens één projectleider." in response.content.decode()
        self.change(team, team.leider, action="remove")
        assert Membership.objects.get(project=team.project, user=team.leider).role == Role.PROJECTLEIDER

    def remove(self, team, user, **data):
        membership = Membership.objects.get(project=team.project, user=user)
        url = reverse("projects:member_remove", args=[team.project.pk, membership.pk])
        return team.client_for(team.leider).post(url, data, follow=True)

    def test_with_a_second_projectleider_the_first_may_leave(self, team):
        self.change(team, team.teamlid, role="projectleider")
        response = self.remove(team, team.leider, confirm="ja")
        assert response.redirect_chain[-1][0] == reverse("projects:list")
        assert not Membership.objects.filter(project=team.project, user=team.leider).exists()

    def test_removing_a_member_asks_for_confirmation_first(self, team):
        response = self.change(team, team.meelezer, action="remove")
        membership = Membership.objects.get(project=team.project, user=team.meelezer)  # still there
        confirm_url = reverse("projects:member_remove", args=[team.project.pk, membership.pk])
        assert response.redirect_chain[-1][0] == confirm_url
        html = response.content.decode()
        assert "Mila uit het team halen?" in html
        assert 'name="confirm" value="ja"' in html and "Ja, haal uit het team" in html

    def test_a_post_without_the_confirmation_removes_nothing(self, team):
        response = self.remove(team, team.meelezer)
        assert "Mila uit het team halen?" in response.content.decode()
        assert Membership.objects.filter(project=team.project, user=team.meelezer).exists()

    def test_a_confirmed_removal_removes_the_member(self, team):
        response = self.remove(team, team.meelezer, confirm="ja")
        assert response.redirect_chain[-1][0] == reverse("projects:members", args=[team.project.pk])
        assert "Mila is geen lid meer van het project." in response.content.decode()
        assert not Membership.objects.filter(project=team.project, user=team.meelezer).exists()

    def test_the_last_projectleider_is_told_why_on_the_confirmation_page(self, team):
        response = self.remove(team, team.leider, confirm="ja")
        assert "Een project heeft altijd minstens één projectleider." in response.content.decode()
        assert Membership.objects.filter(project=team.project, user=team.leider).exists()

    @pytest.mark.parametrize("who", ["teamlid", "outsider"])
    def test_only_a_projectleider_reaches_the_confirmation(self, team, who):
        membership = Membership.objects.get(project=team.project, user=team.meelezer)
        url = reverse("projects:member_remove", args=[team.project.pk, membership.pk])
        client = team.client_for(getattr(team, who))
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"confirm": "ja"}).status_code in (403, 404)
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_a_member_of_another_project_cannot_be_reached_through_this_one(self, team):
        other = Membership.objects.filter(project=team.other_project).first()
        url = reverse("projects:member_remove", args=[team.project.pk, other.pk])
        assert team.client_for(team.leider).post(url, {"confirm": "ja"}).status_code == 404
        assert Membership.objects.filter(pk=other.pk).exists()

    def test_the_team_table_scrolls_in_its_own_region_and_the_forms_leave_checking_to_us(self, team):
        html = team.client_for(team.leider).get(members_url(team)).content.decode()
        assert '<div class="table-wrapper" role="region" tabindex="0" aria-label="Leden van het project">' in html
        assert html.count('class="inline-fields" novalidate') == 3  # one per member

    def test_a_refused_change_says_who_to_ask(self, team):
        membership = Membership.objects.get(project=team.project, user=team.meelezer)
        url = reverse("projects:member_change", args=[team.project.pk, membership.pk])
        response = team.client_for(team.teamlid).post(url, {"role": "teamlid"})
        assert response.status_code == 403
        assert "Dit mag u niet doen" in response.content.decode()
        assert "de projectleider van uw project, de programmamanager van uw gemeente" in response.content.decode()

    def test_an_unknown_role_changes_nothing(self, team):
        response = self.change(team, team.meelezer, role="baas")
        assert "Kies een rol uit de lijst." in response.content.decode()
        assert Membership.objects.get(project=team.project, user=team.meelezer).role == Role.MEELEZER


class TestProjects:
    def test_a_gemeente_member_creates_a_project_in_their_gemeente_and_leads_it(self, team):
        andersdorp = Gemeente.objects.get(name="Andersdorp")
        response = team.client_for(team.outsider).post(
            reverse("projects:create"),
            {"gemeente": andersdorp.pk, "name": "Havenkwartier", "description": "", "start_date": "2026-01-01"},
            follow=True,
        )
        assert "Het project Havenkwartier is aangemaakt." in response.content.decode()
        membership = Membership.objects.get(project__name="Havenkwartier")
        assert (membership.user, membership.role) == (team.outsider, Role.PROJECTLEIDER)
        assert membership.project.gemeente == andersdorp
        assert Gemeente.objects.count() == 2

    def test_a_projectleider_adds_a_subproject(self, team):
        team.client_for(team.leider).post(
            reverse("projects:subproject_create", args=[team.project.pk]),
            {"name": "Energiecoöperatie Bloemenbuurt", "description": "", "start_date": "2026-03-01"},
        )
        sub = team.project.subprojects.get()
        assert sub.gemeente == team.project.gemeente
        html = team.client_for(team.leider).get(reverse("projects:voortgang", args=[team.project.pk])).content.decode()
        assert f'<a href="{sub.get_absolute_url()}">Energiecoöperatie Bloemenbuurt</a>' in html

    def test_the_voortgang_page_links_only_the_subprojects_a_member_can_open(self, team):
        sub = project_create(gemeente=team.project.gemeente, name="Warmtenet Zuid", by=team.leider, parent=team.project)
        voortgang = reverse("projects:voortgang", args=[team.project.pk])
        assert "Warmtenet Zuid" not in team.client_for(team.teamlid).get(voortgang).content.decode()
        assert team.client_for(team.teamlid).get(sub.get_absolute_url()).status_code == 404
        Membership.objects.create(project=sub, user=team.teamlid, role=Role.TEAMLID)
        html = team.client_for(team.teamlid).get(voortgang).content.decode()
        assert f'<a href="{sub.get_absolute_url()}">Warmtenet Zuid</a>' in html

    def test_mijn_projecten_shows_only_my_projects_with_progress(self, team, knooppunt):
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
        html = team.client_for(team.teamlid).get(reverse("projects:list")).content.decode()
        assert "Bloemenbuurt" in html and "Dijkwijk" not in html
        assert "1 afgerond, 0 bezig" in html
        # The bar's parts have the colours of the voortgang page's bars (no class: a black bar).
        parts = re.findall(r'<rect class="(bar__\w+)"', html)
        assert parts == ["bar__afgerond", "bar__bezig"]
        css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
        assert all(f".{part} {{ fill:" in css for part in parts)

    @pytest.mark.parametrize("url_name", ["projects:list"])  # the portfolio: test_gemeenten.py
    def test_the_lists_make_a_fixed_number_of_queries(self, team, kompas, url_name, django_assert_max_num_queries):
        client = team.client_for(team.leider)
        url = reverse(url_name) if url_name == "projects:list" else reverse(url_name, args=[team.project.gemeente.pk])
        knooppunten = kompas.add_many(30)
        client.get(url)  # each process loads the kompas once
        status_set(project=team.project, knooppunt=knooppunten[0], status=Status.BEZIG, by=team.leider)
        with django_assert_max_num_queries(10) as small:  # the cards are counted and drawn again
            client.get(url)
        for i in range(25):
            project = project_create(gemeente=team.project.gemeente, name=f"Wijk {i}", by=team.leider)
            for knooppunt in knooppunten[: i + 1]:
                status_set(project=project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(url)
        assert "Wijk 24" in response.content.decode()
        assert "25 afgerond, 0 bezig" in response.content.decode()

    @pytest.mark.parametrize("url_name", ["projects:list"])  # the portfolio: test_gemeenten.py
    def test_the_cached_lists_follow_a_renamed_main_project_and_a_new_role(self, team, url_name):
        sub = project_create(gemeente=team.project.gemeente, name="Warmtenet Zuid", by=team.leider, parent=team.project)
        client = team.client_for(team.leider)
        url = reverse(url_name) if url_name == "projects:list" else reverse(url_name, args=[team.project.gemeente.pk])
        assert "deelproject van Bloemenbuurt" in client.get(url).content.decode()
        team.project.name = "Bloemenbuurt-Noord"
        team.project.save()
        Membership.objects.filter(project=sub, user=team.leider).update(role=Role.TEAMLID)
        html = client.get(url).content.decode()
        assert "deelproject van Bloemenbuurt-Noord" in html
        if url_name == "projects:list":
            assert "Bloemenbuurt-Noord · Teamlid" in html

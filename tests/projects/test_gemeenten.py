"""Gemeenten as closed workspaces: who sees the portfolio, who manages members, how one joins,
and the portfolio itself (table, filters, sorting, CSV, heatmap) with its query budget."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from projects.models import (
    AccessRequest,
    AccessRequestState,
    EntryKind,
    Gemeente,
    GemeenteMembership,
    GemeenteRole,
    LogboekEntry,
    Membership,
    Project,
    Role,
    Status,
)
from projects.services import project_create, status_set
from tests.conftest import dutch_date

GEMEENTE_URLS = ["projects:portfolio", "projects:portfolio_csv", "projects:heatmap"]
MANAGER_URLS = ["projects:gemeente_members"]


def url(name: str, team, *args) -> str:
    return reverse(name, args=[team.project.gemeente.pk, *args])


class TestAccess:
    @pytest.mark.parametrize("name", GEMEENTE_URLS + MANAGER_URLS)
    def test_an_outsider_gets_404(self, team, name):
        response = team.client_for(team.outsider).get(url(name, team))
        assert response.status_code == 404
        assert "Bloemenbuurt" not in response.content.decode()

    @pytest.mark.parametrize("name", GEMEENTE_URLS + MANAGER_URLS)
    def test_an_anonymous_visitor_gets_404_or_the_login(self, team, client, name):
        assert client.get(url(name, team)).status_code in (302, 404)

    @pytest.mark.parametrize("who", ["leider", "teamlid", "meelezer"])
    @pytest.mark.parametrize("name", GEMEENTE_URLS)
    def test_a_project_member_who_is_not_in_the_gemeente_gets_404(self, team, who, name):
        assert team.client_for(getattr(team, who)).get(url(name, team)).status_code == 404

    @pytest.mark.parametrize("who", ["programmamanager", "medewerker"])
    @pytest.mark.parametrize("name", GEMEENTE_URLS)
    def test_gemeente_members_see_the_portfolio(self, team, who, name):
        response = team.client_for(getattr(team, who)).get(url(name, team))
        assert response.status_code == 200
        assert "Bloemenbuurt" in response.content.decode("utf-8-sig")

    def test_a_medewerker_gets_403_on_member_management(self, team):
        client = team.client_for(team.medewerker)
        assert client.get(url("projects:gemeente_members", team)).status_code == 403
        membership = GemeenteMembership.objects.get(user=team.programmamanager)
        response = client.post(url("projects:gemeente_member_change", team, membership.pk), {"action": "remove"})
        assert response.status_code == 403
        assert GemeenteMembership.objects.filter(pk=membership.pk).exists()
        access_request = AccessRequest.objects.create(gemeente=team.project.gemeente, user=team.teamlid)
        response = client.post(url("projects:access_request_decide", team, access_request.pk), {"decision": "approve"})
        assert response.status_code == 403
        assert AccessRequest.objects.get(pk=access_request.pk).state == AccessRequestState.OPEN

    def test_an_outsider_gets_404_on_every_post(self, team):
        membership = GemeenteMembership.objects.get(user=team.programmamanager)
        client = team.client_for(team.outsider)
        assert client.post(url("projects:gemeente_members", team), {"email": "otto@example.org"}).status_code == 404
        assert client.post(url("projects:gemeente_member_change", team, membership.pk), {}).status_code == 404


class TestTheLoophole:
    def test_typing_an_existing_gemeentes_name_gives_nothing(self, team):
        """Before, a new project with a typed gemeente name joined that gemeente's portfolio."""
        client = team.client_for(team.outsider)
        voorbeeldstad = team.project.gemeente
        response = client.post(
            reverse("projects:create"),
            {"gemeente": voorbeeldstad.pk, "gemeente_name": "Voorbeeldstad", "name": "Havenkwartier"},
        )
        assert "Kies een gemeente uit de lijst." in response.content.decode()
        assert not Project.objects.filter(name="Havenkwartier").exists()
        response = client.post(reverse("projects:gemeenten"), {"form": "nieuw", "nieuw-name": " voorbeeld STAD "})
        # Named as it is known, not as it was typed.
        assert f"De gemeente {voorbeeldstad.name} bestaat al in Wijkkompas." in response.content.decode()
        assert Gemeente.objects.count() == 2
        assert client.get(voorbeeldstad.get_absolute_url()).status_code == 404
        assert not GemeenteMembership.objects.filter(user=team.outsider, gemeente=voorbeeldstad).exists()

    def test_the_project_form_offers_only_the_users_own_gemeenten(self, team):
        html = team.client_for(team.outsider).get(reverse("projects:create")).content.decode()
        assert "Andersdorp" in html and "Voorbeeldstad" not in html

    def test_someone_without_a_gemeente_is_sent_to_mijn_gemeente(self, team):
        html = team.client_for(team.teamlid).get(reverse("projects:create")).content.decode()
        assert "U bent nog geen lid van een gemeente." in html
        assert reverse("projects:gemeenten") in html

    def test_a_medewerker_creates_a_project_in_the_gemeente(self, team):
        response = team.client_for(team.medewerker).post(
            reverse("projects:create"),
            {"gemeente": team.project.gemeente.pk, "name": "Havenkwartier", "start_date": "2026-01-01"},
            follow=True,
        )
        assert "Het project Havenkwartier is aangemaakt." in response.content.decode()
        assert Project.objects.get(name="Havenkwartier").gemeente == team.project.gemeente

    def test_an_import_into_someone_elses_gemeente_is_refused(self, team):
        from projects.exchange import project_export, project_import

        data = project_export(team.project)
        with pytest.raises(Exception, match="geen lid"):
            project_import(data=data, by=team.outsider)
        assert Project.objects.filter(name="Bloemenbuurt").count() == 1


class TestAccessRequests:
    def ask(self, team, user, gemeente=None, message=""):
        gemeente = gemeente or team.project.gemeente
        return team.client_for(user).post(
            reverse("projects:gemeenten"), {"form": "toegang", "gemeente": gemeente.pk, "message": message}, follow=True
        )

    def test_a_request_reaches_every_programmamanager_who_approves_it(self, team, django_capture_on_commit_callbacks):
        second = GemeenteMembership.objects.create(
            gemeente=team.project.gemeente, user=team.leider, role=GemeenteRole.PROGRAMMAMANAGER
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = self.ask(team, team.teamlid, message="Ik werk bij de woningcorporatie.")
        assert "Uw verzoek voor Voorbeeldstad is verstuurd." in response.content.decode()
        assert sorted(mail.outbox[-1].to) == sorted([team.programmamanager.email, second.user.email])
        access_request = AccessRequest.objects.get(user=team.teamlid)
        for manager in (team.programmamanager, team.leider):
            html = team.client_for(manager).get(url("projects:gemeente_members", team)).content.decode()
            assert "Tim" in html and "Ik werk bij de woningcorporatie." in html
        with django_capture_on_commit_callbacks(execute=True):
            response = team.client_for(team.programmamanager).post(
                url("projects:access_request_decide", team, access_request.pk), {"decision": "approve"}, follow=True
            )
        assert "Tim is nu medewerker van de gemeente." in response.content.decode()
        assert GemeenteMembership.objects.get(user=team.teamlid).role == GemeenteRole.MEDEWERKER
        assert mail.outbox[-1].to == [team.teamlid.email]
        assert "goedgekeurd" in mail.outbox[-1].body
        assert team.client_for(team.teamlid).get(url("projects:portfolio", team)).status_code == 200

    def test_a_refusal_writes_nothing_but_the_refusal(self, team, django_capture_on_commit_callbacks):
        self.ask(team, team.teamlid)
        access_request = AccessRequest.objects.get(user=team.teamlid)
        before = GemeenteMembership.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            team.client_for(team.programmamanager).post(
                url("projects:access_request_decide", team, access_request.pk), {"decision": "refuse"}
            )
        access_request.refresh_from_db()
        assert access_request.state == AccessRequestState.GEWEIGERD
        assert access_request.decided_by == team.programmamanager
        assert GemeenteMembership.objects.count() == before
        assert mail.outbox[-1].to == [team.teamlid.email] and "afgewezen" in mail.outbox[-1].body
        assert team.client_for(team.teamlid).get(url("projects:portfolio", team)).status_code == 404

    def test_a_member_asking_again_gets_a_clear_message(self, team):
        html = self.ask(team, team.medewerker).content.decode()
        assert "U bent al lid van de gemeente Voorbeeldstad." in html
        assert not AccessRequest.objects.exists()

    def test_a_second_open_request_gets_a_clear_message(self, team):
        self.ask(team, team.teamlid)
        html = self.ask(team, team.teamlid).content.decode()
        assert "U hebt al een verzoek voor Voorbeeldstad." in html
        assert AccessRequest.objects.count() == 1

    def test_a_decided_request_cannot_be_decided_again(self, team):
        self.ask(team, team.teamlid)
        access_request = AccessRequest.objects.get()
        client = team.client_for(team.programmamanager)
        client.post(url("projects:access_request_decide", team, access_request.pk), {"decision": "refuse"})
        html = client.post(
            url("projects:access_request_decide", team, access_request.pk), {"decision": "approve"}, follow=True
        ).content.decode()
        assert "Over dit verzoek is al besloten." in html
        assert not GemeenteMembership.objects.filter(user=team.teamlid).exists()

    def test_an_unknown_gemeente_gets_a_clear_message(self, team):
        response = team.client_for(team.teamlid).post(
            reverse("projects:gemeenten"), {"form": "toegang", "gemeente": 999}
        )
        assert "Kies een gemeente uit de lijst." in response.content.decode()


class TestNewGemeente:
    def test_a_requested_gemeente_is_unverified_and_only_for_its_requester(self, team):
        client = team.client_for(team.teamlid)
        response = client.post(
            reverse("projects:gemeenten"),
            {"form": "nieuw", "nieuw-name": "Nieuwe  Haven", "nieuw-cbs_code": ""},
            follow=True,
        )
        assert "is aangemaakt, maar nog niet geverifieerd" in response.content.decode()
        gemeente = Gemeente.objects.get(name="Nieuwe Haven")
        assert not gemeente.is_verified and gemeente.requested_by == team.teamlid
        assert "niet geverifieerd" in client.get(reverse("projects:gemeenten")).content.decode()
        assert "Nieuwe Haven (niet geverifieerd)" in client.get(reverse("projects:create")).content.decode()
        # Nobody else can ask to join it yet, and its requester cannot add members yet.
        response = team.client_for(team.meelezer).post(
            reverse("projects:gemeenten"), {"form": "toegang", "gemeente": gemeente.pk}
        )
        assert "Kies een gemeente uit de lijst." in response.content.decode()
        response = client.post(
            reverse("projects:gemeente_members", args=[gemeente.pk]),
            {"email": team.meelezer.email, "role": "medewerker"},
        )
        assert "nog niet geverifieerd" in response.content.decode()
        assert gemeente.gemeente_memberships.count() == 1
        page = client.get(reverse("projects:gemeente_members", args=[gemeente.pk])).content.decode()
        assert "Iemand toevoegen" not in page  # no form that can only fail

    def test_a_bad_cbs_code_gets_a_clear_message(self, team):
        response = team.client_for(team.teamlid).post(
            reverse("projects:gemeenten"), {"form": "nieuw", "nieuw-name": "Nieuwe Haven", "nieuw-cbs_code": "12"}
        )
        assert "Een CBS-code is GM met vier cijfers" in response.content.decode()
        assert not Gemeente.objects.filter(name="Nieuwe Haven").exists()


class TestMembers:
    def change(self, team, user, **data):
        membership = GemeenteMembership.objects.get(gemeente=team.project.gemeente, user=user)
        return team.client_for(team.programmamanager).post(
            url("projects:gemeente_member_change", team, membership.pk), data, follow=True
        )

    def test_a_programmamanager_adds_a_member_who_gets_an_email(self, team, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = team.client_for(team.programmamanager).post(
                url("projects:gemeente_members", team), {"email": "TIM@example.org", "role": "medewerker"}, follow=True
            )
        assert "Tim is lid van de gemeente." in response.content.decode()
        assert GemeenteMembership.objects.get(user=team.teamlid).role == GemeenteRole.MEDEWERKER
        assert mail.outbox[-1].to == [team.teamlid.email]
        assert "Petra heeft u medewerker gemaakt van de gemeente Voorbeeldstad" in mail.outbox[-1].body

    def test_an_unknown_email_gets_a_clear_message(self, team):
        response = team.client_for(team.programmamanager).post(
            url("projects:gemeente_members", team), {"email": "niemand@example.org", "role": "medewerker"}
        )
        assert "Er is geen account met dit e-mailadres." in response.content.decode()

    def test_a_role_is_changed(self, team):
        self.change(team, team.medewerker, role="programmamanager")
        assert GemeenteMembership.objects.get(user=team.medewerker).role == GemeenteRole.PROGRAMMAMANAGER

    def test_an_unknown_role_changes_nothing(self, team):
        assert "Kies een rol uit de lijst." in self.change(team, team.medewerker, role="baas").content.decode()
        assert GemeenteMembership.objects.get(user=team.medewerker).role == GemeenteRole.MEDEWERKER

    def test_the_last_programmamanager_cannot_be_demoted_or_removed(self, team):
        for data in ({"role": "medewerker"}, {"action": "remove"}):
            html = self.change(team, team.programmamanager, **data).content.decode()
            assert "Een gemeente heeft altijd minstens één programmamanager." in html
        assert GemeenteMembership.objects.get(user=team.programmamanager).role == GemeenteRole.PROGRAMMAMANAGER

    def test_the_last_programmamanager_cannot_delete_their_account_while_others_work_there(self, team):
        from accounts.forms import DeleteAccountForm

        form = DeleteAccountForm({"confirm": True}, user=team.programmamanager)
        assert not form.is_valid()
        assert "U bent de enige programmamanager van: Voorbeeldstad." in str(form.errors)
        self.change(team, team.medewerker, role="programmamanager")
        assert DeleteAccountForm({"confirm": True}, user=team.programmamanager).is_valid()

    def test_a_member_is_removed(self, team):
        self.change(team, team.medewerker, action="remove")
        assert not GemeenteMembership.objects.filter(user=team.medewerker).exists()
        assert team.client_for(team.medewerker).get(url("projects:portfolio", team)).status_code == 404


def row_names(html: str) -> list[str]:
    """The project names in the portfolio table, in order."""
    return [name.strip() for name in re.findall(r'<th scope="row">\s*(?:<a [^>]*>)?([^<]+)', html)]


def add_action(project, *, owner, due_in_days: int, by):
    return LogboekEntry.objects.create(
        project=project,
        kind=EntryKind.ACTIE,
        title="Bewonersavond plannen",
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=due_in_days),
        created_by=by,
    )


class TestPortfolio:
    def test_it_shows_phase_progress_counts_last_change_and_actions(self, team, kompas, knooppunt):
        second = kompas.add_knooppunt(1, 2)
        third = kompas.add_knooppunt(2, 1)
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
        status_set(project=team.project, knooppunt=second, status=Status.GEPAUZEERD, by=team.leider)
        status_set(project=team.project, knooppunt=third, status=Status.NIET_VAN_TOEPASSING, note="x", by=team.teamlid)
        add_action(team.project, owner=team.teamlid, due_in_days=-3, by=team.leider)
        add_action(team.project, owner=team.teamlid, due_in_days=5, by=team.leider)
        html = team.client_for(team.programmamanager).get(url("projects:portfolio", team)).content.decode()
        assert "1. Samen starten" in html  # the phase with work in progress
        assert "50%" in html  # 1 of the 2 knooppunten that apply
        assert "1 afgerond, 0 bezig, 1 gepauzeerd, 1 n.v.t." in html
        assert "Lotte" in html  # the last change (her action, after Tim's status), by name
        assert f">{dutch_date(timezone.localdate())}</time>" in html  # as everywhere else
        assert '<td class="number">2</td>' in html
        assert '<strong class="overdue">1</strong>' in html

    def test_subprojects_follow_their_main_project(self, team):
        project_create(gemeente=team.project.gemeente, name="Aardehuizen", by=team.medewerker)
        project_create(gemeente=team.project.gemeente, name="Zonnewijk", by=team.medewerker)
        project_create(gemeente=team.project.gemeente, name="Anton-initiatief", by=team.leider, parent=team.project)
        html = team.client_for(team.programmamanager).get(url("projects:portfolio", team)).content.decode()
        assert row_names(html) == ["Aardehuizen", "Bloemenbuurt", "Anton-initiatief", "Zonnewijk"]
        assert "deelproject van Bloemenbuurt" in html

    def test_it_sorts(self, team, kompas, knooppunt):
        other = project_create(gemeente=team.project.gemeente, name="Aardehuizen", by=team.medewerker)
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
        client = team.client_for(team.programmamanager)
        html = client.get(url("projects:portfolio", team), {"sort": "-voortgang"}).content.decode()
        assert html.index("Bloemenbuurt") < html.index(other.name)
        assert 'aria-sort="descending"' in html
        html = client.get(url("projects:portfolio", team), {"sort": "voortgang"}).content.decode()
        assert html.index(other.name) < html.index("Bloemenbuurt")
        html = client.get(url("projects:portfolio", team), {"sort": "onzin"}).content.decode()
        assert html.index(other.name) < html.index("Bloemenbuurt")  # by name

    def test_it_filters_on_overdue_actions_quiet_projects_and_phase(self, team, kompas, knooppunt):
        quiet = project_create(gemeente=team.project.gemeente, name="Stille Wijk", by=team.medewerker)
        Project.objects.filter(pk=quiet.pk).update(created_at=timezone.now() - timedelta(weeks=30))
        add_action(team.project, owner=team.leider, due_in_days=-1, by=team.leider)
        later = kompas.add_knooppunt(3, 1)
        status_set(project=team.project, knooppunt=later, status=Status.BEZIG, by=team.leider)
        client = team.client_for(team.programmamanager)

        def shown(**filters) -> list[str]:
            return row_names(client.get(url("projects:portfolio", team), filters).content.decode())

        assert shown(achterstallig="on") == ["Bloemenbuurt"]
        assert shown(stil="on") == ["Stille Wijk"]
        assert shown(fase="3") == ["Bloemenbuurt"]
        assert shown(fase="x") == ["Bloemenbuurt", "Stille Wijk"]  # a bad filter filters nothing

    def test_the_htmx_request_gets_only_the_table(self, team):
        response = team.client_for(team.programmamanager).get(
            url("projects:portfolio", team), {"sort": "-naam"}, headers={"HX-Request": "true"}
        )
        html = response.content.decode()
        assert html.strip().startswith('<div id="portfolio-table"') and "<h1>" not in html

    def test_it_links_only_the_projects_one_is_in(self, team):
        other = project_create(gemeente=team.project.gemeente, name="Havenkwartier", by=team.medewerker)
        html = team.client_for(team.programmamanager).get(url("projects:portfolio", team)).content.decode()
        assert "Havenkwartier" in html and other.get_absolute_url() not in html
        html = team.client_for(team.medewerker).get(url("projects:portfolio", team)).content.decode()
        assert other.get_absolute_url() in html

    def test_the_apk_date_score_and_trend(self, team, kompas):
        from apk.models import ApkSession, Participant, Question, State, Vote

        def session(days_ago, scores):
            held = ApkSession.objects.create(
                project=team.project,
                title="APK",
                date=timezone.localdate() - timedelta(days=days_ago),
                state=State.GESLOTEN,
            )
            question = Question.objects.create(session=held, text="Doen bewoners mee?")
            for score in scores:
                Vote.objects.create(
                    question=question, participant=Participant.objects.create(session=held), score=score, trend="gelijk"
                )
            return held

        session(200, ["rood", "oranje"])  # 25
        session(10, ["groen", "oranje"])  # 75
        html = team.client_for(team.programmamanager).get(url("projects:portfolio", team)).content.decode()
        assert "score 75 van 100 (beter)" in html

    @pytest.mark.parametrize("count", [2, 100])
    def test_it_makes_at_most_12_queries_whatever_the_number_of_projects(
        self, team, kompas, count, django_assert_max_num_queries
    ):
        knooppunten = kompas.add_many(12)
        projects = [team.project] + [
            project_create(gemeente=team.project.gemeente, name=f"Wijk {i:03d}", by=team.medewerker)
            for i in range(count - 1)
        ]
        for i, project in enumerate(projects):
            status_set(project=project, knooppunt=knooppunten[i % 12], status=Status.BEZIG, by=team.leider)
            add_action(project, owner=team.leider, due_in_days=-1, by=team.teamlid)
        client = team.client_for(team.programmamanager)
        client.get(url("projects:portfolio", team))  # each process loads the kompas once
        with django_assert_max_num_queries(12) as queries:
            response = client.get(url("projects:portfolio", team), {"sort": "-gewijzigd"})
        assert response.content.decode().count("portfolio__row ") == count
        print(f"portfolio with {count} projects: {len(queries.captured_queries)} queries")
        for name in ("projects:portfolio_csv", "projects:heatmap"):
            with django_assert_max_num_queries(12):
                client.get(url(name, team))


class TestCsvAndHeatmap:
    def test_the_csv_has_a_header_and_one_row_per_project_with_safe_cells(self, team, knooppunt):
        project_create(gemeente=team.project.gemeente, name="=SOM(A1)", by=team.medewerker)
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
        response = team.client_for(team.medewerker).get(url("projects:portfolio_csv", team))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="voorbeeldstad-portfolio-' in response["Content-Disposition"]
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        assert rows[0][:4] == ["project", "hoofdproject", "fase", "afgerond (%)"]
        assert [row[0] for row in rows[1:]] == ["'=SOM(A1)", "Bloemenbuurt"]
        bloemenbuurt = rows[2]
        assert bloemenbuurt[3] == "100" and bloemenbuurt[4] == "1" and bloemenbuurt[11] == "Lotte"

    def test_the_csv_follows_the_filters(self, team):
        project_create(gemeente=team.project.gemeente, name="Havenkwartier", by=team.medewerker)
        add_action(team.project, owner=team.leider, due_in_days=-1, by=team.leider)
        text = team.client_for(team.medewerker).get(url("projects:portfolio_csv", team), {"achterstallig": "on"})
        assert "Havenkwartier" not in text.content.decode() and "Bloemenbuurt" in text.content.decode()

    def test_the_heatmap_colours_each_phase_and_says_it_in_text(self, team, kompas, knooppunt):
        kompas.add_knooppunt(1, 2)
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
        html = team.client_for(team.medewerker).get(url("projects:heatmap", team)).content.decode()
        assert 'class="heat heat--2"' in html  # 50% of phase 1
        assert "1 van 2 afgerond, 0 bezig" in html
        assert "heat--none" in html  # phase 2: nothing recorded

    def test_the_heatmap_counts_as_its_percentage_does_without_what_does_not_apply(self, team, kompas, knooppunt):
        for number in (2, 3):
            kompas.add_knooppunt(1, number)
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
        nvt = kompas.fasen[0].knooppunten.get(code="1.03")
        status_set(project=team.project, knooppunt=nvt, status=Status.NIET_VAN_TOEPASSING, note="Geen", by=team.leider)
        html = team.client_for(team.medewerker).get(url("projects:heatmap", team)).content.decode()
        assert "50%" in html and "1 van 2 afgerond, 0 bezig, 1 niet van toepassing" in html


class TestLoadGemeenten:
    def test_it_loads_and_updates_from_csv(self, db, tmp_path):
        Gemeente.objects.create(name="Voorbeeldstad (demo)", is_verified=False)
        path = tmp_path / "gemeenten.csv"
        path.write_text("# voorbeeld\ncbs_code;name\nGM9901;Voorbeeldstad (demo)\ngm9902; Andersdorp  (demo)\n")
        out = io.StringIO()
        call_command("load_gemeenten", str(path), stdout=out)
        assert "1 added, 1 updated" in out.getvalue()
        assert Gemeente.objects.get(cbs_code="GM9901").is_verified
        assert Gemeente.objects.get(cbs_code="GM9902").name == "Andersdorp (demo)"
        call_command("load_gemeenten", str(path), stdout=out)
        assert Gemeente.objects.count() == 2

    def test_the_shipped_example_loads(self, db):
        from django.conf import settings

        call_command(
            "load_gemeenten", str(settings.BASE_DIR / "fixtures" / "gemeenten-voorbeeld.csv"), stdout=io.StringIO()
        )
        assert Gemeente.objects.filter(name__endswith="(demo)").count() == 3

    def test_a_bad_line_loads_nothing(self, db, tmp_path):
        path = tmp_path / "gemeenten.csv"
        path.write_text("cbs_code;name\nGM9901;Goed\n12;Fout\n")
        with pytest.raises(CommandError, match="line 3"):
            call_command("load_gemeenten", str(path), stdout=io.StringIO())
        assert not Gemeente.objects.exists()


class TestDataMigration:
    def test_projectleiders_become_programmamanagers(self, team):
        from importlib import import_module

        from django.apps import apps

        migration = import_module("projects.migrations.0005_programmamanagers_from_projectleiders")
        GemeenteMembership.objects.all().delete()
        migration.projectleiders_become_programmamanagers(apps, None)
        pairs = set(GemeenteMembership.objects.values_list("gemeente__name", "user__first_name", "role"))
        assert pairs == {("Voorbeeldstad", "Lotte", "programmamanager"), ("Andersdorp", "Otto", "programmamanager")}
        assert Membership.objects.filter(role=Role.TEAMLID).exists()  # teamleden get no gemeente role

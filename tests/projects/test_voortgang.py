"""The voortgang page: statuses on every knooppunt, progress, 'Wat nu?', and the status
change in place with HTMX (and without JavaScript)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import KnooppuntStatus, Membership, Role, Status, StatusChange
from projects.services import status_set


def voortgang_url(team) -> str:
    return reverse("projects:voortgang", args=[team.project.pk])


def change_url(team, knooppunt) -> str:
    return reverse("projects:status_change", args=[team.project.pk, knooppunt.code])


def status_data(code: str, **fields) -> dict:
    """The fields of a status form: named after the knooppunt, as on the voortgang page."""
    return {f"{code}-{name}": value for name, value in fields.items()}


def test_the_voortgang_page_shows_the_status_of_each_knooppunt(team, knooppunt, kompas):
    other = kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", sporen="F")
    status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
    html = team.client_for(team.meelezer).get(voortgang_url(team)).content.decode()
    card = html[html.index(f'id="knooppunt-{knooppunt.pk}"') :][:1500]
    assert "status--afgerond" in card and "Afgerond" in card
    other_card = html[html.index(f'id="knooppunt-{other.pk}"') :][:1500]
    assert "Niet gestart" in other_card
    assert "1 van 2 knooppunten afgerond" in html


def test_a_meelezer_gets_no_status_forms(team, knooppunt):
    html = team.client_for(team.meelezer).get(voortgang_url(team)).content.decode()
    assert "status-form" not in html
    html = team.client_for(team.teamlid).get(voortgang_url(team)).content.decode()
    assert "status-form" in html


def test_no_progress_bar_before_anything_is_recorded(team, knooppunt):
    html = team.client_for(team.leider).get(voortgang_url(team)).content.decode()
    assert '<svg class="bar"' not in html
    assert "Nog niets vastgelegd" in html
    status_set(project=team.project, knooppunt=knooppunt, status=Status.BEZIG, by=team.leider)
    html = team.client_for(team.leider).get(voortgang_url(team)).content.decode()
    assert '<svg class="bar"' in html


class TestStatusChange:
    def test_htmx_returns_the_card_the_progress_and_an_announcement(self, team, knooppunt):
        client = team.client_for(team.teamlid)
        response = client.post(
            change_url(team, knooppunt),
            status_data(knooppunt.code, status="bezig", note="Eerste gesprek gepland"),
            headers={"HX-Request": "true"},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith(f'<div id="card-status-{knooppunt.pk}"')
        assert '<p id="progress-summary" hx-swap-oob="true">' in html
        # Only the rows that changed: the knooppunt's phase, its sporen (A and C) and its track.
        assert '<tr id="progress-fase-1" hx-swap-oob="true">' in html and "progress-fase-2" not in html
        assert "progress-spoor-A" in html and "progress-spoor-C" in html and "progress-spoor-F" not in html
        assert "progress-track-sociaal" in html and "progress-track-technisch" not in html
        assert "De status van 1.01 is nu: Bezig." in html
        assert len(response.content) <= 4096
        assert "<html" not in html
        row = KnooppuntStatus.objects.get(project=team.project, knooppunt=knooppunt)
        assert (row.status, row.note, row.changed_by) == (Status.BEZIG, "Eerste gesprek gepland", team.teamlid)

    def test_without_javascript_it_redirects_back_with_a_message(self, team, knooppunt):
        client = team.client_for(team.teamlid)
        response = client.post(change_url(team, knooppunt), status_data(knooppunt.code, status="afgerond"), follow=True)
        assert response.redirect_chain[-1][0].startswith(voortgang_url(team))
        assert "De status van 1.01 is nu: Afgerond." in response.content.decode()

    def test_every_change_is_kept_in_the_timeline(self, team, knooppunt):
        client = team.client_for(team.teamlid)
        for status in ["bezig", "gepauzeerd", "bezig", "afgerond", "herzien"]:
            client.post(change_url(team, knooppunt), status_data(knooppunt.code, status=status))
        changes = list(StatusChange.objects.order_by("changed_at", "id").values_list("old_status", "new_status"))
        assert changes == [
            ("niet_gestart", "bezig"),
            ("bezig", "gepauzeerd"),
            ("gepauzeerd", "bezig"),
            ("bezig", "afgerond"),
            ("afgerond", "herzien"),
        ]
        page = client.get(reverse("projects:knooppunt", args=[team.project.pk, knooppunt.slug])).content.decode()
        assert page.count("zette de status van") == 5

    def test_the_knooppunt_page_shows_the_status_in_this_project_with_its_note(self, team, knooppunt):
        client = team.client_for(team.teamlid)
        url = reverse("projects:knooppunt", args=[team.project.pk, knooppunt.slug])
        page = client.get(url).content.decode()
        assert '<p class="status-label status--niet_gestart">' in page
        client.post(change_url(team, knooppunt), status_data(knooppunt.code, status="nvt", note="Geen huurders."))
        page = client.get(url).content.decode()
        assert (
            '<p class="status-label status--nvt"><span class="status-dot" aria-hidden="true"></span><span>Niet van toepassing'
            in page
        )
        assert "— Geen huurders.</span>" in page
        assert '<option value="nvt" selected>' in page

    def test_niet_van_toepassing_needs_a_reason(self, team, knooppunt):
        client = team.client_for(team.teamlid)
        response = client.post(
            change_url(team, knooppunt),
            status_data(knooppunt.code, status="nvt", note=""),
            headers={"HX-Request": "true"},
        )
        assert "Schrijf kort op waarom dit knooppunt niet van toepassing is." in response.content.decode()
        assert not KnooppuntStatus.objects.exists()
        client.post(
            change_url(team, knooppunt), status_data(knooppunt.code, status="nvt", note="Geen bedrijven in de wijk.")
        )
        assert KnooppuntStatus.objects.get().status == Status.NIET_VAN_TOEPASSING

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (status_data("1.01", status="klaar-hoor"), "Kies een status uit de lijst."),
            (status_data("1.01", status="bezig", note="x" * 1_000_000), "De toelichting is te lang"),
            ({}, "Dit veld is verplicht."),
        ],
    )
    def test_bad_input_gets_a_dutch_message_and_changes_nothing(self, team, knooppunt, data, message):
        client = team.client_for(team.teamlid)
        response = client.post(change_url(team, knooppunt), data, headers={"HX-Request": "true"})
        assert message in response.content.decode()
        assert not KnooppuntStatus.objects.exists() and not StatusChange.objects.exists()
        response = client.post(change_url(team, knooppunt), data, follow=True)
        assert message in response.content.decode()

    def test_an_unknown_or_unpublished_knooppunt_is_404(self, team, kompas):
        draft = kompas.add_knooppunt(1, 2, is_published=False)
        client = team.client_for(team.teamlid)
        assert (
            client.post(
                reverse("projects:status_change", args=[team.project.pk, "9.99"]), status_data("9.99", status="bezig")
            ).status_code
            == 404
        )
        assert client.post(change_url(team, draft), status_data(draft.code, status="bezig")).status_code == 404
        assert not KnooppuntStatus.objects.exists()


class TestWatNu:
    def test_it_suggests_a_knooppunt_whose_earlier_raakvlakken_are_done(self, team, knooppunt, kompas):
        next_step = kompas.add_knooppunt(2, 1, title="De wijk in beeld")
        next_step.raakvlakken.add(knooppunt)
        html = team.client_for(team.leider).get(voortgang_url(team)).content.decode()
        wat_nu = html[html.index("Wat nu?") :]
        assert "Klaar om op te pakken" not in wat_nu
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
        html = team.client_for(team.leider).get(voortgang_url(team)).content.decode()
        wat_nu = html[html.index("Wat nu?") : html.index("Het kompas van dit project")]
        assert "Klaar om op te pakken" in wat_nu and "De wijk in beeld" in wat_nu
        assert "alles waarop het voortbouwt is klaar: 1.01" in wat_nu

    def test_it_flags_work_that_is_bezig_for_too_long(self, team, knooppunt, settings, monkeypatch):
        settings.STALE_AFTER_WEEKS = 8
        status_set(project=team.project, knooppunt=knooppunt, status=Status.BEZIG, by=team.leider)
        started = timezone.now()

        def wat_nu_after(days: int) -> str:
            monkeypatch.setattr(timezone, "now", lambda: started + timedelta(days=days))
            html = team.client_for(team.leider).get(voortgang_url(team)).content.decode()
            return html[html.index("Wat nu?") : html.index("Het kompas van dit project")]

        assert "Al lang bezig zonder verandering" not in wat_nu_after(0)
        assert "Al lang bezig zonder verandering" not in wat_nu_after(8 * 7 - 1)
        # Nothing changed in the project, yet the next day's page is not the cached one of before.
        stale = wat_nu_after(8 * 7)
        assert "Al lang bezig zonder verandering" in stale and "Bewoners aan tafel" in stale
        assert "al 8 weken bezig zonder verandering" in stale
        assert "al 9 weken bezig zonder verandering" in wat_nu_after(9 * 7 + 3)

    def test_it_lists_open_knooppunten_of_the_phase_the_team_works_in(self, team, knooppunt, kompas):
        kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen")
        kompas.add_knooppunt(2, 2, title="Netcapaciteit")
        bezig = kompas.add_knooppunt(2, 3, title="Sociale kaart")
        status_set(project=team.project, knooppunt=bezig, status=Status.BEZIG, by=team.leider)
        html = team.client_for(team.leider).get(voortgang_url(team)).content.decode()
        wat_nu = html[html.index("Wat nu?") : html.index("Het kompas van dit project")]
        assert "Nog open in fase 2" in wat_nu and "Netcapaciteit" in wat_nu and "Bewoners aan tafel" not in wat_nu
        assert "nog open in de fase waarin het team nu werkt" in wat_nu


class TestTheCompactControl:
    def post(self, team, knooppunt, **data):
        client = team.client_for(team.teamlid)
        return client.post(change_url(team, knooppunt), data, headers={"HX-Request": "true"}).content.decode()

    def test_a_change_says_it_is_saved_and_can_be_undone(self, team, knooppunt):
        status_set(project=team.project, knooppunt=knooppunt, status=Status.BEZIG, note="Gestart", by=team.leider)
        html = self.post(team, knooppunt, **status_data(knooppunt.code, status="afgerond", note="Klaar"))
        assert "Opgeslagen." in html and 'name="undo"' in html
        html = self.post(team, knooppunt, undo="1")
        row = KnooppuntStatus.objects.get()
        assert (row.status, row.note) == (Status.BEZIG, "Gestart")
        assert "ongedaan gemaakt" in html and 'name="undo"' not in html
        # The undo is a step in the timeline too: nothing is hidden.
        assert [c.new_status for c in StatusChange.objects.order_by("changed_at", "id")] == [
            "bezig",
            "afgerond",
            "bezig",
        ]

    def test_undo_without_a_change_changes_nothing(self, team, knooppunt):
        html = self.post(team, knooppunt, undo="1")
        assert "Er is niets om ongedaan te maken." in html and not StatusChange.objects.exists()

    def test_niet_van_toepassing_without_a_reason_keeps_the_choice_and_opens_the_reason(self, team, knooppunt):
        html = self.post(team, knooppunt, **status_data(knooppunt.code, status="nvt", note=""))
        assert '<option value="nvt" selected>' in html
        assert '<details class="status-form__note" open>' in html and 'aria-invalid="true"' in html
        assert not KnooppuntStatus.objects.exists()

    def test_the_six_statuses_are_counted_apart_with_a_legend(self, team, kompas, knooppunt):
        for number, status in enumerate([Status.GEPAUZEERD, Status.HERZIEN, Status.BEZIG], start=2):
            status_set(project=team.project, knooppunt=kompas.add_knooppunt(1, number), status=status, by=team.leider)
        html = team.client_for(team.leider).get(voortgang_url(team)).content.decode()
        row = html[html.index('id="progress-fase-1"') :].split("</tr>")[0]
        # Afgerond, bezig, gepauzeerd, herzien, n.v.t., niet gestart.
        assert [cell.split("<")[0] for cell in row.split("<td>")[1:7]] == ["0", "1", "1", "1", "0", "1"]
        legend = html[html.index('class="bar-legend"') :].split("</ul>")[0]
        assert all(label in legend for label in ["Afgerond", "Bezig", "Gepauzeerd", "Herzien", "Niet van toepassing"])

    def test_phases_have_jump_links_and_fold(self, team, knooppunt):
        html = team.client_for(team.leider).get(voortgang_url(team)).content.decode()
        assert '<a href="#fase-1">' in html and 'id="fase-1"' in html
        assert '<details class="fase-fold" open data-current>' in html


def test_the_voortgang_page_makes_a_fixed_number_of_queries(team, kompas, django_assert_max_num_queries):
    client = team.client_for(team.teamlid)
    few = kompas.add_many(3)
    status_set(project=team.project, knooppunt=few[0], status=Status.BEZIG, by=team.leider)
    with django_assert_max_num_queries(14) as small:
        client.get(voortgang_url(team))
    many = kompas.add_many(120)
    for knooppunt in many[::2]:
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(voortgang_url(team))
    assert "60 van 123 knooppunten afgerond" in response.content.decode()


def test_the_status_change_makes_a_fixed_number_of_queries(team, kompas, django_assert_max_num_queries):
    client = team.client_for(team.teamlid)
    knooppunten = kompas.add_many(3)
    with django_assert_max_num_queries(25) as small:
        client.post(
            change_url(team, knooppunten[0]),
            status_data(knooppunten[0].code, status="bezig"),
            headers={"HX-Request": "true"},
        )
    knooppunten += kompas.add_many(120)
    for knooppunt in knooppunten[::3]:
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.post(
            change_url(team, knooppunten[1]),
            status_data(knooppunten[1].code, status="bezig"),
            headers={"HX-Request": "true"},
        )


def test_a_status_change_makes_eleven_queries_also_the_first(team, kompas, django_assert_num_queries):
    client = team.client_for(team.teamlid)
    knooppunt = kompas.add_many(3)[0]
    client.get(voortgang_url(team))  # each process loads the kompas once; measure the warm state
    with django_assert_num_queries(11):  # the first change creates the status row
        client.post(
            change_url(team, knooppunt), status_data(knooppunt.code, status="bezig"), headers={"HX-Request": "true"}
        )
    with django_assert_num_queries(11):
        client.post(
            change_url(team, knooppunt), status_data(knooppunt.code, status="afgerond"), headers={"HX-Request": "true"}
        )
    assert KnooppuntStatus.objects.get().status == Status.AFGEROND


def test_a_view_of_an_unchanged_project_reads_no_statuses(team, kompas, django_assert_num_queries):
    client = team.client_for(team.teamlid)
    knooppunten = kompas.add_many(3)
    status_set(project=team.project, knooppunt=knooppunten[0], status=Status.BEZIG, by=team.leider)
    client.get(voortgang_url(team))
    # The session, the user, the membership with the project switcher and whether the user is in
    # the gemeente (for the link to its portfolio), and the content version.
    with django_assert_num_queries(4) as queries:
        html = client.get(voortgang_url(team)).content.decode()
    assert not any(KnooppuntStatus._meta.db_table in query["sql"] for query in queries.captured_queries)
    assert "status--bezig" in html
    status_set(project=team.project, knooppunt=knooppunten[1], status=Status.AFGEROND, by=team.leider)
    with django_assert_num_queries(5):  # after a change the statuses are read once more
        html = client.get(voortgang_url(team)).content.decode()
    assert "1 van 3 knooppunten afgerond" in html


def test_every_status_change_raises_the_cache_version(team, knooppunt):
    for status in [Status.BEZIG, Status.AFGEROND]:
        status_set(project=team.project, knooppunt=knooppunt, status=status, by=team.leider)
    team.project.refresh_from_db()
    team.other_project.refresh_from_db()
    assert (team.project.cache_version, team.other_project.cache_version) == (2, 0)


def test_projects_share_cached_columns_and_rows_but_each_shows_its_own_statuses(team, knooppunt, kompas):
    """A phase column and a progress row are cached once for all projects with the same statuses
    in them (wijkkompas/caching.py): never does one project show another's status."""
    kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", sporen="F")
    lotte, otto = team.client_for(team.leider), team.client_for(team.outsider)
    other_url = reverse("projects:voortgang", args=[team.other_project.pk])

    def card(html: str) -> str:
        return html[html.index(f'id="knooppunt-{knooppunt.pk}"') :][:1500]

    status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
    assert "status--afgerond" in card(lotte.get(voortgang_url(team)).content.decode())
    html = otto.get(other_url).content.decode()
    assert "status--niet_gestart" in card(html) and "Nog niets vastgelegd" in html

    status_set(project=team.other_project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.outsider)
    html = otto.get(other_url).content.decode()
    assert "status--afgerond" in card(html) and "1 van 2 knooppunten afgerond" in html

    knooppunt.title = "Bewoners aan de keukentafel"
    knooppunt.save()
    for client, url in ((lotte, voortgang_url(team)), (otto, other_url)):
        assert "Bewoners aan de keukentafel" in card(client.get(url).content.decode())
    kompas.fasen[0].name = "Samen beginnen"
    kompas.fasen[0].save()
    assert "1. Samen beginnen" in otto.get(other_url).content.decode()  # the phase's progress row


def test_the_gemeente_links_to_its_portfolio_only_for_its_members(team, knooppunt):
    """Lotte is in the project only: the portfolio would be a 404 for her."""
    portfolio = reverse("projects:portfolio", args=[team.project.gemeente_id])
    assert portfolio not in team.client_for(team.leider).get(voortgang_url(team)).content.decode()
    Membership.objects.create(project=team.project, user=team.medewerker, role=Role.MEELEZER)
    assert portfolio in team.client_for(team.medewerker).get(voortgang_url(team)).content.decode()

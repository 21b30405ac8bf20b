"""The printable report and the CSV and JSON downloads of a project."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from projects.exchange import project_export
from projects.models import EntryKind, KnooppuntStatus, LogboekEntry, Status
from projects.services import project_create, status_set

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def url(name: str, team) -> str:
    return reverse(f"projects:{name}", args=[team.project.pk])


def rows_of(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def recorded(team, kompas, knooppunt):
    """Bloemenbuurt with statuses, decisions, actions, a link and a document."""
    project = team.project
    project.description = "Een naoorlogse wijk."
    project.save()
    project.gemeente.cbs_code = "GM9999"
    project.gemeente.save()
    wijk = kompas.add_knooppunt(2, 3, title="Wijk in beeld", sporen="DF")
    kompas.add_knooppunt(3, 1, title="Warmtebron kiezen", sporen="E")
    kompas.add_knooppunt(3, 2, title="Nog een concept", is_published=False)
    status_set(
        project=project, knooppunt=knooppunt, status=Status.AFGEROND, note="Klaar na twee avonden", by=team.teamlid
    )
    status_set(
        project=project, knooppunt=wijk, status=Status.NIET_VAN_TOEPASSING, note="Er is geen warmtenet", by=team.leider
    )
    project_create(gemeente=project.gemeente, parent=project, name="Bewonersinitiatief", by=team.leider)

    def entry(kind, title, day, **fields):
        return LogboekEntry.objects.create(
            project=project,
            kind=kind,
            title=title,
            created_by=team.leider,
            created_at=datetime(2025, 3, day, 9, 0, tzinfo=UTC),
            **fields,
        )

    entry(EntryKind.BESLUIT, "Later besluit", 20, body="Het college stemt in.", knooppunt=knooppunt)
    entry(EntryKind.BESLUIT, "Eerste besluit", 5)
    entry(EntryKind.ACTIE, "Bel de netbeheerder", 6, owner=team.teamlid, due_date=date(2025, 4, 1))
    entry(EntryKind.ACTIE, "Al gedaan", 7, owner=team.teamlid, is_done=True)
    entry(EntryKind.ACTIE, "Zonder datum", 8)
    entry(EntryKind.LINK, "Wijkkaart", 9, url="https://example.org/kaart")
    document = entry(EntryKind.DOCUMENT, "Verslag", 10, file_name="verslag.pdf", file_size=len(PDF))
    document.file.save("verslag.pdf", ContentFile(PDF), save=True)
    return project


class TestReport:
    def test_it_shows_the_facts_of_the_project(self, team, recorded):
        html = team.client_for(team.meelezer).get(url("report", team)).content.decode()
        assert "Rapport van Bloemenbuurt" in html
        assert "Voorbeeldstad (GM9999)" in html
        assert "Een naoorlogse wijk." in html
        assert "Bewonersinitiatief" in html
        assert "Lotte (projectleider)" in html and "Mila (meelezer)" in html

    def test_it_shows_progress_per_phase_per_spoor_and_the_balance_of_the_tracks(self, team, recorded):
        html = team.client_for(team.meelezer).get(url("report", team)).content.decode()
        assert "1 van 3 knooppunten afgerond (50% van wat van toepassing is)." in html
        assert "Per fase" in html and "Per spoor" in html and "Balans tussen de tracks" in html
        assert "1. Samen starten" in html and "D. Overstap is betaalbaar" in html
        assert "Technisch-economisch" in html
        assert 'class="bar__afgerond"' in html

    def test_it_lists_every_decision_in_date_order(self, team, recorded):
        html = team.client_for(team.meelezer).get(url("report", team)).content.decode()
        assert html.index("Eerste besluit") < html.index("Later besluit")
        assert "Het college stemt in." in html
        assert "5 maart 2025" in html

    def test_it_lists_open_actions_with_owner_and_due_date(self, team, recorded):
        html = team.client_for(team.meelezer).get(url("report", team)).content.decode()
        section = html[html.index('id="report-actions"') : html.index('id="report-under-way"')]
        assert "Bel de netbeheerder" in section and "Tim" in section and "1 april 2025" in section
        assert "(te laat)" in section
        assert "Zonder datum" in section and "Geen datum" in section
        assert "Al gedaan" not in section
        assert section.index("Bel de netbeheerder") < section.index("Zonder datum")  # dated actions first

    def test_it_lists_knooppunten_that_do_not_apply_with_their_reason(self, team, recorded):
        html = team.client_for(team.meelezer).get(url("report", team)).content.decode()
        section = html[html.index('id="report-nvt"') : html.index('id="report-exports"')]
        assert "2.03 Wijk in beeld" in section and "Er is geen warmtenet" in section
        assert "Bewoners aan tafel" not in section

    def test_it_lists_the_work_under_way_by_status_with_the_notes(self, team, kompas, recorded):
        project = team.project
        statuses = [
            (Status.BEZIG, "Warmtebron in beeld", "Offertes opgevraagd"),
            (Status.GEPAUZEERD, "Wachten op het Rijk", "Wacht op de nieuwe wet"),
            (Status.HERZIEN, "Plan opnieuw bekijken", ""),
        ]
        for number, (status, title, note) in enumerate(statuses, start=4):
            knooppunt = kompas.add_knooppunt(4, number, title=title)
            status_set(project=project, knooppunt=knooppunt, status=status, note=note, by=team.teamlid)
        html = team.client_for(team.meelezer).get(url("report", team)).content.decode()
        section = html[html.index('id="report-under-way"') : html.index('id="report-nvt"')]
        for label, title, note in (("Bezig", *statuses[0][1:]), ("Gepauzeerd", *statuses[1][1:])):
            group = section[section.index(f">{label} (1)</h3>") :]
            assert title in group[: group.index("</table>")] and note in group[: group.index("</table>")]
        herzien = section[section.index(">Herzien (1)</h3>") :]
        assert "Plan opnieuw bekijken" in herzien and "Geen toelichting" in herzien
        assert section.index(">Bezig (1)") < section.index(">Gepauzeerd (1)") < section.index(">Herzien (1)")
        # Afgerond and n.v.t. have their own places in the report.
        assert "Klaar na twee avonden" not in section and "Er is geen warmtenet" not in section

    def test_a_new_project_gets_friendly_empty_states(self, team, kompas):
        html = team.client_for(team.leider).get(url("report", team)).content.decode()
        assert "Nog niets vastgelegd." in html
        assert "Er zijn nog geen besluiten vastgelegd." in html
        assert "Er zijn geen open acties." in html
        assert "Er is geen knooppunt bezig, gepauzeerd of in herziening." in html

    def test_it_prints_without_inline_script_and_explains_printing_without_javascript(self, team, recorded):
        html = team.client_for(team.meelezer).get(url("report", team)).content.decode()
        assert re.search(r"<button[^>]*data-print[^>]*hidden[^>]*>Print of bewaar als PDF</button>", html)
        assert "js/print.js" in html and "css/report.css" in html
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html)), "no inline scripts (CSP)"
        assert "onclick" not in html
        assert "Ctrl+P" in html

    def test_the_tab_is_current_on_the_report_and_present_on_other_project_pages(self, team, recorded):
        client = team.client_for(team.meelezer)
        report = url("report", team)
        assert f'<a href="{report}" aria-current="page">Rapport en export</a>' in client.get(report).content.decode()
        assert f'<a href="{report}">Rapport en export</a>' in client.get(url("voortgang", team)).content.decode()

    def test_only_a_projectleider_is_offered_the_json_export(self, team, recorded):
        json_url = url("export_project", team)
        assert json_url in team.client_for(team.leider).get(url("report", team)).content.decode()
        meelezer_html = team.client_for(team.meelezer).get(url("report", team)).content.decode()
        assert json_url not in meelezer_html
        assert url("export_statuses", team) in meelezer_html and url("export_logboek", team) in meelezer_html


class TestStatusesCsv:
    def test_every_published_knooppunt_has_a_row_with_its_status(self, team, recorded):
        response = team.client_for(team.meelezer).get(url("export_statuses", team))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="bloemenbuurt-statussen.csv"'
        header, *rows = rows_of(response)
        assert header == ["code", "titel", "fase", "sporen", "status", "toelichting", "gewijzigd op", "gewijzigd door"]
        assert [row[0] for row in rows] == ["1.01", "2.03", "3.01"]  # no draft 3.02
        changed_at = timezone.localtime(KnooppuntStatus.objects.get(knooppunt__code="1.01").changed_at)
        assert rows[0] == [
            "1.01",
            "Bewoners aan tafel",
            "1. Samen starten",
            "A, C",
            "Afgerond",
            "Klaar na twee avonden",
            changed_at.strftime("%Y-%m-%d %H:%M"),
            "Tim",
        ]
        assert rows[1][4:6] == ["Niet van toepassing", "Er is geen warmtenet"]
        assert rows[2][3:] == ["E", "Niet gestart", "", "", ""]

    def test_only_this_projects_statuses_are_in_it(self, team, recorded, knooppunt):
        status_set(
            project=team.other_project, knooppunt=knooppunt, status=Status.BEZIG, note="Geheim", by=team.outsider
        )
        _header, *rows = rows_of(team.client_for(team.leider).get(url("export_statuses", team)))
        assert rows[0][4] == "Afgerond" and "Geheim" not in str(rows)


class TestLogboekCsv:
    def test_every_entry_has_a_row_with_all_its_facts(self, team, recorded):
        response = team.client_for(team.meelezer).get(url("export_logboek", team))
        assert response["Content-Disposition"] == 'attachment; filename="bloemenbuurt-logboek.csv"'
        header, *rows = rows_of(response)
        assert header == [
            "soort",
            "titel",
            "toelichting",
            "knooppunt",
            "gemaakt op",
            "gemaakt door",
            "eigenaar",
            "uiterlijk klaar op",
            "klaar",
            "link",
            "bestandsnaam",
        ]
        assert [row[1] for row in rows] == [
            "Eerste besluit",
            "Bel de netbeheerder",
            "Al gedaan",
            "Zonder datum",
            "Wijkkaart",
            "Verslag",
            "Later besluit",
        ]
        by_title = {row[1]: row for row in rows}
        assert by_title["Later besluit"] == [
            "Besluit",
            "Later besluit",
            "Het college stemt in.",
            "1.01",
            "2025-03-20 10:00",  # 9:00 UTC is 10:00 in Amsterdam
            "Lotte",
            "",
            "",
            "",
            "",
            "",
        ]
        assert by_title["Bel de netbeheerder"][6:9] == ["Tim", "2025-04-01", "nee"]
        assert by_title["Al gedaan"][8] == "ja"
        assert by_title["Wijkkaart"][9] == "https://example.org/kaart"
        assert by_title["Verslag"][10] == "verslag.pdf"


class TestFormulaInjection:
    @pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://evil")', "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1"])
    def test_a_cell_a_spreadsheet_would_run_gets_a_quote_in_front(self, team, kompas, knooppunt, dangerous):
        status_set(project=team.project, knooppunt=knooppunt, status=Status.BEZIG, note=dangerous, by=team.teamlid)
        LogboekEntry.objects.create(project=team.project, kind=EntryKind.NOTITIE, title=dangerous, body="gewoon")
        client = team.client_for(team.meelezer)
        _header, status_row = rows_of(client.get(url("export_statuses", team)))
        _header, entry_row = rows_of(client.get(url("export_logboek", team)))
        assert status_row[5] == "'" + dangerous
        assert entry_row[1] == "'" + dangerous and entry_row[2] == "gewoon"

    def test_ordinary_text_is_left_alone(self, team, kompas, knooppunt):
        status_set(
            project=team.project,
            knooppunt=knooppunt,
            status=Status.BEZIG,
            note='Prima; "goed" – klaar',
            by=team.teamlid,
        )
        _header, row = rows_of(team.client_for(team.meelezer).get(url("export_statuses", team)))
        assert row[5] == 'Prima; "goed" – klaar'


class TestJsonDownload:
    def test_a_projectleider_downloads_the_whole_project(self, team, recorded):
        response = team.client_for(team.leider).get(url("export_project", team))
        assert response["Content-Type"] == "application/json"
        today = timezone.localdate().isoformat()
        assert response["Content-Disposition"] == f'attachment; filename="bloemenbuurt-{today}.json"'
        data = json.loads(response.content)
        assert data["project"] == project_export(recorded)["project"]
        assert "tim@example.org" in {m["email"] for m in data["project"]["members"]}

    def test_downloads_are_not_kept_by_shared_caches(self, team, recorded):
        client = team.client_for(team.leider)
        for name in ("export_statuses", "export_logboek", "export_project"):
            assert "no-store" in client.get(url(name, team))["Cache-Control"]


EXPORTS = ["report", "export_statuses", "export_logboek", "export_project"]


class TestAccess:
    @pytest.mark.parametrize("name", EXPORTS)
    def test_an_outsider_gets_404(self, team, recorded, name):
        assert team.client_for(team.outsider).get(url(name, team)).status_code == 404

    @pytest.mark.parametrize("name", EXPORTS)
    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, team, recorded, name):
        response = team.client_for(None).get(url(name, team))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))

    @pytest.mark.parametrize(
        "persona,name,status",
        [
            ("meelezer", "report", 200),
            ("meelezer", "export_statuses", 200),
            ("meelezer", "export_logboek", 200),
            ("meelezer", "export_project", 403),
            ("teamlid", "export_project", 403),
            ("leider", "export_project", 200),
        ],
    )
    def test_members_get_what_their_role_allows(self, team, recorded, persona, name, status):
        assert team.client_for(getattr(team, persona)).get(url(name, team)).status_code == status

    @pytest.mark.parametrize("name", EXPORTS)
    def test_exports_only_answer_get(self, team, recorded, name):
        assert team.client_for(team.leider).post(url(name, team)).status_code == 405


def add_lots(team, kompas, count: int) -> None:
    """`count` more knooppunten with a status, a history row and logbook entries of every kind."""
    for i, knooppunt in enumerate(kompas.add_many(count)):
        status = Status.NIET_VAN_TOEPASSING if i % 3 == 0 else Status.BEZIG
        status_set(project=team.project, knooppunt=knooppunt, status=status, note=f"Reden {i}", by=team.teamlid)
        for kind in (EntryKind.BESLUIT, EntryKind.ACTIE, EntryKind.NOTITIE):
            LogboekEntry.objects.create(
                project=team.project,
                kind=kind,
                title=f"{kind} {i}",
                knooppunt=knooppunt,
                created_by=team.leider,
                owner=team.teamlid if kind == EntryKind.ACTIE else None,
                due_date=timezone.localdate() + timedelta(days=i) if kind == EntryKind.ACTIE else None,
            )


# Measured with the kompas already read: the report 10 queries (one tells whether the user is in the gemeente), the statuses 6 and the logbook 4, the same
# for 1 knooppunt and for 40 (2 of them are the session and the user).
QUERY_BUDGETS = [("report", 10), ("export_statuses", 6), ("export_logboek", 4)]


class TestQueryBudget:
    @pytest.mark.parametrize("name,budget", QUERY_BUDGETS)
    @pytest.mark.parametrize("count", [1, 40])
    def test_the_number_of_queries_does_not_grow_with_the_data(
        self, team, kompas, django_assert_max_num_queries, name, budget, count
    ):
        add_lots(team, kompas, count)
        client = team.client_for(team.meelezer)
        client.get(url(name, team))  # the shared kompas is read once per content version, not per page
        with django_assert_max_num_queries(budget):
            response = client.get(url(name, team))
        assert response.status_code == 200
        last = f"Reden {count - 1}" if name == "export_statuses" else f"besluit {count - 1}"
        assert last in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("count", [1, 40])
def test_the_json_export_makes_a_fixed_number_of_queries(team, kompas, django_assert_max_num_queries, count):
    add_lots(team, kompas, count)
    client = team.client_for(team.leider)
    # session, user, membership; then members, statuses, history, logbook and sub-projects;
    # and the plan (plannen, through exchange.SECTIONS): the plan, its texts, quotes and versions
    with django_assert_max_num_queries(12):
        response = client.get(url("export_project", team))
    assert len(json.loads(response.content)["project"]["history"]) == count

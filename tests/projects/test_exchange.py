"""The JSON export of a whole project and its import into another installation: a round trip
that loses nothing, and an import of bad data that writes nothing."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from projects.exchange import FORMAT, VERSION, project_export, project_import
from projects.models import (
    EntryKind,
    Gemeente,
    GemeenteMembership,
    GemeenteRole,
    KnooppuntStatus,
    LogboekEntry,
    Membership,
    Project,
    Role,
    Status,
    StatusChange,
)
from projects.services import project_create, status_set
from tests.conftest import dutch_date

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def filled(team, kompas, knooppunt):
    """Bloemenbuurt with a history, a logbook with documents, and a sub-project with its own."""
    project = team.project
    project.description = "Een naoorlogse wijk.\nVeel huurwoningen."
    project.gemeente.cbs_code = "GM9999"
    project.gemeente.save()
    project.save()
    second = kompas.add_knooppunt(2, 3, title="Wijk in beeld", sporen="DF")
    third = kompas.add_knooppunt(3, 1, title="Warmtebron kiezen", sporen="E")
    Membership.objects.filter(project=project, user=team.teamlid).update(is_facilitator=True)
    # The importers in these tests work in Voorbeeldstad: an import goes only into one's own gemeente.
    for user in (team.leider, team.meelezer, team.outsider):
        GemeenteMembership.objects.create(gemeente=project.gemeente, user=user, role=GemeenteRole.MEDEWERKER)

    status_set(project=project, knooppunt=knooppunt, status=Status.BEZIG, note="Eerste gesprek", by=team.teamlid)
    status_set(project=project, knooppunt=knooppunt, status=Status.AFGEROND, note="Klaar", by=team.leider)
    status_set(
        project=project, knooppunt=second, status=Status.NIET_VAN_TOEPASSING, note="Geen netwerk", by=team.leider
    )
    # Timestamps from the past, with microseconds, must come back exactly.
    for i, change in enumerate(StatusChange.objects.order_by("id"), start=1):
        StatusChange.objects.filter(pk=change.pk).update(changed_at=at(i))
    KnooppuntStatus.objects.filter(knooppunt=knooppunt).update(changed_at=at(2))

    LogboekEntry.objects.create(
        project=project,
        kind=EntryKind.BESLUIT,
        title="We starten",
        body="Het college stemt in.",
        knooppunt=knooppunt,
        created_by=team.leider,
        created_at=at(1),
    )
    LogboekEntry.objects.create(
        project=project,
        kind=EntryKind.ACTIE,
        title="Bel de netbeheerder",
        owner=team.teamlid,
        due_date=date(2025, 4, 1),
        is_done=True,
        created_by=team.leider,
        created_at=at(2),
    )
    LogboekEntry.objects.create(
        project=project,
        kind=EntryKind.LINK,
        title="Wijkkaart",
        url="https://example.org/kaart",
        created_by=team.meelezer,
        created_at=at(3),
    )
    document = LogboekEntry(
        project=project,
        kind=EntryKind.DOCUMENT,
        title="Verslag",
        created_by=team.teamlid,
        created_at=at(4),
        file_name="verslag bewonersavond.pdf",
        file_size=len(PDF),
    )
    document.file.save("verslag.pdf", ContentFile(PDF), save=True)

    sub = project_create(gemeente=project.gemeente, parent=project, name="Bewonersinitiatief", by=team.leider)
    status_set(project=sub, knooppunt=third, status=Status.GEPAUZEERD, note="Wacht op subsidie", by=team.teamlid)
    picture = LogboekEntry(
        project=sub,
        kind=EntryKind.DOCUMENT,
        title="Foto",
        created_by=team.leider,
        file_name="straat.png",
        file_size=len(PNG),
    )
    picture.file.save("straat.png", ContentFile(PNG), save=True)
    return project


def wipe_installation() -> None:
    """What a fresh installation has: the kompas content and accounts, no projects and no gemeenten."""
    Project.objects.all().delete()
    Gemeente.objects.all().delete()


def test_the_export_names_people_by_email_and_embeds_documents(filled, team):
    data = project_export(filled)
    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    project = data["project"]
    assert project["gemeente"] == {"name": "Voorbeeldstad", "cbs_code": "GM9999"}
    assert {(m["email"], m["role"], m["is_facilitator"]) for m in project["members"]} == {
        ("lotte@example.org", Role.PROJECTLEIDER, False),
        ("tim@example.org", Role.TEAMLID, True),
        ("mila@example.org", Role.MEELEZER, False),
    }
    assert [(s["knooppunt"], s["status"], s["changed_by"]) for s in project["statuses"]] == [
        ("1.01", "afgerond", "lotte@example.org"),
        ("2.03", "nvt", "lotte@example.org"),
    ]
    assert [(c["old_status"], c["new_status"], c["note"]) for c in project["history"]] == [
        ("niet_gestart", "bezig", "Eerste gesprek"),
        ("bezig", "afgerond", "Klaar"),
        ("niet_gestart", "nvt", "Geen netwerk"),
    ]
    assert project["history"][0]["changed_at"] == "2025-03-01T10:30:15.123456+00:00"
    document = project["logboek"][3]["document"]
    assert document["name"] == "verslag bewonersavond.pdf" and document["size"] == len(PDF)
    assert project["subprojects"][0]["name"] == "Bewonersinitiatief"
    assert project["subprojects"][0]["statuses"][0]["note"] == "Wacht op subsidie"
    json.dumps(data)  # plain JSON, nothing that needs a custom encoder


class TestRoundTrip:
    def test_a_project_comes_back_whole_in_an_empty_installation(self, filled, team, private_media):
        before = json.loads(json.dumps(project_export(filled)))
        counts = (KnooppuntStatus.objects.count(), StatusChange.objects.count(), LogboekEntry.objects.count())
        wipe_installation()
        assert not KnooppuntStatus.objects.exists() and not StatusChange.objects.exists()

        imported = project_import(data=before, by=team.leider)

        assert project_export(imported)["project"] == before["project"]
        assert counts == (KnooppuntStatus.objects.count(), StatusChange.objects.count(), LogboekEntry.objects.count())
        first = StatusChange.objects.filter(project=imported).order_by("changed_at").first()
        assert (first.changed_at, first.note, first.changed_by) == (at(1), "Eerste gesprek", team.teamlid)
        assert imported.gemeente.cbs_code == "GM9999"
        assert imported.unlinked_emails == []

    def test_documents_come_back_byte_for_byte_in_new_private_files(self, filled, team):
        data = project_export(filled)
        old_names = set(LogboekEntry.objects.exclude(file="").values_list("file", flat=True))
        wipe_installation()
        imported = project_import(data=data, by=team.leider)
        document = LogboekEntry.objects.get(project=imported, kind=EntryKind.DOCUMENT)
        with document.file.open("rb") as handle:
            assert handle.read() == PDF
        assert (document.file_name, document.file_size) == ("verslag bewonersavond.pdf", len(PDF))
        assert document.file.name.startswith(f"documents/{imported.pk}/") and document.file.name not in old_names
        picture = LogboekEntry.objects.get(project__parent=imported)
        assert picture.file.read() == PNG

    def test_people_without_an_account_lose_the_link_but_not_the_facts(self, filled, team):
        data = project_export(filled)
        wipe_installation()
        team.teamlid.delete()
        newcomer = type(team.leider).objects.create_user(email="nieuw@example.org", password="x-lang-wachtwoord-9")

        imported = project_import(data=data, by=newcomer)

        assert imported.unlinked_emails == ["tim@example.org"]
        roles = dict(Membership.objects.filter(project=imported).values_list("user__email", "role"))
        assert roles == {
            "lotte@example.org": Role.PROJECTLEIDER,
            "mila@example.org": Role.MEELEZER,
            "nieuw@example.org": Role.PROJECTLEIDER,
        }
        history = list(StatusChange.objects.filter(project=imported).order_by("changed_at"))
        assert [(c.new_status, c.note, c.changed_by) for c in history] == [
            ("bezig", "Eerste gesprek", None),
            ("afgerond", "Klaar", team.leider),
            ("nvt", "Geen netwerk", team.leider),
        ]
        action = LogboekEntry.objects.get(project=imported, kind=EntryKind.ACTIE)
        assert (action.owner, action.due_date, action.is_done) == (None, date(2025, 4, 1), True)

    def test_the_importer_leads_every_imported_project(self, filled, team):
        data = project_export(filled)
        imported = project_import(data=data, by=team.meelezer)
        sub = imported.subprojects.get()
        for project in (imported, sub):
            assert Membership.objects.get(project=project, user=team.meelezer).role == Role.PROJECTLEIDER
        assert sub.gemeente == imported.gemeente == filled.gemeente  # the existing municipality, by CBS code
        # A new project next to the old one, with a name that tells them apart.
        assert imported.name == f"Bloemenbuurt (ingelezen op {dutch_date(timezone.localdate())})"
        assert sub.name.startswith("Bewonersinitiatief (ingelezen op ")
        assert Project.objects.filter(name="Bloemenbuurt").get() == filled


def broken(data: dict, change) -> dict:
    data = copy.deepcopy(data)
    change(data)
    return data


def set_in(path: list, value):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


BAD_INPUT = [
    ("not a dict", lambda data: data.clear(), "geen projectexport van Wijkkompas"),
    ("another format", set_in(["format"], "trello"), "geen projectexport van Wijkkompas"),
    ("a newer version", set_in(["version"], 2), "versie 2"),
    ("a version as text", set_in(["version"], "1"), "versienummer"),
    ("an unknown knooppunt", set_in(["project", "subprojects", 0, "statuses", 0, "knooppunt"], "9.99"), "9.99"),
    ("statuses not a list", set_in(["project", "statuses"], "afgerond"), "'statuses' moet een lijst zijn"),
    ("an unknown status", set_in(["project", "statuses", 0, "status"], "klaar"), "Bloemenbuurt, status 1"),
    ("a moment as a number", set_in(["project", "history", 0, "changed_at"], 1740825015), "datum als tekst"),
    ("a moment that is no date", set_in(["project", "history", 0, "changed_at"], "gisteren"), "statuswijziging 1"),
    ("a missing title", set_in(["project", "logboek", 0, "title"], None), "'title' moet een tekst zijn"),
    ("done as text", set_in(["project", "logboek", 1, "is_done"], "ja"), "'is_done' moet true of false zijn"),
    ("a bad web address", set_in(["project", "logboek", 2, "url"], "javascript:alert(1)"), "'url'"),
    ("an unknown role", set_in(["project", "members", 0, "role"], "baas"), "lid 1"),
    ("a person without email", set_in(["project", "members", 0, "email"], 42), "e-mailadres"),
    ("broken base64", set_in(["project", "logboek", 3, "document", "content"], "%%%"), "geen geldige base64"),
    ("a cut-off document", set_in(["project", "logboek", 3, "document", "size"], 9999), "niet compleet"),
    ("a start date in the wrong form", set_in(["project", "start_date"], "1-3-2025"), "'start_date'"),
    ("a sub-project that is text", set_in(["project", "subprojects", 0], "Bewonersinitiatief"), "deelproject 1"),
]


class TestBadInput:
    @pytest.mark.parametrize("change,message", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT])
    def test_bad_data_gets_a_clear_message_and_writes_nothing(self, filled, team, private_media, change, message):
        data = broken(project_export(filled), change)
        counts = [
            model.objects.count()
            for model in (Project, Gemeente, Membership, KnooppuntStatus, StatusChange, LogboekEntry)
        ]
        files = stored_files(private_media)
        with pytest.raises(ValidationError) as error:
            project_import(data=data, by=team.outsider)
        assert message in " ".join(error.value.messages)
        assert counts == [
            model.objects.count()
            for model in (Project, Gemeente, Membership, KnooppuntStatus, StatusChange, LogboekEntry)
        ]
        assert stored_files(private_media) == files

    def test_a_program_disguised_as_a_pdf_is_refused(self, filled, team):
        data = project_export(filled)
        data["project"]["logboek"][3]["document"].update(content="TVqQAAMAAAAEAAAA", size=12)
        with pytest.raises(ValidationError, match="past niet bij de naam"):
            project_import(data=data, by=team.outsider)

    def test_every_problem_is_listed_with_its_place(self, filled, team):
        data = project_export(filled)
        data["project"]["statuses"][0]["status"] = "klaar"
        data["project"]["subprojects"][0]["logboek"][0]["kind"] = "roddel"
        with pytest.raises(ValidationError) as error:
            project_import(data=data, by=team.outsider)
        messages = error.value.messages
        assert len(messages) == 2
        assert messages[0].startswith("Bloemenbuurt, status 1: 'status'")
        assert messages[1].startswith("Bewonersinitiatief, logboekregel 1: 'kind'")

    def test_a_failure_while_writing_leaves_no_rows_and_no_files(self, filled, team, private_media, monkeypatch):
        data = project_export(filled)
        files = stored_files(private_media)
        projects = Project.objects.count()

        def fail(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(type(LogboekEntry.objects), "bulk_create", fail)
        with pytest.raises(RuntimeError):
            project_import(data=data, by=team.outsider)
        assert Project.objects.count() == projects
        assert stored_files(private_media) == files


class TestImportPage:
    URL = reverse("projects:import")

    def upload(self, client, content: bytes, name: str = "export.json"):
        return client.post(self.URL, {"file": SimpleUploadedFile(name, content, content_type="application/json")})

    def test_a_visitor_must_log_in_first(self, client):
        response = client.get(self.URL)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))

    def test_the_page_explains_what_happens(self, team):
        html = team.client_for(team.outsider).get(self.URL).content.decode()
        assert (
            "Project inlezen" in html and 'enctype="multipart/form-data"' in html and "U wordt de projectleider" in html
        )
        assert "ingelezen op" in html  # how a second project of the same name is told apart

    def test_mijn_projecten_links_to_the_page(self, team):
        html = team.client_for(team.outsider).get(reverse("projects:list")).content.decode()
        assert f'href="{self.URL}"' in html

    def test_an_export_becomes_a_new_project_led_by_the_importer(self, filled, team):
        raw = json.dumps(project_export(filled)).encode()
        response = self.upload(team.client_for(team.outsider), raw)
        project = Project.objects.filter(name__startswith="Bloemenbuurt (ingelezen op ").get()
        assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
        assert Membership.objects.get(project=project, user=team.outsider).role == Role.PROJECTLEIDER
        assert KnooppuntStatus.objects.filter(project=project).count() == 2

    def test_people_without_an_account_are_named_after_the_import(self, filled, team):
        data = project_export(filled)
        data["project"]["members"].append({"email": "onbekend@example.org", "role": "teamlid", "is_facilitator": False})
        response = team.client_for(team.outsider).post(
            self.URL, {"file": SimpleUploadedFile("e.json", json.dumps(data).encode())}, follow=True
        )
        html = response.content.decode()
        assert "is ingelezen" in html and "onbekend@example.org" in html

    @pytest.mark.parametrize(
        "content,message",
        [
            (b"\x89PNG\r\n\x1a\n\xff\xfe", "Dit bestand is geen tekst"),
            (b"{ dit is geen json", "geen geldig JSON-bestand"),
            (b"[1, 2, 3]", "geen projectexport van Wijkkompas"),
            (b"[" * 100_000, "geen geldig JSON-bestand"),
            (
                json.dumps({"format": FORMAT, "version": VERSION, "project": {"name": 5}}).encode(),
                "moet een tekst zijn",
            ),
            (b"", "leeg"),
        ],
        ids=["binary", "broken json", "a list", "deeply nested", "wrong types", "empty"],
    )
    def test_a_wrong_file_gets_a_dutch_message_and_no_project(self, team, content, message):
        projects = Project.objects.count()
        response = self.upload(team.client_for(team.outsider), content)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Project.objects.count() == projects

    def test_a_file_above_the_limit_is_refused_before_it_is_read(self, team, monkeypatch):
        monkeypatch.setattr("projects.forms.MAX_IMPORT_MB", 0)
        response = self.upload(team.client_for(team.outsider), b'{"format": "wijkkompas-project"}')
        assert "Dit bestand is te groot" in response.content.decode()


class TestCommands:
    def test_export_and_import_through_the_command_line(self, filled, team, tmp_path):
        target = tmp_path / "bloemenbuurt.json"
        call_command("export_project", filled.pk, output=str(target), stderr=StringIO())
        data = json.loads(target.read_text(encoding="utf-8"))
        assert data["project"]["name"] == "Bloemenbuurt"
        wipe_installation()
        out = StringIO()
        call_command("import_project", str(target), user="LOTTE@example.org", stdout=out)
        project = Project.objects.get(parent=None)
        assert f"Imported project {project.pk}: Bloemenbuurt" in out.getvalue()
        assert project_export(project)["project"] == data["project"]

    def test_export_writes_to_standard_output_without_a_file(self, filled):
        out = StringIO()
        call_command("export_project", filled.pk, stdout=out)
        assert json.loads(out.getvalue())["project"]["name"] == "Bloemenbuurt"

    def test_import_of_bad_data_stops_with_the_problems(self, team, tmp_path):
        target = tmp_path / "kapot.json"
        target.write_text(json.dumps({"format": FORMAT, "version": 7}))
        with pytest.raises(CommandError, match="versie 7"):
            call_command("import_project", str(target), user="lotte@example.org")

    def test_import_needs_an_existing_account(self, team, tmp_path):
        with pytest.raises(CommandError, match="no account"):
            call_command("import_project", str(tmp_path / "x.json"), user="niemand@example.org")

"""The logbook: decisions, actions, notes, links and documents; documents are private."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from projects.models import EntryKind, LogboekEntry

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def logboek_url(team) -> str:
    return reverse("projects:logboek", args=[team.project.pk])


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_teamlid_records_a_decision_tied_to_a_knooppunt(team, knooppunt):
    client = team.client_for(team.teamlid)
    response = client.post(
        logboek_url(team),
        {
            "kind": "besluit",
            "title": "We starten met de Bloemenbuurt",
            "body": "Het college stemt in.",
            "knooppunt": knooppunt.pk,
        },
        follow=True,
    )
    entry = LogboekEntry.objects.get()
    assert (entry.kind, entry.knooppunt, entry.created_by) == (EntryKind.BESLUIT, knooppunt, team.teamlid)
    html = response.content.decode()
    assert "We starten met de Bloemenbuurt" in html and "staat in het logboek" in html
    page = client.get(reverse("projects:knooppunt", args=[team.project.pk, knooppunt.slug])).content.decode()
    assert "We starten met de Bloemenbuurt" in page


def test_an_action_has_an_owner_and_a_due_date_and_can_be_marked_done(team):
    client = team.client_for(team.teamlid)
    client.post(
        logboek_url(team),
        {"kind": "actie", "title": "Bel de netbeheerder", "owner": team.leider.pk, "due_date": "2030-01-15"},
        follow=True,
    )
    action = LogboekEntry.objects.get()
    assert action.owner == team.leider and str(action.due_date) == "2030-01-15" and not action.is_done
    toggle = reverse("projects:action_toggle", args=[team.project.pk, action.pk])
    response = client.post(toggle, headers={"HX-Request": "true"})
    assert f'id="regel-{action.pk}"' in response.content.decode() and "Weer openzetten" in response.content.decode()
    action.refresh_from_db()
    assert action.is_done
    html = client.get(logboek_url(team) + "?open=1").content.decode()
    assert "Bel de netbeheerder" not in html


def test_an_action_owner_must_be_in_the_team(team):
    client = team.client_for(team.teamlid)
    response = client.post(logboek_url(team), {"kind": "actie", "title": "Iets", "owner": team.outsider.pk})
    assert "Kies een eigenaar uit het team." in response.content.decode()
    assert not LogboekEntry.objects.exists()


def test_the_list_filters_by_kind(team):
    LogboekEntry.objects.create(project=team.project, kind=EntryKind.BESLUIT, title="Een besluit")
    LogboekEntry.objects.create(project=team.project, kind=EntryKind.NOTITIE, title="Een notitie")
    html = team.client_for(team.meelezer).get(logboek_url(team) + "?soort=besluit").content.decode()
    assert "Een besluit" in html and "Een notitie" not in html


class TestDocuments:
    @pytest.mark.parametrize(
        ("name", "content"),
        [("plan.pdf", PDF), ("verslag.docx", docx()), ("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)],
    )
    def test_a_document_is_stored_and_served_only_to_members(self, team, name, content):
        client = team.client_for(team.teamlid)
        client.post(
            logboek_url(team), {"kind": "document", "title": "Stuk", "document": SimpleUploadedFile(name, content)}
        )
        entry = LogboekEntry.objects.get()
        assert entry.file_name == name and entry.file_size == len(content)
        assert name not in entry.file.name  # stored under a random name
        url = reverse("projects:document", args=[team.project.pk, entry.pk])
        response = team.client_for(team.meelezer).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert "attachment" in response["Content-Disposition"]
        assert team.client_for(team.outsider).get(url).status_code == 404

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("virus.exe", b"MZ\x90\x00", "Dit soort bestand kan niet in het logboek."),
            (
                "plan.pdf",
                b"<html><script>alert(1)</script>",
                "De inhoud van dit bestand past niet bij de naam plan.pdf.",
            ),
            (
                "verslag.docx",
                b"PK\x03\x04 not really a zip",
                "De inhoud van dit bestand past niet bij de naam verslag.docx.",
            ),
        ],
    )
    def test_a_file_of_the_wrong_type_is_refused(self, team, name, content, message):
        response = team.client_for(team.teamlid).post(
            logboek_url(team), {"kind": "document", "title": "Stuk", "document": SimpleUploadedFile(name, content)}
        )
        assert message in response.content.decode()
        assert not LogboekEntry.objects.exists()

    def test_a_file_that_is_too_large_is_refused_and_nothing_is_written(self, team, settings, tmp_path):
        settings.MAX_UPLOAD_MB = 1
        big = SimpleUploadedFile("groot.pdf", PDF + b"0" * (1024 * 1024))
        response = team.client_for(team.teamlid).post(
            logboek_url(team), {"kind": "document", "title": "Groot", "document": big}
        )
        assert "Dit bestand is te groot" in response.content.decode()
        assert not LogboekEntry.objects.exists()
        assert not any(tmp_path.rglob("*.pdf"))

    def test_a_document_entry_needs_a_file(self, team):
        response = team.client_for(team.teamlid).post(logboek_url(team), {"kind": "document", "title": "Leeg"})
        assert "Kies het bestand dat u wilt bewaren." in response.content.decode()
        assert not LogboekEntry.objects.exists()


def test_the_logbook_makes_a_fixed_number_of_queries(team, knooppunt, django_assert_max_num_queries):
    client = team.client_for(team.teamlid)
    LogboekEntry.objects.create(
        project=team.project,
        kind=EntryKind.ACTIE,
        title="Eén",
        owner=team.leider,
        knooppunt=knooppunt,
        created_by=team.teamlid,
    )
    with django_assert_max_num_queries(20) as small:
        client.get(logboek_url(team))
    LogboekEntry.objects.bulk_create(
        LogboekEntry(
            project=team.project,
            kind=EntryKind.ACTIE,
            title=f"Actie {i}",
            owner=team.leider,
            knooppunt=knooppunt,
            created_by=team.teamlid,
        )
        for i in range(150)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(logboek_url(team))
    assert "Actie 149" in response.content.decode()


def test_a_storage_failure_leaves_no_half_written_entry(team, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def broken_save(self, name, content, max_length=None):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", broken_save)
    response = team.client_for(team.teamlid).post(
        logboek_url(team), {"kind": "document", "title": "Stuk", "document": SimpleUploadedFile("plan.pdf", PDF)}
    )
    assert response.status_code == 200
    assert "Het bestand kon niet worden bewaard. Er is niets vastgelegd." in response.content.decode()
    assert not LogboekEntry.objects.exists()


class TestEntryText:
    def test_markdown_is_rendered_with_the_kompas_sanitiser(self, team):
        LogboekEntry.objects.create(
            project=team.project,
            kind=EntryKind.NOTITIE,
            title="Verslag",
            body=(
                "Zie **het verslag** op [de site](https://example.org/verslag).\n\n"
                "<script>alert('x')</script>\n\n"
                "[klik](javascript:alert(1))"
            ),
        )
        html = team.client_for(team.meelezer).get(logboek_url(team)).content.decode()
        assert "<strong>het verslag</strong>" in html
        assert '<a href="https://example.org/verslag" rel="noopener noreferrer">de site</a>' in html
        assert "<script>alert" not in html and "alert('x')" not in html
        assert "javascript:" not in html
        assert "**het verslag**" not in html

    def test_a_long_word_can_break(self, team):
        """The CSS breaks it (overflow-wrap: anywhere); the browser test checks the page width."""
        LogboekEntry.objects.create(project=team.project, kind=EntryKind.NOTITIE, title="Lang", body="a" * 200)
        html = team.client_for(team.meelezer).get(logboek_url(team)).content.decode()
        assert '<div class="log-entry__body"><p>' + "a" * 200 + "</p></div>" in html

    def test_the_due_date_reads_uiterlijk_op(self, team):
        LogboekEntry.objects.create(
            project=team.project, kind=EntryKind.ACTIE, title="Bel", owner=team.leider, due_date="2030-01-15"
        )
        html = team.client_for(team.meelezer).get(logboek_url(team)).content.decode()
        assert "Uiterlijk op: 15 januari 2030." in html
        assert "Klaar op" not in html


class TestTheForm:
    @pytest.mark.parametrize(
        "missing,message",
        [
            ("owner", "Kies wie de actie uitvoert."),
            ("due_date", "Vul in wanneer de actie uiterlijk klaar moet zijn."),
        ],
    )
    def test_an_action_needs_an_owner_and_a_due_date(self, team, missing, message):
        data = {"kind": "actie", "title": "Bel de netbeheerder", "owner": team.leider.pk, "due_date": "2030-01-15"}
        del data[missing]
        response = team.client_for(team.teamlid).post(logboek_url(team), data)
        html = response.content.decode()
        assert response.status_code == 200
        assert message in html
        assert f'href="#id_{missing}"' in html  # the error summary links to the field
        assert 'aria-invalid="true"' in html
        assert not LogboekEntry.objects.exists()

    def test_an_action_due_in_the_past_is_refused_and_today_is_fine(self, team):
        data = {"kind": "actie", "title": "Bel de netbeheerder", "owner": team.leider.pk, "due_date": "2020-01-15"}
        html = team.client_for(team.teamlid).post(logboek_url(team), data).content.decode()
        assert "Deze datum is al voorbij. Kies vandaag of een latere datum." in html
        assert not LogboekEntry.objects.exists()
        data["due_date"] = timezone.localdate().isoformat()
        team.client_for(team.teamlid).post(logboek_url(team), data)
        assert LogboekEntry.objects.get().due_date == timezone.localdate()

    def test_an_action_without_both_gets_both_messages(self, team):
        response = team.client_for(team.teamlid).post(logboek_url(team), {"kind": "actie", "title": "Iets"})
        html = response.content.decode()
        assert "Kies wie de actie uitvoert." in html and "Vul in wanneer de actie uiterlijk klaar moet zijn." in html
        assert not LogboekEntry.objects.exists()

    def test_a_note_needs_no_owner_or_date_and_keeps_none(self, team):
        team.client_for(team.teamlid).post(
            logboek_url(team), {"kind": "notitie", "title": "Iets", "owner": team.leider.pk, "due_date": "2030-01-15"}
        )
        note = LogboekEntry.objects.get()
        assert (note.owner, note.due_date) == (None, None)

    def test_the_form_stands_above_the_list_and_the_browser_leaves_checking_to_us(self, team):
        LogboekEntry.objects.create(project=team.project, kind=EntryKind.NOTITIE, title="Een oude notitie")
        html = team.client_for(team.teamlid).get(logboek_url(team)).content.decode()
        assert html.index('id="nieuw"') < html.index('class="logboek"') < html.index("Een oude notitie")
        form = html[html.index('id="nieuw"') :]
        assert "novalidate" in form[: form.index("</form>")]


def test_an_action_past_its_date_says_it_is_late_until_it_is_done(team):
    # Made as the days went by: the form refuses a date in the past, but time passes.
    action = LogboekEntry.objects.create(
        project=team.project, kind="actie", title="Bel de netbeheerder", owner=team.leider,
        due_date=timezone.localdate() - timedelta(days=1), created_by=team.leider,
    )  # fmt: skip
    client = team.client_for(team.teamlid)
    assert '<strong class="overdue">Te laat</strong>' in client.get(logboek_url(team)).content.decode()
    action.is_done = True
    action.save()
    html = client.get(logboek_url(team)).content.decode()
    assert "<strong>Afgerond</strong>" in html and "Te laat" not in html

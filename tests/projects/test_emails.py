"""Emails about work: an action given to someone, a role given to someone, and the weekly digest
that is safe to run twice."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from projects.digest import week_of
from projects.models import DigestSent, EntryKind, LogboekEntry, Membership, Role
from projects.services import status_set


def post_action(team, client_user, owner, **extra):
    return team.client_for(client_user).post(
        reverse("projects:logboek", args=[team.project.pk]),
        {"kind": "actie", "title": "Bewonersavond plannen", "owner": owner.pk, **extra},
    )


class TestActionAssigned:
    def test_the_owner_gets_an_email_when_someone_else_gives_the_action(self, team, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            post_action(team, team.leider, team.teamlid, due_date="2030-12-24")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [team.teamlid.email]
        assert "Lotte heeft een actie aan u gegeven in het project Bloemenbuurt" in message.body
        assert "Bewonersavond plannen" in message.subject
        assert "24 december 2030" in message.body
        assert LogboekEntry.objects.get().get_absolute_url() in message.body

    def test_no_email_for_an_action_one_gives_oneself(self, team, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            post_action(team, team.teamlid, team.teamlid, due_date="2030-12-24")
        assert LogboekEntry.objects.filter(kind=EntryKind.ACTIE).exists()
        assert mail.outbox == []

    def test_an_invalid_action_sends_nothing(self, team, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            post_action(team, team.leider, team.outsider)  # not in the team
        assert mail.outbox == [] and not LogboekEntry.objects.exists()


class TestRoleGiven:
    def test_someone_added_to_a_project_gets_an_email(self, team, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            team.client_for(team.leider).post(
                reverse("projects:members", args=[team.project.pk]),
                {"email": "petra@example.org", "role": "projectleider"},
            )
        assert Membership.objects.get(user=team.programmamanager).role == Role.PROJECTLEIDER
        assert mail.outbox[-1].to == [team.programmamanager.email]
        assert "Lotte heeft u projectleider gemaakt van het project Bloemenbuurt" in mail.outbox[-1].body

    def test_a_changed_role_is_announced_and_an_unchanged_one_is_not(self, team, django_capture_on_commit_callbacks):
        membership = Membership.objects.get(user=team.meelezer)
        change = reverse("projects:member_change", args=[team.project.pk, membership.pk])
        with django_capture_on_commit_callbacks(execute=True):
            team.client_for(team.leider).post(change, {"role": "meelezer", "is_facilitator": "on"})
        assert mail.outbox == []
        with django_capture_on_commit_callbacks(execute=True):
            team.client_for(team.leider).post(change, {"role": "teamlid"})
        assert mail.outbox[-1].to == [team.meelezer.email] and "teamlid" in mail.outbox[-1].body


class TestDigest:
    def overdue_action(self, team, owner, days=-3):
        return LogboekEntry.objects.create(
            project=team.project,
            kind=EntryKind.ACTIE,
            title=f"Achterstallig voor {owner.first_name}",
            owner=owner,
            due_date=timezone.localdate() + timedelta(days=days),
            created_by=team.leider,
        )

    def test_one_mail_per_person_with_their_overdue_actions_and_the_weeks_changes(self, team, knooppunt):
        self.overdue_action(team, team.teamlid)
        self.overdue_action(team, team.meelezer)
        status_set(project=team.project, knooppunt=knooppunt, status="bezig", by=team.leider)
        out = io.StringIO()
        call_command("send_digest", stdout=out)
        by_person = {message.to[0]: message for message in mail.outbox}
        assert len(mail.outbox) == len(by_person)  # one each
        tim = by_person[team.teamlid.email].body
        assert re.fullmatch(r"Wijkkompas: uw week \(\d{1,2} [a-z]+ \d{4}\)", by_person[team.teamlid.email].subject)
        overdue = tim.split("ACHTERSTALLIGE ACTIES")[1].split("UW OPEN ACTIES")[0]
        assert "Achterstallig voor Tim" in overdue
        assert "Achterstallig voor Mila" not in overdue  # hers shows among the week's changes only
        assert "Lotte zette 1.01 van Niet gestart op Bezig" in tim
        assert reverse("accounts:account") in tim  # where to turn it off
        # Lotte made the change herself and owns no action: the change by others is what she gets, not hers.
        assert team.leider.email not in by_person or "Lotte zette" not in by_person[team.leider.email].body
        assert "sent" in out.getvalue()

    def test_running_it_twice_sends_nothing_twice(self, team):
        self.overdue_action(team, team.teamlid)
        call_command("send_digest", stdout=io.StringIO())
        sent = len(mail.outbox)
        assert sent >= 1
        out = io.StringIO()
        call_command("send_digest", stdout=out)
        assert len(mail.outbox) == sent
        assert "0 sent" in out.getvalue()
        assert DigestSent.objects.filter(user=team.teamlid, week=week_of(timezone.localdate())).count() == 1

    def test_next_week_it_sends_again(self, team):
        self.overdue_action(team, team.teamlid)
        call_command("send_digest", stdout=io.StringIO())
        next_week = (timezone.localdate() + timedelta(days=7)).isoformat()
        mail.outbox.clear()
        call_command("send_digest", "--date", next_week, stdout=io.StringIO())
        assert [team.teamlid.email] in [m.to for m in mail.outbox]
        assert len(mail.outbox) == len({m.to[0] for m in mail.outbox})

    def test_who_opted_out_gets_nothing(self, team):
        self.overdue_action(team, team.teamlid)
        team.teamlid.wants_digest = False
        team.teamlid.save()
        call_command("send_digest", stdout=io.StringIO())
        assert team.teamlid.email not in [m.to[0] for m in mail.outbox]

    def test_a_failed_mail_is_tried_again_next_run(self, team, settings, monkeypatch):
        self.overdue_action(team, team.teamlid)

        def broken(*args, **kwargs):
            raise OSError("mail server down")

        monkeypatch.setattr("projects.digest.send_mail", broken)
        with pytest.raises(CommandError, match="could not be sent"):
            call_command("send_digest", stdout=io.StringIO())
        assert not DigestSent.objects.exists()
        monkeypatch.undo()
        call_command("send_digest", stdout=io.StringIO())
        assert team.teamlid.email in [m.to[0] for m in mail.outbox]

    def test_a_bad_date_gets_a_clear_message(self, db):
        with pytest.raises(CommandError, match="--date"):
            call_command("send_digest", "--date", "gisteren", stdout=io.StringIO())


def test_an_action_from_an_apk_session_is_mailed_to_its_owner(team, django_capture_on_commit_callbacks):
    from apk.models import ApkSession, State
    from apk.services import apk_action_record

    session = ApkSession.objects.create(project=team.project, title="APK voorjaar", state=State.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        apk_action_record(session=session, title="Netbeheerder uitnodigen", by=team.leider, owner=team.teamlid)
    assert [m.to for m in mail.outbox] == [[team.teamlid.email]]
    assert "Netbeheerder uitnodigen" in mail.outbox[0].subject

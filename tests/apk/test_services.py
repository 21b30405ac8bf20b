from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from apk import services
from apk.models import CODE_ALPHABET, ApkSession, Participant, Score, Snapshot, State, Trend, Variant, Vote
from apk.results import compare, results_of
from projects.models import EntryKind, LogboekEntry, Status
from projects.services import status_set

pytestmark = pytest.mark.django_db


def vote(participant, question, score=Score.GROEN, trend=Trend.GELIJK, comment=""):
    return services.apk_vote_cast(
        participant=participant, question_id=question.pk, score=score, trend=trend, comment=comment
    )


def participant(session, name="", party=""):
    return services.apk_participant_join(session=session, display_name=name, party=party)


class TestPreparing:
    def test_the_apk_asks_one_question_per_spoor(self, prepared):
        questions = list(prepared.questions.all())
        assert [q.spoor.letter for q in questions] == list("ABCDEF")
        assert questions[0].text == "Spoor A: Bewoners doen mee. Hoe staat het project ervoor?"
        assert [q.order for q in questions] == [1, 2, 3, 4, 5, 6]

    def test_phases_are_asked_up_to_the_current_one(self, team, kompas):
        busy = kompas.add_knooppunt(3, 1)
        kompas.add_knooppunt(5, 1)
        status_set(project=team.project, knooppunt=busy, status=Status.BEZIG, by=team.leider)
        session = services.apk_session_create(
            project=team.project, title="Met fasen", date=date(2026, 3, 1), variant=Variant.APK, with_fasen=True,
            by=team.leider,
        )  # fmt: skip
        fasen = [q.fase.number for q in session.questions.all() if q.fase]
        assert fasen == [1, 2, 3]

    def test_stand_van_zaken_asks_the_early_questions(self, team):
        session = services.apk_session_create(
            project=team.project, title="Start", date=date(2026, 3, 1), variant=Variant.STAND_VAN_ZAKEN,
            by=team.leider,
        )  # fmt: skip
        texts = [q.text for q in session.questions.all()]
        assert len(texts) == 3
        assert "partijen" in texts[0]
        assert "verhaal van de wijk" in texts[1]
        assert "sneller" in texts[2]

    def test_the_facilitator_drops_moves_and_adds_questions(self, prepared):
        a, b, c = list(prepared.questions.all())[:3]
        services.question_remove(question=b)
        services.question_move(question=c, up=True)
        added = services.question_add(session=prepared, text="Hoe gaat de samenwerking?")
        questions = list(prepared.questions.all())
        assert questions[0] == c and questions[1] == a
        assert questions[-1] == added
        assert [q.order for q in questions] == list(range(1, 7))

    def test_moving_the_first_question_up_changes_nothing(self, prepared):
        before = list(prepared.questions.values_list("pk", flat=True))
        services.question_move(question=prepared.questions.first(), up=True)
        assert list(prepared.questions.values_list("pk", flat=True)) == before

    def test_questions_are_fixed_once_the_session_is_open(self, opened):
        with pytest.raises(ValidationError):
            services.question_add(session=opened, text="Te laat")
        with pytest.raises(ValidationError):
            services.question_remove(question=opened.questions.first())


class TestOpening:
    def test_an_opened_session_gets_a_short_unambiguous_code(self, opened):
        assert opened.state == State.OPEN
        assert len(opened.code) == 6
        assert set(opened.code) <= set(CODE_ALPHABET)
        assert not set("01OIL") & set(opened.code)
        assert opened.version == 1

    def test_two_open_sessions_never_share_a_code(self, opened, team):
        other = services.apk_session_create(
            project=team.project, title="Tweede", date=date(2026, 4, 1), variant=Variant.APK, by=team.leider
        )
        other.code, other.state = opened.code, State.OPEN
        with pytest.raises(IntegrityError), transaction.atomic():
            other.save()

    def test_a_closed_session_frees_its_code(self, opened, team):
        services.apk_session_close(session=opened, by=team.leider)
        other = services.apk_session_create(
            project=team.project, title="Tweede", date=date(2026, 4, 1), variant=Variant.APK, by=team.leider
        )
        other.code, other.state = opened.code, State.OPEN
        other.save()  # no IntegrityError
        assert ApkSession.objects.with_code(opened.code).get() == other

    def test_a_session_without_questions_cannot_open(self, prepared, team):
        prepared.questions.all().delete()
        with pytest.raises(ValidationError, match="minstens één vraag"):
            services.apk_session_open(session=prepared, by=team.leider)

    def test_a_code_is_found_whatever_way_it_was_typed(self, opened):
        typed = f" {opened.code[:3].lower()}-{opened.code[3:]} "
        assert ApkSession.objects.with_code(typed).get() == opened


class TestRounds:
    def test_opening_a_round_makes_it_the_current_question(self, running, opened):
        opened.refresh_from_db()
        assert opened.current_question == running
        assert running.is_voting
        assert opened.version == 2

    def test_only_one_round_runs_at_a_time(self, running, opened, team):
        with pytest.raises(ValidationError, match="loopt al"):
            services.apk_round_open(question=opened.questions.all()[1], by=team.leider)

    def test_a_question_is_asked_once(self, running, team):
        services.apk_round_reveal(question=running, by=team.leider)
        with pytest.raises(ValidationError, match="al gesteld"):
            services.apk_round_open(question=running, by=team.leider)

    def test_rounds_need_an_open_session(self, prepared, team):
        with pytest.raises(ValidationError, match="niet open"):
            services.apk_round_open(question=prepared.questions.first(), by=team.leider)

    def test_a_round_is_revealed_once(self, running, team):
        services.apk_round_reveal(question=running, by=team.leider)
        with pytest.raises(ValidationError):
            services.apk_round_reveal(question=running, by=team.leider)


class TestVoting:
    def test_a_vote_counts(self, running, opened):
        p = participant(opened, "Anna", "bewoners")
        vote(p, running, Score.ROOD, Trend.SLECHTER, "  Te weinig contact.  ")
        stored = Vote.objects.get()
        assert (stored.score, stored.trend, stored.comment) == ("rood", "slechter", "Te weinig contact.")

    def test_changing_the_answer_replaces_it(self, running, opened):
        p = participant(opened)
        vote(p, running, Score.ROOD)
        vote(p, running, Score.GROEN, Trend.BETER)
        assert list(Vote.objects.values_list("score", "trend")) == [("groen", "beter")]

    def test_the_database_refuses_a_second_ballot(self, running, opened):
        p = participant(opened)
        vote(p, running)
        with pytest.raises(IntegrityError), transaction.atomic():
            Vote.objects.create(question=running, participant=p, score=Score.ROOD, trend=Trend.GELIJK)

    def test_a_vote_after_the_reveal_is_refused_and_not_counted(self, running, opened, team):
        p = participant(opened)
        vote(p, running, Score.GROEN)
        services.apk_round_reveal(question=running, by=team.leider)
        with pytest.raises(services.VoteRefused, match="gesloten"):
            vote(p, running, Score.ROOD)
        assert list(Vote.objects.values_list("score", flat=True)) == ["groen"]

    def test_a_vote_on_a_question_not_yet_asked_is_refused(self, running, opened):
        with pytest.raises(services.VoteRefused):
            vote(participant(opened), opened.questions.all()[2])
        assert not Vote.objects.exists()

    def test_a_forged_question_of_another_session_changes_nothing(self, running, opened, team):
        other = services.apk_session_create(
            project=team.other_project, title="Elders", date=date(2026, 3, 1), variant=Variant.APK, by=team.outsider
        )
        services.apk_session_open(session=other, by=team.outsider)
        theirs = services.apk_round_open(question=other.questions.first(), by=team.outsider)
        with pytest.raises(services.VoteRefused, match="hoort niet bij"):
            vote(participant(opened), theirs)
        with pytest.raises(services.VoteRefused):
            services.apk_vote_cast(participant=participant(opened), question_id=999_999, score="groen", trend="gelijk")
        assert not Vote.objects.exists()

    def test_nobody_joins_a_closed_session(self, opened, team):
        services.apk_session_close(session=opened, by=team.leider)
        opened.refresh_from_db()
        with pytest.raises(ValidationError):
            participant(opened)


class TestActions:
    def test_an_action_goes_into_the_logbook(self, opened, team, knooppunt):
        entry = services.apk_action_record(
            session=opened, title="Bewonersavond plannen", owner=team.teamlid, due_date=date(2026, 5, 1),
            knooppunt=knooppunt, note="Samen met de corporatie.", by=team.facilitator,
        )  # fmt: skip
        entry = LogboekEntry.objects.get(pk=entry.pk)
        assert entry.project == team.project
        assert entry.kind == EntryKind.ACTIE
        assert (entry.owner, entry.due_date, entry.knooppunt) == (team.teamlid, date(2026, 5, 1), knooppunt)
        assert "APK-sessie 'APK voorjaar'" in entry.body
        assert entry.body.startswith("Samen met de corporatie.")
        assert list(opened.actions.all()) == [entry]

    def test_actions_wait_until_the_session_is_open(self, prepared, team):
        with pytest.raises(ValidationError):
            services.apk_action_record(session=prepared, title="Te vroeg", by=team.leider)


@pytest.fixture
def knooppunt(kompas):
    return kompas.add_knooppunt(1, 4, title="Bewoners informeren", slug="bewoners-informeren")


class TestClosing:
    def test_closing_keeps_results_comments_and_statuses(self, running, opened, team, knooppunt):
        status_set(project=team.project, knooppunt=knooppunt, status=Status.AFGEROND, by=team.leider)
        anna, ben = participant(opened, "Anna", "bewoners"), participant(opened)
        vote(anna, running, Score.GROEN, Trend.BETER, "Goede avond gehad.")
        vote(ben, running, Score.ROOD, Trend.SLECHTER)
        snapshot = services.apk_session_close(session=opened, by=team.leider)

        opened.refresh_from_db()
        running.refresh_from_db()
        assert opened.state == State.GESLOTEN and opened.closed_at is not None
        assert running.is_revealed  # the running round ended with the session
        data = snapshot.data
        assert data["participants"] == 2
        first = data["questions"][0]
        assert first["key"] == "spoor:A" and first["asked"] is True
        assert sorted(v["score"] for v in first["votes"]) == ["groen", "rood"]
        assert {"participant": anna.pk, "party": "bewoners", "score": "groen", "trend": "beter",
                "comment": "Goede avond gehad."} in first["votes"]  # fmt: skip
        assert "Anna" not in str(data)  # names stay out of the snapshot
        assert data["format"] == 2
        assert data["knooppunten"] == [
            {
                "code": "1.04",
                "title": "Bewoners informeren",
                "fase": 1,
                "fase_name": knooppunt.fase.name,
                "status": "afgerond",
                "note": "",
            }
        ]
        assert data["parties"] == {"bewoners": "Bewoners"}

    def test_a_session_closes_once(self, opened, team):
        services.apk_session_close(session=opened, by=team.leider)
        with pytest.raises(ValidationError, match="al gesloten"):
            services.apk_session_close(session=opened, by=team.leider)
        assert Snapshot.objects.count() == 1

    def test_a_prepared_session_cannot_close(self, prepared, team):
        with pytest.raises(ValidationError):
            services.apk_session_close(session=prepared, by=team.leider)

    def test_later_votes_and_status_changes_leave_the_snapshot_alone(self, running, opened, team, knooppunt):
        p = participant(opened)
        vote(p, running, Score.GROEN)
        snapshot = services.apk_session_close(session=opened, by=team.leider)
        frozen = dict(snapshot.data)
        with pytest.raises(services.VoteRefused):
            vote(p, running, Score.ROOD)
        status_set(project=team.project, knooppunt=knooppunt, status=Status.BEZIG, by=team.leider)
        snapshot.refresh_from_db()
        assert snapshot.data == frozen

    def test_deleting_a_session_keeps_its_actions_in_the_logbook(self, opened, team):
        entry = services.apk_action_record(session=opened, title="Blijft staan", by=team.leider)
        services.apk_session_delete(session=opened)
        assert not ApkSession.objects.exists()
        assert LogboekEntry.objects.filter(pk=entry.pk).exists()


class TestResults:
    def test_health_split_and_trend_against_the_previous_session(self, team):
        def run(title: str, day: date, scores: list[str]) -> ApkSession:
            session = services.apk_session_create(
                project=team.project, title=title, date=day, variant=Variant.APK, by=team.leider
            )
            session = services.apk_session_open(session=session, by=team.leider)
            question = services.apk_round_open(question=session.questions.first(), by=team.leider)
            for score in scores:
                vote(participant(session), question, score)
            services.apk_session_close(session=session, by=team.leider)
            session.refresh_from_db()
            return session

        first = run("Eerste", date(2025, 3, 1), ["rood", "rood", "oranje"])
        second = run("Tweede", date(2026, 3, 1), ["groen", "groen", "oranje", "rood"])
        assert ApkSession.objects.before(second).first() == first
        assert ApkSession.objects.before(first).first() is None

        now = results_of(second.snapshot.data["questions"])
        before = results_of(first.snapshot.data["questions"])
        assert before[0].health == 17 and not before[0].is_split
        assert now[0].health == 62 and now[0].is_split
        changes = compare(now, before)
        assert len(changes) == 1  # only asked questions are compared
        assert (changes[0].delta, changes[0].direction) == (45, "beter")


class TestNamePurge:
    def close_days_ago(self, session, team, days: int) -> None:
        services.apk_session_close(session=session, by=team.leider)
        ApkSession.objects.filter(pk=session.pk).update(closed_at=timezone.now() - timedelta(days=days))

    def test_names_go_after_the_retention_period_and_results_stay(self, running, opened, team, settings):
        settings.APK_NAME_RETENTION_DAYS = 30
        anna = participant(opened, "Anna", "bewoners")
        vote(anna, running, Score.GROEN, comment="Prima")
        self.close_days_ago(opened, team, 31)

        assert services.apk_names_purge() == 1
        anna.refresh_from_db()
        assert anna.display_name == "" and anna.party == "bewoners"
        assert Vote.objects.get().comment == "Prima"
        opened.refresh_from_db()
        assert opened.names_removed_at is not None

    def test_recent_sessions_keep_their_names(self, opened, team, settings):
        settings.APK_NAME_RETENTION_DAYS = 30
        participant(opened, "Anna")
        self.close_days_ago(opened, team, 29)
        assert services.apk_names_purge() == 0
        assert Participant.objects.get().display_name == "Anna"

    def test_the_command_is_idempotent(self, opened, team, capsys):
        participant(opened, "Anna")
        self.close_days_ago(opened, team, 400)
        call_command("apk_purge_names")
        assert "from 1 APK session" in capsys.readouterr().out
        removed_at = ApkSession.objects.get().names_removed_at
        call_command("apk_purge_names")
        assert "from 0 APK session" in capsys.readouterr().out
        assert ApkSession.objects.get().names_removed_at == removed_at
        assert Participant.objects.get().display_name == ""

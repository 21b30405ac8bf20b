"""The workflows of an APK session. Forms validate; these functions execute.

Concurrency: a vote and a reveal of the same question lock the question row, so a vote that
arrives while the facilitator reveals is either counted before the reveal or refused after
it, never counted afterwards. Moves of the facilitator lock the session row. On SQLite the
same holds because every transaction takes the write lock when it starts
(transaction_mode IMMEDIATE in settings).
"""

from __future__ import annotations

from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from knooppunten.models import Fase, Knooppunt, Partij, Spoor
from projects import emails
from projects.models import EntryKind, KnooppuntStatus, LogboekEntry, Project, Status
from projects.progress import current_fase

from .models import ApkSession, Participant, Question, Snapshot, State, Variant, Vote, new_code
from .results import question_record

# 1: "knooppunten" lists only the knooppunten that had a status row (not niet gestart).
# 2: "knooppunten" lists every published knooppunt with its status and note, and the phase name.
SNAPSHOT_FORMAT = 2


class VoteRefused(ValidationError):
    """The vote does not count: the round is closed, or the question is not this session's."""


def default_questions(project: Project, *, variant: str, with_fasen: bool) -> list[dict]:
    """The questions a new session starts with; the facilitator may drop, move and add some."""
    questions: list[dict] = []
    if variant == Variant.STAND_VAN_ZAKEN:
        questions += [
            {"text": _("Zijn alle partijen die nodig zijn in beeld, en doen ze mee?")},
            {"text": _("Is het verhaal van de wijk duidelijk: waarom doen we dit, en voor wie?")},
            {"text": _("Weten we wat het proces nu sneller zou maken?")},
        ]
    else:
        questions += [
            {
                "text": _("Spoor %(letter)s: %(name)s. Hoe staat het project ervoor?")
                % {"letter": spoor.letter, "name": spoor.name},
                "spoor": spoor,
            }
            for spoor in Spoor.objects.all()
        ]
    if with_fasen:
        knooppunten = list(Knooppunt.objects.published().select_related("fase"))
        statuses = {row.knooppunt_id: row for row in KnooppuntStatus.objects.filter(project=project)}
        now = current_fase(knooppunten, statuses)
        last = now.number if now else 1
        questions += [
            {
                "text": _("Fase %(number)s: %(name)s. Hoe staat het project ervoor?")
                % {"number": fase.number, "name": fase.name},
                "fase": fase,
            }
            for fase in Fase.objects.filter(number__lte=last)
        ]
    return questions


@transaction.atomic
def apk_session_create(
    *, project: Project, title: str, date: Date, variant: str, with_fasen: bool = False, by
) -> ApkSession:
    session = ApkSession.objects.create(project=project, title=title, date=date, variant=variant, created_by=by)
    Question.objects.bulk_create(
        Question(session=session, order=order, **fields)
        for order, fields in enumerate(default_questions(project, variant=variant, with_fasen=with_fasen), start=1)
    )
    return session


def _must_be_prepared(session: ApkSession) -> None:
    if not session.is_prepared:
        raise ValidationError(_("De vragen liggen vast zodra de sessie open is."))


@transaction.atomic
def question_add(*, session: ApkSession, text: str) -> Question:
    session = ApkSession.objects.select_for_update().get(pk=session.pk)
    _must_be_prepared(session)
    last = session.questions.aggregate(last=Max("order"))["last"] or 0
    return Question.objects.create(session=session, order=last + 1, text=text)


@transaction.atomic
def question_remove(*, question: Question) -> None:
    session = ApkSession.objects.select_for_update().get(pk=question.session_id)
    _must_be_prepared(session)
    question.delete()
    _renumber(list(session.questions.all()))


def _renumber(questions: list[Question]) -> None:
    for order, question in enumerate(questions, start=1):
        question.order = order
    Question.objects.bulk_update(questions, ["order"])


@transaction.atomic
def question_move(*, question: Question, up: bool) -> None:
    """Move a question one place up or down; the order is renumbered 1..n on the way."""
    session = ApkSession.objects.select_for_update().get(pk=question.session_id)
    _must_be_prepared(session)
    questions = list(session.questions.all())
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
    _renumber(questions)


@transaction.atomic
def apk_session_open(*, session: ApkSession, by) -> ApkSession:
    """Open the doors: the session gets a join code that no other open session has."""
    session = ApkSession.objects.select_for_update().get(pk=session.pk)
    _must_be_prepared(session)
    if not session.questions.exists():
        raise ValidationError(_("Voeg eerst minstens één vraag toe."))
    session.state = State.OPEN
    session.opened_at = timezone.now()
    session.version += 1
    # The database decides uniqueness (a partial unique index), so two sessions opened at the
    # same moment can never get the same code.
    for _attempt in range(20):
        session.code = new_code()
        try:
            with transaction.atomic():
                session.save(update_fields=["code", "state", "opened_at", "version"])
        except IntegrityError:
            continue
        return session
    raise ValidationError(_("Er kon geen vrije code worden gemaakt. Probeer het nog eens."))


def _lock_open_session(pk: int) -> ApkSession:
    session = ApkSession.objects.select_for_update().get(pk=pk)
    if not session.is_open:
        raise ValidationError(_("De sessie is niet open."))
    return session


@transaction.atomic
def apk_round_open(*, question: Question, by) -> Question:
    """Start the round of a question: from now on everyone can score it."""
    session = _lock_open_session(question.session_id)
    if Question.objects.filter(session=session, opened_at__isnull=False, revealed_at__isnull=True).exists():
        raise ValidationError(_("Er loopt al een vraag. Toon eerst de uitslag daarvan."))
    question = Question.objects.select_for_update(no_key=True).get(pk=question.pk, session=session)
    if question.opened_at is not None:
        raise ValidationError(_("Deze vraag is al gesteld."))
    question.opened_at = timezone.now()
    question.save(update_fields=["opened_at"])
    session.current_question = question
    session.version += 1
    session.save(update_fields=["current_question", "version"])
    return question


@transaction.atomic
def apk_round_reveal(*, question: Question, by) -> Question:
    """Close the round and show the results. Votes that arrive after this do not count."""
    session = _lock_open_session(question.session_id)
    question = Question.objects.select_for_update(no_key=True).get(pk=question.pk, session=session)
    if not question.is_voting:
        raise ValidationError(_("Deze vraag loopt niet."))
    question.revealed_at = timezone.now()
    question.save(update_fields=["revealed_at"])
    session.version += 1
    session.save(update_fields=["version"])
    return question


@transaction.atomic
def question_reopen(*, question: Question, by) -> Question:
    """Hide the result of a revealed question again and open its round once more.

    The votes stay: everyone sees their own vote again and may change it until the next reveal.
    Like the other moves it locks the session, then the question, so a vote waits for it.
    """
    session = _lock_open_session(question.session_id)
    question = Question.objects.select_for_update(no_key=True).get(pk=question.pk, session=session)
    if not question.is_revealed:
        raise ValidationError(_("Deze vraag heeft nog geen uitslag."))
    if Question.objects.filter(session=session, opened_at__isnull=False, revealed_at__isnull=True).exists():
        raise ValidationError(_("Er loopt al een vraag. Toon eerst de uitslag daarvan."))
    question.revealed_at = None
    question.save(update_fields=["revealed_at"])
    session.current_question = question
    session.version += 1
    session.save(update_fields=["current_question", "version"])
    return question


def apk_participant_join(*, session: ApkSession, display_name: str = "", party: str = "") -> Participant:
    if not session.is_open:
        raise ValidationError(_("Deze sessie is niet open."))
    return Participant.objects.create(session=session, display_name=display_name.strip(), party=party)


@transaction.atomic
def apk_vote_cast(*, participant: Participant, question_id: int, score: str, trend: str, comment: str = "") -> Vote:
    """Count a participant's vote, or replace the one they gave before in this round.

    A question is only open for votes while it is the session's current question and the
    session is open (the facilitator cannot start a round while another runs, and closing
    the session reveals the running round), so the locked question row alone decides.
    """
    question = (
        Question.objects.select_for_update(no_key=True)
        .filter(pk=question_id, session_id=participant.session_id)
        .first()
    )
    if question is None:
        raise VoteRefused(_("Deze vraag hoort niet bij deze sessie."), code="unknown_question")
    if question.opened_at is None:
        raise VoteRefused(_("Deze vraag is nog niet aan de beurt."), code="not_asked")
    if not question.is_voting:
        raise VoteRefused(
            _("Deze ronde is gesloten. Uw stem is niet meegeteld."),
            code="round_closed",
        )
    # Votes on this question wait for the lock above, so no savepoint is needed against a
    # second insert of the same vote (a double tap).
    vote = Vote.objects.filter(question=question, participant=participant).first()
    if vote is None:
        vote = Vote(question=question, participant=participant)
    vote.score, vote.trend, vote.comment = score, trend, comment.strip()
    vote.save()
    return vote


@transaction.atomic
def apk_action_record(
    *,
    session: ApkSession,
    title: str,
    by,
    owner=None,
    due_date: Date | None = None,
    knooppunt: Knooppunt | None = None,
    note: str = "",
) -> LogboekEntry:
    """An improvement point from the session, as an action in the project's logbook."""
    if session.is_prepared:
        raise ValidationError(_("Acties legt u vast tijdens of na de sessie."))
    origin = _("Verbeterpunt uit de APK-sessie '%(title)s' van %(date)s.") % {
        "title": session.title,
        "date": date_format(session.date, "j F Y"),
    }
    entry = LogboekEntry.objects.create(
        project=session.project,
        kind=EntryKind.ACTIE,
        title=title,
        body="\n\n".join(part for part in (note.strip(), origin) if part),
        owner=owner,
        due_date=due_date,
        knooppunt=knooppunt,
        created_by=by,
    )
    session.actions.add(entry)
    Project.objects.filter(pk=session.project_id).changed()
    emails.action_assigned(entry, by=by)
    return entry


@transaction.atomic
def apk_session_close(*, session: ApkSession, by) -> Snapshot:
    """End the session: a running round is revealed, and everything is kept in a snapshot."""
    session = ApkSession.objects.select_for_update().select_related("project").get(pk=session.pk)
    if session.is_closed:
        raise ValidationError(_("Deze sessie is al gesloten."))
    if session.is_prepared:
        raise ValidationError(_("Deze sessie is nog niet geopend. Verwijder haar als ze niet doorgaat."))
    now = timezone.now()
    running = list(
        Question.objects.select_for_update(no_key=True).filter(
            session=session, opened_at__isnull=False, revealed_at__isnull=True
        )
    )
    Question.objects.filter(pk__in=[q.pk for q in running]).update(revealed_at=now)

    questions = session.questions.select_related("spoor", "fase").prefetch_related(
        Prefetch("votes", queryset=Vote.objects.select_related("participant").order_by("pk"))
    )
    records = [question_record(question, question.votes.all()) for question in questions]
    party_slugs = {vote["party"] for record in records for vote in record["votes"] if vote["party"]}
    statuses = {row.knooppunt_id: row for row in KnooppuntStatus.objects.filter(project=session.project)}
    knooppunten = Knooppunt.objects.published().select_related("fase").order_by("fase__number", "code")
    actions = session.actions.select_related("owner", "knooppunt").order_by("pk")
    data = {
        "format": SNAPSHOT_FORMAT,
        "title": session.title,
        "date": session.date.isoformat(),
        "variant": session.variant,
        "closed_at": now.isoformat(),
        "participants": session.participants.count(),
        "parties": {p.slug: p.name for p in Partij.objects.filter(slug__in=party_slugs)},
        "questions": records,
        "knooppunten": [
            {
                "code": knooppunt.code,
                "title": knooppunt.title,
                "fase": knooppunt.fase.number,
                "fase_name": knooppunt.fase.name,
                "status": statuses[knooppunt.pk].status if knooppunt.pk in statuses else Status.NIET_GESTART,
                "note": statuses[knooppunt.pk].note if knooppunt.pk in statuses else "",
            }
            for knooppunt in knooppunten
        ],
        "actions": [
            {
                "title": entry.title,
                "owner": str(entry.owner) if entry.owner else "",
                "due_date": entry.due_date.isoformat() if entry.due_date else None,
                "knooppunt": entry.knooppunt.code if entry.knooppunt else None,
            }
            for entry in actions
        ],
    }
    snapshot = Snapshot.objects.create(session=session, data=data)
    session.state = State.GESLOTEN
    session.closed_at = now
    session.version += 1
    session.save(update_fields=["state", "closed_at", "version"])
    Project.objects.filter(pk=session.project_id).changed()  # the portfolio shows the last APK
    return snapshot


@transaction.atomic
def apk_session_delete(*, session: ApkSession) -> None:
    """Delete a session with its questions, votes and snapshot. Its actions stay in the logbook."""
    session.delete()
    Project.objects.filter(pk=session.project_id).changed()


@transaction.atomic
def apk_names_purge(*, now=None) -> int:
    """Remove participant names of sessions closed longer ago than the retention period.

    Scores, trends and comments stay. Returns the number of sessions it cleaned; running it
    again the same day cleans nothing.
    """
    now = now or timezone.now()
    sessions = list(ApkSession.objects.names_expired(now=now).select_for_update().values_list("pk", flat=True))
    Participant.objects.filter(session_id__in=sessions).exclude(display_name="").update(display_name="")
    ApkSession.objects.filter(pk__in=sessions).update(names_removed_at=now)
    return len(sessions)

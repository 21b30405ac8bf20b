"""The pages of an APK session: for the team (list, preparation, big screen, report) and for
the participants in the room (join by code, vote on a phone).

Team pages find the session through access.get_session_for: outsiders get a 404, members who
may not run a session a 403. Participants are known by a signed cookie (access.participant_from).

The big screen and the phones poll. Those answers are cheap: a fixed, small number of queries,
and no session writes. A phone gets "204 No Content" when nothing changed, so a half-typed
comment is never swapped away; both get "286 Stop Polling" once the session is closed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, HttpResponseStopPolling

from knooppunten.models import Partij
from projects.models import Status
from projects.pages import project_page

from . import services, throttle
from .access import get_project_for, get_session_for, participant_from, remember_participant
from .charts import distribution, heatmap, qr_svg, score_chart
from .forms import ActionForm, CodeForm, JoinForm, QuestionForm, SessionForm, VoteForm
from .models import ApkSession, Participant, Question, Vote, normalize_code
from .results import Result, compare, question_record, results_of

# The team's pages


@require_GET
@login_required
def project_sessions(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for(request, project_pk)
    sessions = ApkSession.objects.for_project(project).annotate(participant_count=Count("participants"))
    return project_page(request, "apk/project.html", project, sessions=sessions)


@require_http_methods(["GET", "POST"])
@login_required
def session_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for(request, project_pk, manage=True)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = services.apk_session_create(project=project, by=request.user, **form.cleaned_data)
        messages.success(request, _("De sessie is klaargezet. Kijk de vragen na en open de sessie."))
        return redirect(session)
    return project_page(request, "apk/session_form.html", project, form=form)


def session_context(
    session: ApkSession, *, question_form: QuestionForm | None = None, action_form: ActionForm | None = None
) -> dict:
    """Everything the session page shows; a bound form with errors replaces the empty one."""
    return {
        "session": session,
        "questions": session.questions.select_related("spoor", "fase").annotate(vote_count=Count("votes")),
        "question_form": question_form or QuestionForm(),
        "action_form": action_form or ActionForm(project=session.project),
        "actions": session.actions.for_list(),
        "participant_count": session.participants.count(),
    }


@require_GET
@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the facilitator prepares the questions, opens the session, records actions and closes it."""
    session = get_session_for(request, pk, manage=True)
    return project_page(request, "apk/session.html", session.project, **session_context(session))


def after_question_change(request: HttpRequest, session: ApkSession, *, error: str = "", form=None) -> HttpResponse:
    """The question list again. A form with errors comes back with its field marked (aria-invalid
    and the Dutch message below it), with or without JavaScript."""
    if request.htmx:
        context = session_context(session, question_form=form)
        context.update(project=session.project, error=error)
        return render(request, "apk/session.html#questions", context)
    if form is not None and form.errors:
        context = session_context(session, question_form=form)
        return project_page(request, "apk/session.html", session.project, error=error, **context)
    if error:
        messages.error(request, error)
    return redirect(reverse("apk:session", args=[session.pk]) + "#vragen")


@require_POST
@login_required
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request, pk, manage=True)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return after_question_change(request, session, form=form)
    try:
        services.question_add(session=session, text=form.cleaned_data["text"])
    except ValidationError as error:
        return after_question_change(request, session, error=" ".join(error.messages), form=form)
    return after_question_change(request, session)


@require_POST
@login_required
def question_change(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Move a question up or down. Dropping one asks first (question_remove)."""
    session = get_session_for(request, pk, manage=True)
    question = get_object_or_404(Question, pk=question_pk, session=session)
    action = request.POST.get("action")
    if action not in ("up", "down"):
        return HttpResponseBadRequest(_("Onbekende actie."))
    try:
        services.question_move(question=question, up=action == "up")
    except ValidationError as error:
        return after_question_change(request, session, error=" ".join(error.messages))
    return after_question_change(request, session)


def confirmed(request: HttpRequest) -> bool:
    """A destructive action goes ahead only from its confirmation page: a form with confirm=ja.
    A plain POST (an old page, a double click on the first step) shows that page instead."""
    return request.method == "POST" and request.POST.get("confirm") == "ja"


@require_http_methods(["GET", "POST"])
@login_required
def question_remove(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Drop a question from a session in preparation, after a confirmation step."""
    session = get_session_for(request, pk, manage=True)
    question = get_object_or_404(Question, pk=question_pk, session=session)
    error = "" if session.is_prepared else _("De vragen liggen vast zodra de sessie open is.")
    if confirmed(request):
        try:
            services.question_remove(question=question)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("De vraag '%(text)s' is weggehaald.") % {"text": question.text})
            return redirect(reverse("apk:session", args=[session.pk]) + "#vragen")
    return project_page(
        request, "apk/question_remove.html", session.project, session=session, question=question, error=error
    )


@require_POST
@login_required
def session_open(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request, pk, manage=True)
    try:
        session = services.apk_session_open(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(session)
    messages.success(
        request, _("De sessie is open. Deelnemers doen mee met de code %(code)s.") % {"code": session.display_code}
    )
    return redirect("apk:screen", session.pk)


@require_POST
@login_required
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An improvement point, straight into the project's logbook as an action."""
    session = get_session_for(request, pk, manage=True)
    form = ActionForm(request.POST, project=session.project)
    announcement = ""
    if form.is_valid():
        try:
            entry = services.apk_action_record(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            announcement = _("'%(title)s' staat als actie in het logboek.") % {"title": entry.title}
            if not request.htmx:
                messages.success(request, announcement)
                return redirect(reverse("apk:session", args=[session.pk]) + "#acties")
            form = ActionForm(project=session.project)
    context = session_context(session, action_form=form)
    if request.htmx:
        context.update(project=session.project, announcement=announcement)
        return render(request, "apk/session.html#actions", context)
    return project_page(request, "apk/session.html", session.project, **context)


@require_http_methods(["GET", "POST"])
@login_required
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the session after a confirmation step that says what closing does."""
    session = get_session_for(request, pk, manage=True)
    if confirmed(request) or (request.method == "POST" and not session.is_open):
        try:
            services.apk_session_close(session=session, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(session)
        messages.success(request, _("De sessie is gesloten. De uitslag staat vast in dit rapport."))
        return redirect("apk:report", session.pk)
    if not session.is_open:
        return redirect(session)
    questions = session.questions.aggregate(
        unasked=Count("pk", filter=Q(opened_at__isnull=True)),
        running=Count("pk", filter=Q(opened_at__isnull=False, revealed_at__isnull=True)),
    )
    return project_page(request, "apk/session_close.html", session.project, session=session, **questions)


@require_http_methods(["GET", "POST"])
@login_required
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request, pk, manage=True)
    if request.method == "POST":
        services.apk_session_delete(session=session)
        messages.success(request, _("De sessie '%(title)s' is verwijderd.") % {"title": session.title})
        return redirect("apk:project", session.project.pk)
    return project_page(request, "apk/session_delete.html", session.project, session=session)


# The big screen


SCREEN_COMMENTS = 3


def vote_counts(session: ApkSession) -> dict:
    """How many joined, and how many voted on the current question: one query."""
    question_id = session.current_question_id or 0
    return Participant.objects.filter(session=session).aggregate(
        joined=Count("pk", distinct=True), voted=Count("votes", filter=Q(votes__question_id=question_id))
    )


def stage_context(session: ApkSession) -> dict:
    """What the stage of the big screen shows: the join code, the question, or its results."""
    question = session.current_question
    context: dict = {"question": question, "next_question": None, "result": None}
    if session.is_open and (question is None or question.is_revealed):
        context["next_question"] = session.questions.unopened().first()
    if question is not None and question.is_revealed:
        votes = Vote.objects.for_question(question).select_related("participant").order_by("pk")
        record = question_record(question, votes)
        names = {vote.participant_id: vote.participant.display_name for vote in votes}
        parties = dict(Partij.objects.values_list("slug", "name"))
        result = results_of([record])[0]
        context["result"] = result
        context["chart"] = distribution(result)
        comments = signed_comments(result, names, parties)
        # A projector has room for a few comments only: the facilitator's buttons must stay in view.
        context["comments"] = comments[-SCREEN_COMMENTS:]
        context["more_comments"] = len(comments) - len(context["comments"])
    return context


def signed_comments(result: Result, names: dict[int, str], parties: dict[str, str]) -> list[dict]:
    """The comments on a question, each signed with a name only where the participant gave one.

    An anonymous comment names its kind of party only when that group is large enough to show
    (APK_MIN_GROUP_VOTES): "Anoniem (Gemeente)" must not point at the one person from the gemeente.
    """
    groups = result.health_by_party(minimum=settings.APK_MIN_GROUP_VOTES)
    rows = []
    for vote in result.comments:
        name = names.get(vote["participant"])
        party = parties.get(vote["party"], "")
        if not name and vote["party"] in groups and groups[vote["party"]].hidden:
            party = ""
        who = name or _("Anoniem")
        rows.append({"text": vote["comment"], "who": f"{who} ({party})" if party else who})
    return rows


def screen_context(request: HttpRequest, session: ApkSession) -> dict:
    join_url = request.build_absolute_uri(session.join_path()) if session.code else ""
    return {
        "session": session,
        "join_url": join_url,
        "join_short_url": request.build_absolute_uri(reverse("apk:join")),
        "qr": qr_svg(join_url) if join_url else "",
        **vote_counts(session),
        **stage_context(session),
    }


def screen_update(request: HttpRequest, session: ApkSession, *, changed: bool, error: str = "") -> HttpResponse:
    """The vote count, and the whole stage (out of band) when the facilitator made a move."""
    if changed:
        context = {**screen_context(request, session), "changed": True, "error": error}
    else:
        context = {"session": session, **vote_counts(session)}
    if session.is_closed:
        return HttpResponseStopPolling(render_to_string("apk/screen.html#screen-update", context, request))
    return render(request, "apk/screen.html#screen-update", context)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The big screen for the projector. It polls itself every second with ?seen=<version>."""
    session = get_session_for(request, pk, manage=True)
    if request.htmx:
        return screen_update(request, session, changed=request.GET.get("seen") != str(session.version))
    return render(request, "apk/screen.html", screen_context(request, session))


def after_move(request: HttpRequest, session_pk: int, error: str = "") -> HttpResponse:
    if request.htmx:
        session = ApkSession.objects.select_related("current_question__spoor", "current_question__fase").get(
            pk=session_pk
        )
        return screen_update(request, session, changed=True, error=error)
    if error:
        messages.error(request, error)
    if request.POST.get("next") == "sessie":
        return redirect("apk:session", session_pk)
    return redirect("apk:screen", session_pk)


def round_move(request: HttpRequest, pk: int, question_pk: int, move) -> HttpResponse:
    """Open or reveal a round: the facilitator's move on one question, then back to the screen."""
    session = get_session_for(request, pk, manage=True)
    question = get_object_or_404(Question, pk=question_pk, session=session)
    try:
        move(question=question, by=request.user)
    except ValidationError as error:
        return after_move(request, session.pk, " ".join(error.messages))
    return after_move(request, session.pk)


@require_POST
@login_required
def round_open(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    return round_move(request, pk, question_pk, services.apk_round_open)


@require_POST
@login_required
def round_reveal(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    return round_move(request, pk, question_pk, services.apk_round_reveal)


@require_POST
@login_required
def round_reopen(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    return round_move(request, pk, question_pk, services.question_reopen)


# The report


@require_GET
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request, pk)
    context: dict = {"session": session, "actions": session.actions.for_list()}
    if session.is_closed:
        data = session.snapshot.data
        results = results_of(data["questions"])
        previous_session = ApkSession.objects.before(session).select_related("snapshot").first()
        previous = results_of(previous_session.snapshot.data["questions"]) if previous_session else []
        names = dict(
            Participant.objects.filter(session=session).exclude(display_name="").values_list("pk", "display_name")
        )
        parties = data["parties"]
        context.update(
            data=data,
            results=[r for r in results if r.asked],
            changes=compare(results, previous),
            previous_session=previous_session,
            chart=score_chart(results),
            heatmap=heatmap(results, parties, minimum=settings.APK_MIN_GROUP_VOTES),
            comments=[(result, signed_comments(result, names, parties)) for result in results if result.comments],
            status_counts=status_counts(data),
            status_fasen=status_fasen(data),
        )
    return project_page(request, "apk/report.html", session.project, **context)


def status_counts(data: dict) -> list[tuple[str, str, int]]:
    """How many knooppunten had each status when the session closed.

    Snapshots of format 1 hold only the knooppunten the team had started, so they have no
    count for niet gestart.
    """
    knooppunten = data["knooppunten"]
    return [
        (value, label, count)
        for value, label in Status.choices
        if (count := sum(1 for row in knooppunten if row["status"] == value))
    ]


def status_fasen(data: dict) -> list[dict]:
    """Each knooppunt of the snapshot with its status, grouped per phase."""
    labels = dict(Status.choices)
    fasen: list[dict] = []
    for row in data["knooppunten"]:
        if not fasen or fasen[-1]["number"] != row["fase"]:
            name = row.get("fase_name", "")
            fasen.append({"number": row["fase"], "name": name, "rows": []})
        fasen[-1]["rows"].append(
            {**row, "label": labels.get(row["status"], row["status"]), "note": row.get("note", "")}
        )
    return fasen


# The participants' phones


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Type the code from the big screen. Wrong codes are counted per address (throttle)."""
    form = CodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        return ballot_by_code(request, form.cleaned_data["code"], from_form=True)
    return render(request, "apk/join.html", {"form": form})


def ballot_by_code(request: HttpRequest, code: str, *, from_form: bool = False) -> HttpResponse:
    if throttle.is_blocked(request):
        message = _("U heeft te vaak een verkeerde code ingevuld. Wacht tien minuten en probeer het dan opnieuw.")
        return render(request, "apk/join.html", {"form": CodeForm(), "error": message}, status=429)
    session = ApkSession.objects.with_code(code).first()
    if session is None:
        throttle.count_wrong_code(request)
        message = _("Deze code kennen we niet, of de sessie is al voorbij. Kijk nog eens op het grote scherm.")
        form = CodeForm(initial={"code": code})
        return render(request, "apk/join.html", {"form": form, "error": message}, status=404)
    if from_form:
        return redirect("apk:ballot", session.code)
    join_form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and join_form.is_valid():
        try:
            participant = services.apk_participant_join(session=session, **join_form.cleaned_data)
        except ValidationError as error:
            join_form.add_error(None, error)
        else:
            response = redirect("apk:ballot", session.code)
            remember_participant(response, request, participant)
            return response
    return render(request, "apk/ballot.html", {"session": session, "join_form": join_form})


def unsent_choice(data) -> dict | None:
    """What the phone had chosen on its form, sent along with its poll (or as a vote).

    Only the valid parts count; None when nothing was chosen or typed.
    """
    form = VoteForm(data)
    form.is_valid()
    choice = {name: form.cleaned_data.get(name) or "" for name in ("score", "trend", "comment")}
    question_id = form.cleaned_data.get("question")
    if question_id is None or not any(choice.values()):
        return None
    return {"question": question_id, **choice}


def is_counted(choice: dict, vote: Vote | None) -> bool:
    return vote is not None and (vote.score, vote.trend, vote.comment) == (
        choice["score"],
        choice["trend"],
        choice["comment"],
    )


def late_form(choice: dict) -> VoteForm:
    """The choice that came too late, shown as it was chosen but switched off: nothing is lost
    without a word, and nothing suggests it still counts."""
    form = VoteForm(initial=choice, auto_id="te-laat-%s")
    for field in form.fields.values():
        field.disabled = True
    return form


def ballot_context(participant: Participant, *, vote: Vote | None = None, choice: dict | None = None, **extra) -> dict:
    """What the phone shows. `vote` is the participant's vote on the current question when the
    view has it already; `choice` what the phone had chosen but not (successfully) sent.

    A choice for the running round stays on the form. A choice for a round that is over, and
    that differs from the vote counted, comes back as `late`: the phone says it came too late.
    """
    session = participant.session
    question = session.current_question
    if vote is None and question is not None:
        vote = Vote.objects.filter(question=question, participant=participant).first()
    form = extra.pop("form", None)
    late = None
    if choice is not None:
        if question is not None and choice["question"] == question.pk:
            if not question.is_voting:
                late = None if is_counted(choice, vote) else late_form(choice)
        else:  # the facilitator moved on: one look at the vote for the question it was meant for
            earlier = Vote.objects.filter(question_id=choice["question"], participant=participant).first()
            late = None if is_counted(choice, earlier) else late_form(choice)
    if form is None and question is not None and question.is_voting:
        initial = {"question": question.pk}
        if vote:
            initial.update(score=vote.score, trend=vote.trend, comment=vote.comment)
        if choice is not None and choice["question"] == question.pk:
            initial.update({name: value for name, value in choice.items() if value})
        form = VoteForm(initial=initial)
    return {
        "session": session,
        "participant": participant,
        "question": question,
        "vote": vote,
        "form": form,
        "late": late,
        "is_last": question is not None and question.is_revealed and not session.questions.unopened().exists(),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@never_cache
@vary_on_headers("HX-Request")
def ballot(request: HttpRequest, code: str) -> HttpResponse:
    """The phone: the join form, then the question of the moment. Polls every 2 seconds."""
    code = normalize_code(code)
    participant = participant_from(request, code)
    if participant is None:
        if request.htmx:
            # A poll from a phone whose session was deleted: stop it, and do not count it as a guess.
            return HttpResponseStopPolling(render_to_string("apk/ballot.html#gone", {}, request))
        return ballot_by_code(request, code)
    session = participant.session
    if request.method == "POST":  # joined already, e.g. the join form sent twice
        return redirect("apk:ballot", code)
    if request.htmx:
        if request.GET.get("seen") == str(session.version):
            return HttpResponse(status=204)
        # The poll carries what the phone has chosen but not sent, so a reveal cannot lose it silently.
        context = ballot_context(participant, choice=unsent_choice(request.GET))
        if session.is_closed:
            return HttpResponseStopPolling(render_to_string("apk/ballot.html#ballot", context, request))
        return render(request, "apk/ballot.html#ballot", context)
    return render(request, "apk/ballot.html", ballot_context(participant))


@require_POST
def vote(request: HttpRequest, code: str) -> HttpResponse:
    code = normalize_code(code)
    participant = participant_from(request, code)
    if participant is None:
        if request.htmx:
            return HttpResponseClientRedirect(reverse("apk:ballot", args=[code]))
        return redirect("apk:ballot", code)
    form = VoteForm(request.POST)
    status, error, vote = 200, "", None
    if form.is_valid():
        try:
            vote = services.apk_vote_cast(
                participant=participant,
                question_id=form.cleaned_data["question"],
                score=form.cleaned_data["score"],
                trend=form.cleaned_data["trend"],
                comment=form.cleaned_data["comment"],
            )
        except services.VoteRefused as refusal:
            status, form = 409, None
            participant = participant_from(request, code)  # the facilitator moved on: show where things are now
            if refusal.code == "round_closed":
                # Keep the choice on screen and say it came too late, instead of a bare error.
                return render_ballot(request, participant, status, choice=unsent_choice(request.POST))
            error = " ".join(refusal.messages)
        else:
            if not request.htmx:
                return redirect("apk:ballot", code)
            form = None
    elif "question" in form.errors:  # only a forged form gets this wrong
        status, error, form = 400, _("Deze vraag hoort niet bij deze sessie."), None
    else:
        status = 400
    return render_ballot(request, participant, status, vote=vote, form=form, error=error)


def render_ballot(request: HttpRequest, participant: Participant, status: int, **context) -> HttpResponse:
    context = ballot_context(participant, **context)
    if request.htmx:
        # htmx only swaps 2xx answers; the fragment itself says what went wrong.
        return render(request, "apk/ballot.html#ballot", context)
    return render(request, "apk/ballot.html", context, status=status)

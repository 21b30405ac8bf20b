"""The Wijkuitvoeringsplan pages of a project. Access through projects.access.get_project_for:
outsiders get a 404, a meelezer reads, a teamlid writes, only a projectleider freezes."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knooppunten.kompas import published_kompas
from projects.access import get_project_for
from projects.models import KnooppuntStatus, LogboekEntry, Project, Role
from projects.pages import project_page
from projects.progress import legend, measure

from . import document, readiness
from .forms import ChapterForm, FreezeForm
from .models import Citaat, Hoofdstuk, HoofdstukTekst, VersieSoort
from .services import chapter_quote, plan_freeze, quote_markdown


@require_GET
@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk)
    plan = readiness.plan_for(project)
    chapter_list = readiness.plan_chapters(plan)
    versies = list(plan.versies.select_related("frozen_by"))
    has_quotes = Citaat.objects.filter(tekst__plan=plan).exists()
    return project_page(
        request,
        "plannen/overview.html",
        project,
        chapters=chapter_list,
        versies=versies,
        checklist=readiness.checklist(
            chapter_list, has_inspraak=any(v.kind == VersieSoort.INSPRAAK for v in versies), has_quotes=has_quotes
        ),
        freeze_form=FreezeForm(),
        can_freeze=project.membership.can(Role.PROJECTLEIDER),
    )


def chapter_of(plan, hoofdstuk_pk: int) -> tuple[Hoofdstuk, HoofdstukTekst]:
    hoofdstuk = next((h for h in readiness.chapters() if h.pk == hoofdstuk_pk), None)
    if hoofdstuk is None:
        raise Http404
    tekst, _created = HoofdstukTekst.objects.get_or_create(plan=plan, hoofdstuk=hoofdstuk)
    return hoofdstuk, tekst


@require_http_methods(["GET", "POST"])
@login_required
def chapter(request: HttpRequest, pk: int, hoofdstuk_pk: int) -> HttpResponse:
    """Write a chapter with the evidence beside it. A save from an older version than the
    stored one is refused with the other person's text shown, and the writer's own text kept
    in the form: nothing is lost."""
    project = get_project_for(request, pk, role=Role.TEAMLID if request.method == "POST" else Role.MEELEZER)
    plan = readiness.plan_for(project)
    hoofdstuk, tekst = chapter_of(plan, hoofdstuk_pk)
    if request.method == "POST":
        form = ChapterForm(request.POST)
        if form.is_valid():
            if tekst.save_text(form.cleaned_data["text"], seen_version=form.cleaned_data["version"], by=request.user):
                messages.success(request, _("Het hoofdstuk is opgeslagen."))
                return redirect("plannen:chapter", pk=project.pk, hoofdstuk_pk=hoofdstuk.pk)
            return chapter_conflict(request, project, hoofdstuk, tekst, form)
    else:
        form = ChapterForm(initial={"text": tekst.text, "version": tekst.version})
    return chapter_page(request, project, hoofdstuk, tekst, form)


@require_POST
@login_required
def quote(request: HttpRequest, pk: int, hoofdstuk_pk: int, entry_pk: int) -> HttpResponse:
    """A "Citeer in de tekst" button sends the chapter form here: the text as typed is saved with
    the quote at its end, in one step, so nothing typed is lost."""
    project = get_project_for(request, pk, role=Role.TEAMLID)
    plan = readiness.plan_for(project)
    hoofdstuk, tekst = chapter_of(plan, hoofdstuk_pk)
    entry = get_object_or_404(LogboekEntry, pk=entry_pk, project=project)
    data = request.POST.copy()
    # A page loaded before the buttons joined the chapter form sends no text: quote onto the
    # stored text instead of emptying the chapter.
    data.setdefault("text", tekst.text)
    form = ChapterForm(data, quote=quote_markdown(entry))
    if not form.is_valid():
        return chapter_page(request, project, hoofdstuk, tekst, form)
    if chapter_quote(
        tekst=tekst,
        text=form.cleaned_data["text"],
        entry=entry,
        seen_version=form.cleaned_data["version"],
        by=request.user,
    ):
        messages.success(request, _("Het citaat staat nu in de tekst."))
        return redirect("plannen:chapter", pk=project.pk, hoofdstuk_pk=hoofdstuk.pk)
    messages.error(request, _("Het citaat is nog niet toegevoegd. Voeg eerst de teksten samen en citeer dan opnieuw."))
    return chapter_conflict(request, project, hoofdstuk, tekst, form)


def chapter_conflict(
    request: HttpRequest, project: Project, hoofdstuk: Hoofdstuk, tekst: HoofdstukTekst, form: ChapterForm
) -> HttpResponse:
    """Someone saved since the writer started: show their text, keep the writer's own text in
    the form, on top of the current version."""
    tekst.refresh_from_db()
    form = ChapterForm({"text": form.cleaned_data["text"], "version": tekst.version})
    response = chapter_page(request, project, hoofdstuk, tekst, form, conflict=True)
    response.status_code = 409
    return response


def chapter_page(
    request: HttpRequest,
    project: Project,
    hoofdstuk: Hoofdstuk,
    tekst: HoofdstukTekst,
    form: ChapterForm,
    *,
    conflict: bool = False,
) -> HttpResponse:
    statuses = {
        s.knooppunt_id: s
        for s in KnooppuntStatus.objects.filter(project=project, knooppunt__in=hoofdstuk.knooppunten.all())
    }
    knooppunten = [(k, statuses.get(k.pk)) for k in hoofdstuk.knooppunten.all()]
    return project_page(
        request,
        "plannen/chapter.html",
        project,
        hoofdstuk=hoofdstuk,
        tekst=tekst,
        form=form,
        conflict=conflict,
        knooppunten=knooppunten,
        open_knooppunten=[k for k, s in knooppunten if s is None or s.status not in readiness.SETTLED],
        evidence=readiness.evidence(project, hoofdstuk),
        can_write=project.membership.can(Role.TEAMLID),
    )


@require_POST
@login_required
def freeze(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk, role=Role.PROJECTLEIDER)
    form = FreezeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies welke versie u wilt vastleggen."))
        return redirect("plannen:overview", pk=project.pk)
    versie = plan_freeze(plan=readiness.plan_for(project), kind=form.cleaned_data["kind"], by=request.user)
    messages.success(request, _("De %(versie)s is vastgelegd.") % {"versie": versie.get_kind_display().lower()})
    return redirect("plannen:overview", pk=project.pk)


@require_GET
@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions side by side per chapter, word by word. `a` and `b` are version ids, or
    "concept" for the working text."""
    project = get_project_for(request, pk)
    plan = readiness.plan_for(project)
    versies = list(plan.versies.select_related("frozen_by"))
    concept = {
        "label": _("Concept (de tekst van nu)"),
        "chapters": [
            {"hoofdstuk": c.hoofdstuk.pk, "title": c.hoofdstuk.title, "text": c.text}
            for c in readiness.plan_chapters(plan)
        ],
    }
    options = {"concept": concept} | {str(v.pk): {"label": str(v), "chapters": v.chapters} for v in versies}
    default_a = str(versies[-2].pk) if len(versies) > 1 else (str(versies[0].pk) if versies else "concept")
    default_b = str(versies[-1].pk) if len(versies) > 1 else "concept"
    a_key, b_key = request.GET.get("a", default_a), request.GET.get("b", default_b)
    error = ""
    if a_key not in options or b_key not in options:
        error = _("Die versie bestaat niet. Kies twee versies uit de lijst.")
        a_key, b_key = default_a, default_b
    old, new = options[a_key], options[b_key]
    old_texts = {c["hoofdstuk"]: c for c in old["chapters"]}
    new_texts = {c["hoofdstuk"]: c for c in new["chapters"]}
    order = [c["hoofdstuk"] for c in new["chapters"]] + [k for k in old_texts if k not in new_texts]
    rows = []
    for key in order:
        before, after = old_texts.get(key, {}), new_texts.get(key, {})
        pieces = readiness.word_diff(before.get("text", ""), after.get("text", ""))
        rows.append(
            {
                "title": after.get("title") or before.get("title"),
                "pieces": pieces,
                "changed": any(op != "same" for op, _text in pieces),
            }
        )
    return project_page(
        request,
        "plannen/compare.html",
        project,
        options=[(key, option["label"]) for key, option in options.items()],
        a=a_key,
        b=b_key,
        old=old,
        new=new,
        rows=rows,
        error=error,
    )


def print_context(project: Project, versie_pk: str | None) -> dict:
    """What the printed plan and the DOCX show: the concept, or with `versie_pk` a frozen
    version with its own texts and the quotes it had then. An unknown version is a 404."""
    plan = readiness.plan_for(project)
    statuses = readiness.project_statuses(project.pk)
    versies = list(plan.versies.select_related("frozen_by"))
    quotes = readiness.quoted_decisions(plan)
    if versie_pk:
        versie = next((v for v in versies if str(v.pk) == versie_pk), None)
        if versie is None:
            raise Http404
        chapters = versie.chapters
        quotes = [c for c in quotes if c.quoted_at <= versie.frozen_at]
    else:
        versie = None
        # The shape of a version's chapters, so one template prints both.
        chapters = [
            {"hoofdstuk": c.hoofdstuk.pk, "title": c.hoofdstuk.title, "text": c.text}
            for c in readiness.plan_chapters(plan, statuses)
        ]
    return {
        "versie": versie,
        "last_versie": versies[-1] if versies else None,
        "versies": versies,
        "chapters": chapters,
        "quotes": quotes,
        "progress": measure(published_kompas(), statuses),
        "made_at": timezone.now(),
        "legend": legend(),
    }


@require_GET
@login_required
def print_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk)
    return project_page(request, "plannen/print.html", project, **print_context(project, request.GET.get("versie")))


@require_GET
@login_required
def docx(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk)
    context = print_context(project, request.GET.get("versie"))
    buffer = io.BytesIO()
    document.write_docx(buffer, project=project, **context)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    name = slugify(f"{project.name} {context['versie'] or ''}") or "project"
    response["Content-Disposition"] = f'attachment; filename="wijkuitvoeringsplan-{name}.docx"'
    return response

"""The public kompas: overview, phase/spoor/party pages, deep-dive pages, search, glossary.

Every page shows the kompas the visitor may see (`kompas_for`: editors also see drafts), so
editors and visitors take the same code path.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from knooppunten.kompas import Kompas, kompas_for, published_kompas
from knooppunten.models import Begrip, Fase, Knooppunt, Partij, Praktijkverhaal, Spoor
from knooppunten.pages import glossary_terms, knooppunt_page
from knooppunten.search import snippet_of
from knooppunten.services import verhaal_submit
from projects.access import get_project_for
from projects.models import EntryKind, LogboekEntry

from .forms import CreditChoice, ErvaringForm, KompasFilterForm, SearchForm


@require_GET
@vary_on_headers("HX-Request")
def overview(request: HttpRequest) -> HttpResponse:
    kompas = kompas_for(request.user)
    form = KompasFilterForm(request.GET, kompas=kompas)
    shown = form.select()
    context = {
        "kompas": kompas,
        "form": form,
        "columns": kompas.group(shown),
        "shown": len(shown),
        "total": len(kompas.knooppunten),
    }
    template = "navigator/overview.html#kompas" if request.htmx else "navigator/overview.html"
    return render(request, template, context)


def knooppunt_list(request: HttpRequest, *, title: str, intro: str, knooppunten, **extra) -> HttpResponse:
    kompas = kompas_for(request.user)
    columns = [(fase, items) for fase, items in kompas.group(knooppunten) if items]
    context = {"kompas": kompas, "title": title, "intro": intro, "columns": columns, **extra}
    return render(request, "navigator/knooppunt_list.html", context)


@require_GET
def fase_detail(request: HttpRequest, slug: str) -> HttpResponse:
    fase = get_object_or_404(Fase, slug=slug)
    return knooppunt_list(
        request,
        title=_("Fase %(number)s: %(name)s") % {"number": fase.number, "name": fase.name},
        intro=fase.summary,
        knooppunten=[k for k in kompas_for(request.user).knooppunten if k.fase_id == fase.pk],
        fase=fase,
    )


@require_GET
def spoor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    spoor = get_object_or_404(Spoor, slug=slug)
    return knooppunt_list(
        request,
        title=_("Spoor %(letter)s: %(name)s") % {"letter": spoor.letter, "name": spoor.name},
        intro=spoor.description,
        knooppunten=kompas_for(request.user).select(spoor=spoor),
        spoor=spoor,
    )


@require_GET
def partij_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partij = get_object_or_404(Partij, slug=slug)
    return knooppunt_list(
        request,
        title=_("Partij: %(name)s") % {"name": partij.name},
        intro=partij.description,
        knooppunten=kompas_for(request.user).select(partij=partij),
        partij=partij,
    )


@require_GET
def knooppunt_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "navigator/knooppunt.html", knooppunt_page(kompas_for(request.user), slug))


@require_GET
@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.query()
    kompas = kompas_for(request.user)
    context: dict = {"form": form, "query": query, "kompas": kompas}
    if query:
        # The database ranks the knooppunten and gives the texts to quote from; their cards come
        # from the kompas in memory.
        ranked = Knooppunt.objects.visible_to(request.user).search(query)
        by_pk = {k.pk: k for k in kompas.knooppunten}
        context["knooppunten"] = [
            (by_pk[pk], snippet_of(texts, query))
            for pk, *texts in ranked.values_list("pk", "summary", "goal", "approach")[:50]
            if pk in by_pk
        ]
        context["verhalen"] = list(
            Praktijkverhaal.objects.published().search(query).only("slug", "title", "place")[:20]
        )
        context["begrippen"] = list(Begrip.objects.search(query).defer("search_vector")[:20])
        context["count"] = len(context["knooppunten"]) + len(context["verhalen"]) + len(context["begrippen"])
    template = "navigator/search.html#search-results" if request.htmx else "navigator/search.html"
    return render(request, template, context)


@require_GET
def begrippen(request: HttpRequest) -> HttpResponse:
    return render(request, "navigator/begrippen.html", {"begrippen": Begrip.objects.all()})


@require_GET
def praktijkverhaal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    verhaal = get_object_or_404(Praktijkverhaal.objects.published(), slug=slug)
    kompas = kompas_for(request.user)
    linked = set(verhaal.knooppunten.values_list("pk", flat=True))
    context = {
        "kompas": kompas,
        "verhaal": verhaal,
        "knooppunten": [k for k in kompas.knooppunten if k.pk in linked],
        "glossary_terms": glossary_terms(),
    }
    return render(request, "navigator/praktijkverhaal.html", context)


@require_GET
def praktijkverhalen(request: HttpRequest) -> HttpResponse:
    visible = Knooppunt.objects.visible_to(request.user)
    verhalen = Praktijkverhaal.objects.published().prefetch_related(Prefetch("knooppunten", queryset=visible))
    return render(request, "navigator/praktijkverhalen.html", {"verhalen": verhalen})


# "Deel uw ervaring": a logged-in user shares a practice story with the editors (issue 14, item 7).
# The story waits in the admin until an editor publishes it (knooppunten.services).


def ervaring_start(request: HttpRequest, kompas: Kompas) -> tuple[dict, LogboekEntry | None]:
    """What the form starts with: the knooppunt of the page the user came from, or a decision
    from a project's logboek. The decision is read only through the project's access check, so
    an outsider gets a 404 and learns nothing about it."""
    initial: dict = {"credit": CreditChoice.NAAM, "author_name": request.user.get_full_name()}
    code = request.GET.get("knooppunt", "")
    if kompas.by_code(code):
        initial["knooppunten"] = [code]
    project_pk, besluit_pk = request.GET.get("project"), request.GET.get("besluit")
    if project_pk is None and besluit_pk is None:
        return initial, None
    if not (str(project_pk).isdigit() and str(besluit_pk).isdigit()):
        raise Http404
    project = get_project_for(request, int(project_pk))
    besluit = get_object_or_404(
        LogboekEntry.objects.select_related("knooppunt"), project=project, pk=int(besluit_pk), kind=EntryKind.BESLUIT
    )
    initial.update(title=besluit.title, story=besluit.body, place=f"{project.name}, {project.gemeente.name}")
    if besluit.knooppunt and kompas.by_code(besluit.knooppunt.code):
        initial["knooppunten"] = [besluit.knooppunt.code]
    return initial, besluit


@login_required
@require_http_methods(["GET", "POST"])
def ervaring_delen(request: HttpRequest) -> HttpResponse:
    kompas = published_kompas()
    initial, besluit = ervaring_start(request, kompas)
    form = ErvaringForm(request.POST if request.method == "POST" else None, kompas=kompas, initial=initial)
    if form.is_valid():
        try:
            verhaal = verhaal_submit(by=request.user, **form.submission())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Dank u wel. De redactie leest uw verhaal '%(title)s'. U krijgt een e-mail als het op de site staat.")
                % {"title": verhaal.title},
            )
            return redirect(reverse("accounts:account") + "#verhalen")
    return render(
        request,
        "navigator/ervaring.html",
        {"form": form, "knooppunt_groups": form.knooppunt_groups(), "besluit": besluit},
    )

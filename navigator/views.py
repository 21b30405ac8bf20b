"""The public kompas: overview, phase/spoor/party pages, deep-dive pages, search, glossary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from knooppunten.models import Begrip, Fase, Knooppunt, Partij, Praktijkverhaal, Spoor, sees_drafts
from knooppunten.published import group_by_fase, published_kompas
from knooppunten.services import verhaal_submit
from projects.access import get_project_for
from projects.models import EntryKind, LogEntry
from wijkkompas.fragments import cached, fingerprint, render_cached

from .forms import CreditChoice, ErvaringForm, KompasFilterForm, SearchForm


def glossary_terms() -> list[tuple[str, str, str]]:
    """(word, url, definition) for every glossary term and abbreviation, for rich_text."""
    url = reverse("navigator:begrippen")
    terms = []
    for term, abbreviation, slug, definition in Begrip.objects.values_list(
        "term", "abbreviation", "slug", "definition"
    ):
        terms.append((term, f"{url}#{slug}", definition))
        if abbreviation:
            terms.append((abbreviation, f"{url}#{slug}", definition))
    return terms


def kompas_columns(request: HttpRequest, columns, version: tuple) -> str:
    """The phase columns with their cards, cached as HTML (wijkkompas.fragments) under the
    content version, which changes with everything a card shows, the phases (also one without
    knooppunten) and the knooppunten shown: the same for every visitor with the same filters."""
    shown = [(fase.pk, fase.updated_at, [k.pk for k in knooppunten]) for fase, knooppunten in columns]
    key = fingerprint(get_language(), version, shown)
    return render_cached(request, "navigator/overview.html#kompas-columns", {"columns": columns}, key=key)


def filters(request: HttpRequest, form: KompasFilterForm, sporen, version: tuple) -> str:
    """The filter form and the spoor legend, cached as HTML: Django renders form fields slowly.
    The key holds the filters chosen and the errors, the parties and, through the content
    version, the sporen. A GET form has no CSRF token."""
    chosen = ["" if name in form.errors else form.data.get(name, "") for name in form.fields]
    partijen = list(Partij.objects.values_list("pk", "slug", "name"))
    key = fingerprint(get_language(), version, chosen, sorted(form.errors), partijen)
    return render_cached(request, "navigator/overview.html#filters", {"form": form, "sporen": sporen}, key=key)


@require_GET
@vary_on_headers("HX-Request")
def overview(request: HttpRequest) -> HttpResponse:
    form = KompasFilterForm(request.GET)
    fasen = list(Fase.objects.all())
    if sees_drafts(request.user):
        # Editors also see the drafts, which the kompas in memory leaves out.
        knooppunten = Knooppunt.objects.all()
        version = knooppunten.content_version()
        columns = group_by_fase(fasen, form.apply(knooppunten.for_cards()))
        total, sporen = knooppunten.count(), Spoor.objects.all()
    else:
        kompas = published_kompas()
        version = kompas.version
        columns = group_by_fase(fasen, form.select(kompas))
        total, sporen = len(kompas.knooppunten), kompas.sporen
    context = {
        "form": form,
        "columns": columns,
        "kompas_columns": kompas_columns(request, columns, version),
        "filters": "" if request.htmx else filters(request, form, sporen, version),
        "shown": sum(len(items) for _fase, items in columns),
        "total": total,
    }
    template = "navigator/overview.html#kompas" if request.htmx else "navigator/overview.html"
    return render(request, template, context)


def knooppunt_list(request: HttpRequest, *, title: str, intro: str, knooppunten, extra=None) -> HttpResponse:
    fasen = list(Fase.objects.all())
    columns = [(fase, items) for fase, items in group_by_fase(fasen, knooppunten.for_cards()) if items]
    return render(
        request,
        "navigator/knooppunt_list.html",
        {"title": title, "intro": intro, "columns": columns, **(extra or {})},
    )


@require_GET
def fase_detail(request: HttpRequest, slug: str) -> HttpResponse:
    fase = get_object_or_404(Fase, slug=slug)
    knooppunten = Knooppunt.objects.visible_to(request.user).for_fase(fase)
    return knooppunt_list(
        request,
        title=_("Fase %(number)s: %(name)s") % {"number": fase.number, "name": fase.name},
        intro=fase.summary,
        knooppunten=knooppunten,
        extra={"fase": fase},
    )


@require_GET
def spoor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    spoor = get_object_or_404(Spoor, slug=slug)
    knooppunten = Knooppunt.objects.visible_to(request.user).filter(sporen=spoor)
    return knooppunt_list(
        request,
        title=_("Spoor %(letter)s: %(name)s") % {"letter": spoor.letter, "name": spoor.name},
        intro=spoor.description,
        knooppunten=knooppunten,
        extra={"spoor": spoor},
    )


@require_GET
def partij_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partij = get_object_or_404(Partij, slug=slug)
    knooppunten = Knooppunt.objects.visible_to(request.user).filter(partijen=partij)
    return knooppunt_list(
        request,
        title=_("Partij: %(name)s") % {"name": partij.name},
        intro=partij.description,
        knooppunten=knooppunten,
        extra={"partij": partij},
    )


def knooppunt_context(request: HttpRequest, slug: str) -> dict:
    """What the content of a knooppunt page shows, in ten queries."""
    visible = Knooppunt.objects.visible_to(request.user)
    knooppunt = get_object_or_404(
        visible.select_related("fase").prefetch_related(
            "sporen",
            "partijen",
            "koppelkansen",
            "tips",
            "bronnen",
            Prefetch("raakvlakken", queryset=visible.select_related("fase")),
            Prefetch("raakvlak_van", queryset=visible.select_related("fase")),
            Prefetch("praktijkverhalen", queryset=Praktijkverhaal.objects.published()),
        ),
        slug=slug,
    )
    # A raakvlak is stored on one side and shown on both.
    both_ways = {k.pk: k for k in [*knooppunt.raakvlakken.all(), *knooppunt.raakvlak_van.all()]}
    return {
        "knooppunt": knooppunt,
        "raakvlakken": sorted(both_ways.values(), key=lambda k: k.code),
        "glossary_terms": glossary_terms(),
    }


def pager(siblings: list[Knooppunt], knooppunt: Knooppunt) -> dict:
    """The knooppunten before and after this one in its phase."""
    index = siblings.index(knooppunt)
    return {
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
    }


def knooppunt_page(request: HttpRequest, slug: str) -> dict:
    """The knooppunt and its content (goal, approach, tips, stories, features, raakvlakken) as
    HTML; the project's knooppunt page shows it too.

    The content is the same for every visitor, so it is cached under the versions of the kompas
    and of the details, which change with everything it shows: Markdown with glossary links and
    ten queries otherwise. Editors also see drafts and links to drafts: theirs is rendered for
    them alone.
    """
    if sees_drafts(request.user):
        context = knooppunt_context(request, slug)
        knooppunt = context["knooppunt"]
        siblings = list(
            Knooppunt.objects.visible_to(request.user).filter(fase=knooppunt.fase_id).only("code", "title", "slug")
        )
        content = render_to_string("navigator/knooppunt.html#content", context)
        return {"knooppunt": knooppunt, "content": content, **pager(siblings, knooppunt)}
    kompas = published_kompas()
    knooppunt = kompas.by_slug.get(slug)
    if knooppunt is None:
        raise Http404
    key = fingerprint(get_language(), kompas.version, Knooppunt.objects.details_version(), knooppunt.pk)
    content = cached("navigator/knooppunt.html#content", lambda: knooppunt_context(request, slug), key=key)
    return {
        "knooppunt": knooppunt,
        "content": content,
        **pager(dict(kompas.columns)[knooppunt.fase], knooppunt),
    }


@require_GET
def knooppunt_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "navigator/knooppunt.html", knooppunt_page(request, slug))


def found_knooppunten(request: HttpRequest, query: str, limit: int = 50) -> list[str]:
    """The cards of the knooppunten that match, best first. The database ranks them; for
    visitors and members the cards come from the published kompas in memory, each cached as
    HTML under the content version. Editors also find drafts, rendered for them alone."""
    found = Knooppunt.objects.visible_to(request.user).search(query)
    template = "navigator/search.html#result"
    if sees_drafts(request.user):
        return [render_to_string(template, {"knooppunt": k}) for k in found.for_cards()[:limit]]
    kompas = published_kompas()
    pks = [pk for pk in found.values_list("pk", flat=True)[:limit] if pk in kompas.by_pk]
    language = get_language()
    return [
        cached(template, {"knooppunt": kompas.by_pk[pk]}, key=fingerprint(language, kompas.version, pk)) for pk in pks
    ]


@require_GET
@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.query()
    context: dict = {"form": form, "query": query}
    if query:
        context["knooppunten"] = found_knooppunten(request, query)
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
    knooppunten = Knooppunt.objects.visible_to(request.user).filter(praktijkverhalen=verhaal)
    return render(
        request,
        "navigator/praktijkverhaal.html",
        {"verhaal": verhaal, "knooppunten": knooppunten.for_cards(), "glossary_terms": glossary_terms()},
    )


@require_GET
def praktijkverhalen(request: HttpRequest) -> HttpResponse:
    visible = Knooppunt.objects.visible_to(request.user)
    verhalen = Praktijkverhaal.objects.published().prefetch_related(Prefetch("knooppunten", queryset=visible))
    return render(request, "navigator/praktijkverhalen.html", {"verhalen": verhalen})


# "Deel uw ervaring": a logged-in user shares a practice story with the editors (issue 14, item 7).
# The story waits in the admin until an editor publishes it (knooppunten.services).


def ervaring_start(request: HttpRequest, kompas) -> tuple[dict, LogEntry | None]:
    """What the form starts with: the knooppunt of the page the user came from, or a decision
    from a project's logboek. The decision is read only through the project's access check, so
    an outsider gets a 404 and learns nothing about it."""
    initial: dict = {"credit": CreditChoice.NAAM, "author_name": request.user.get_full_name()}
    code = request.GET.get("knooppunt", "")
    if code in kompas.by_code:
        initial["knooppunten"] = [code]
    project_pk, besluit_pk = request.GET.get("project"), request.GET.get("besluit")
    if project_pk is None and besluit_pk is None:
        return initial, None
    if not (str(project_pk).isdigit() and str(besluit_pk).isdigit()):
        raise Http404
    project = get_project_for(request, int(project_pk))
    besluit = get_object_or_404(
        LogEntry.objects.select_related("knooppunt"), project=project, pk=int(besluit_pk), kind=EntryKind.BESLUIT
    )
    initial.update(title=besluit.title, story=besluit.body, place=f"{project.name}, {project.gemeente.name}")
    if besluit.knooppunt and besluit.knooppunt.code in kompas.by_code:
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

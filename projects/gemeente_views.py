"""The pages of a gemeente: its portfolio (with CSV and heatmap), its members and the requests
to join it, and "Mijn gemeente". Every view finds the gemeente through access.get_gemeente_for,
so someone who is not a member gets a 404 and a medewerker gets a 403 on member management."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from knooppunten.kompas import published_kompas

from . import exchange, services
from .access import get_gemeente_for
from .forms import AccessRequestForm, GemeenteMemberForm, GemeenteRequestForm, GemeenteRoleForm, PortfolioFilterForm
from .models import AccessRequest, AccessRequestState, Gemeente, GemeenteMembership, GemeenteRole
from .portfolio import SORTS, Portfolio, heat


@require_http_methods(["GET", "POST"])
@login_required
def gemeenten(request: HttpRequest) -> HttpResponse:
    """Mijn gemeente: the user's gemeenten, and a way to ask for access or for a new gemeente."""
    which = request.POST.get("form") if request.method == "POST" else None
    access_form = AccessRequestForm(request.POST if which == "toegang" else None, user=request.user)
    new_form = GemeenteRequestForm(request.POST if which == "nieuw" else None, prefix="nieuw")
    if which == "toegang" and access_form.is_valid():
        gemeente = access_form.cleaned_data["gemeente"]
        try:
            services.access_request_create(
                gemeente=gemeente, user=request.user, message=access_form.cleaned_data["message"]
            )
        except ValidationError as error:
            access_form.add_error("gemeente", error)
        else:
            messages.success(
                request,
                _("Uw verzoek voor %(name)s is verstuurd. U krijgt een e-mail als een programmamanager heeft besloten.")
                % {"name": gemeente.name},
            )
            return redirect("projects:gemeenten")
    if which == "nieuw" and new_form.is_valid():
        try:
            gemeente = services.gemeente_request(
                name=new_form.cleaned_data["name"], cbs_code=new_form.cleaned_data["cbs_code"], by=request.user
            )
        except ValidationError as error:
            new_form.add_error("name", error)
        else:
            messages.success(
                request,
                _(
                    "De gemeente %(name)s is aangemaakt, maar nog niet geverifieerd. Tot het beheer haar heeft "
                    "gecontroleerd, werkt alleen u erin."
                )
                % {"name": gemeente.name},
            )
            return redirect("projects:gemeenten")
    mine = GemeenteMembership.objects.filter(user=request.user).select_related("gemeente").order_by("gemeente__name")
    open_requests = AccessRequest.objects.filter(user=request.user, state=AccessRequestState.OPEN).select_related(
        "gemeente"
    )
    return render(
        request,
        "projects/gemeenten.html",
        {"memberships": mine, "open_requests": open_requests, "access_form": access_form, "new_form": new_form},
    )


def portfolio_context(request: HttpRequest, gemeente: Gemeente) -> dict:
    kompas = published_kompas()
    form = PortfolioFilterForm(request.GET or None, fasen=kompas.fasen)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort", "naam")
    if sort.lstrip("-") not in SORTS:
        sort = "naam"
    portfolio = Portfolio(
        gemeente,
        kompas,
        request.user,
        sort=sort,
        fase=filters.get("fase"),
        overdue=bool(filters.get("achterstallig")),
        quiet=bool(filters.get("stil")),
    )
    return {"gemeente": gemeente, "kompas": kompas, "form": form, "portfolio": portfolio, "sort": sort}


@require_GET
@login_required
@vary_on_headers("HX-Request")
def portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    """All projects of a gemeente, for its members only."""
    gemeente = get_gemeente_for(request, pk)
    context = portfolio_context(request, gemeente)
    query = request.GET.copy()
    query.pop("sort", None)
    columns = []
    for key, label in SORTS.items():
        state = "ascending" if context["sort"] == key else "descending" if context["sort"] == f"-{key}" else ""
        query["sort"] = f"-{key}" if state == "ascending" else key
        columns.append({"key": key, "label": label, "state": state, "query": query.urlencode()})
    query.pop("sort", None)
    if context["sort"] != "naam":
        query["sort"] = context["sort"]
    context.update(
        columns=columns,
        export_query=query.urlencode(),
        can_manage=gemeente.membership.can(GemeenteRole.PROGRAMMAMANAGER),
    )
    template = "projects/portfolio.html#portfolio-table" if request.htmx else "projects/portfolio.html"
    return render(request, template, context)


PORTFOLIO_HEADER = [
    "project",
    "hoofdproject",
    "fase",
    "afgerond (%)",
    "afgerond",
    "bezig",
    "gepauzeerd",
    "herzien",
    "niet van toepassing",
    "niet gestart",
    "laatste wijziging",
    "laatst gewijzigd door",
    "open acties",
    "achterstallige acties",
    "laatste APK",
    "APK-score",
    "APK-trend",
]


@require_GET
@login_required
@never_cache
def portfolio_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The portfolio as the table shows it (same filters and order), in the CSV conventions of the
    project exports: UTF-8 with BOM, semicolons, formulas defused."""
    gemeente = get_gemeente_for(request, pk)
    rows = portfolio_context(request, gemeente)["portfolio"].rows
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    exchange.write_csv(
        response,
        PORTFOLIO_HEADER,
        (
            [
                row.project.name,
                row.project.parent.name if row.project.parent else "",
                f"{row.current_fase.number}. {row.current_fase.name}" if row.current_fase else "",
                row.percent_done,
                row.counts["afgerond"],
                row.counts["bezig"],
                row.counts["gepauzeerd"],
                row.counts["herzien"],
                row.counts["nvt"],
                row.overall.open,
                exchange.local_datetime(row.last_change_at),
                exchange.person(row.last_change_by),
                row.open_actions,
                row.overdue_actions,
                row.apk.date.isoformat() if row.apk else "",
                "" if row.apk is None or row.apk.score is None else row.apk.score,
                row.apk.trend_label if row.apk else "",
            ]
            for row in rows
        ),
    )
    filename = f"{slugify(gemeente.name) or 'gemeente'}-portfolio-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@require_GET
@login_required
def heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    """Projects x phases, coloured by the share done, so a stuck wijk stands out."""
    gemeente = get_gemeente_for(request, pk)
    context = portfolio_context(request, gemeente)
    context["cells"] = [
        (row, [(fase, tally, heat(tally)) for fase, tally in row.fasen]) for row in context["portfolio"].rows
    ]
    return render(request, "projects/heatmap.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def gemeente_members(request: HttpRequest, pk: int) -> HttpResponse:
    gemeente = get_gemeente_for(request, pk, role=GemeenteRole.PROGRAMMAMANAGER)
    form = GemeenteMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not gemeente.is_verified:
            form.add_error(
                None, _("Deze gemeente is nog niet geverifieerd. U kunt pas leden toevoegen na verificatie.")
            )
        else:
            try:
                services.gemeente_member_add(
                    gemeente=gemeente, user=form.user, role=form.cleaned_data["role"], by=request.user
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(request, _("%(user)s is lid van de gemeente.") % {"user": form.user})
                return redirect("projects:gemeente_members", gemeente.pk)
    memberships = gemeente.gemeente_memberships.select_related("user")
    requests = gemeente.access_requests.filter(state=AccessRequestState.OPEN).select_related("user")
    return render(
        request,
        "projects/gemeente_members.html",
        {
            "gemeente": gemeente,
            "form": form,
            "memberships": memberships,
            "requests": requests,
            "roles": GemeenteRole.choices,
        },
    )


@require_POST
@login_required
def gemeente_member_change(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    gemeente = get_gemeente_for(request, pk, role=GemeenteRole.PROGRAMMAMANAGER)
    membership = get_object_or_404(
        GemeenteMembership.objects.select_related("user"), gemeente=gemeente, pk=membership_pk
    )
    try:
        if request.POST.get("action") == "remove":
            services.gemeente_member_remove(membership=membership)
            messages.success(request, _("%(user)s is geen lid meer van de gemeente.") % {"user": membership.user})
        else:
            form = GemeenteRoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Kies een rol uit de lijst."))
            services.gemeente_member_change(membership=membership, role=form.cleaned_data["role"], by=request.user)
            messages.success(request, _("De rol van %(user)s is opgeslagen.") % {"user": membership.user})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if (
        membership.user == request.user
        and not gemeente.gemeente_memberships.filter(pk=membership.pk, role=GemeenteRole.PROGRAMMAMANAGER).exists()
    ):
        return redirect("projects:gemeenten")
    return redirect("projects:gemeente_members", gemeente.pk)


@require_POST
@login_required
def access_request_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    gemeente = get_gemeente_for(request, pk, role=GemeenteRole.PROGRAMMAMANAGER)
    access_request = get_object_or_404(AccessRequest.objects.select_related("user"), gemeente=gemeente, pk=request_pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        messages.error(request, _("Kies of u het verzoek goedkeurt of afwijst."))
        return redirect("projects:gemeente_members", gemeente.pk)
    try:
        services.access_request_decide(access_request=access_request, approve=decision == "approve", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = (
            _("%(user)s is nu medewerker van de gemeente.")
            if decision == "approve"
            else _("Het verzoek van %(user)s is afgewezen.")
        )
        messages.success(request, text % {"user": access_request.user})
    return redirect("projects:gemeente_members", gemeente.pk)

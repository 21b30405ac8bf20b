"""The pages of a project. Every view finds the project through access.get_project_for, so
outsiders get a 404 and a role that is too low gets a 403."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from knooppunten.kompas import published_kompas
from knooppunten.models import Knooppunt
from knooppunten.pages import knooppunt_page

from . import exchange, services
from .access import get_project_for, memberships_of
from .documents import CONTENT_TYPES, suffix_of
from .forms import (
    ImportForm,
    InvitationForm,
    LogboekEntryForm,
    MembershipForm,
    ProjectForm,
    StatusForm,
    SubprojectForm,
)
from .models import (
    EntryKind,
    Gemeente,
    Invitation,
    KnooppuntStatus,
    LogboekEntry,
    Membership,
    Project,
    Role,
    Status,
    StatusChange,
)
from .pages import project_page
from .progress import board_of, legend, measure, project_statuses, status_in

logger = logging.getLogger(__name__)


# Mijn projecten


@require_GET
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    mine = memberships_of(request.user, "project__parent")
    counted = Project.objects.filter(pk__in=[m.project_id for m in mine]).with_progress().order_by()
    counts = {pk: rest for pk, *rest in counted.values_list("pk", "done_count", "busy_count", "nvt_count")}
    for membership in mine:
        project = membership.project
        project.done_count, project.busy_count, project.nvt_count = counts[project.pk]
        project.role = membership.get_role_display()
    context = {
        "projects": [m.project for m in mine],
        "total": len(published_kompas().knooppunten),
        "gemeenten": Gemeente.objects.for_member(request.user),  # a portfolio is for gemeente members only
    }
    return render(request, "projects/project_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = services.project_create(
            gemeente=form.cleaned_data["gemeente"],
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            start_date=form.cleaned_data["start_date"],
            by=request.user,
        )
        messages.success(
            request, _("Het project %(name)s is aangemaakt. U bent de projectleider.") % {"name": project.name}
        )
        return redirect(project)
    no_gemeente = not form.fields["gemeente"].queryset.exists()
    context = {"form": form, "title": _("Nieuw project"), "no_gemeente": no_gemeente}
    return render(request, "projects/project_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk, role=Role.PROJECTLEIDER)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = form.save()
        Project.objects.filter(pk=project.pk).changed()
        messages.success(request, _("De gegevens van het project zijn opgeslagen."))
        return redirect(project)
    return project_page(request, "projects/project_form.html", project, form=form, title=_("Project bewerken"))


@require_http_methods(["GET", "POST"])
@login_required
def subproject_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_project_for(request, pk, role=Role.PROJECTLEIDER)
    form = SubprojectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.project_create(
            gemeente=parent.gemeente,
            parent=parent,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            start_date=form.cleaned_data["start_date"],
            by=request.user,
        )
        messages.success(request, _("Het deelproject %(name)s is aangemaakt.") % {"name": project.name})
        return redirect(project)
    return project_page(
        request, "projects/project_form.html", parent, form=form, title=_("Nieuw deelproject van %s") % parent.name
    )


# The voortgang page and status changes


@require_GET
@login_required
@vary_on_headers("HX-Request")
def voortgang(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's progress through the kompas, "Wat nu?" and a card per knooppunt.

    The template caches all it shows of the statuses under the project's cache version, which
    every status change raises, and the day ("Wat nu?" flags work that has been bezig for weeks),
    so the statuses are read (`board`) only when that changed.
    """
    project = get_project_for(request, pk)
    kompas = published_kompas()
    today = timezone.localdate()
    return project_page(
        request,
        "projects/voortgang.html",
        project,
        kompas=kompas,
        board=SimpleLazyObject(lambda: board_of(kompas, project_statuses(project.pk), today=today)),
        today=today,
        can_change=project.membership.can(Role.TEAMLID),
        status_choices=Status.choices,
        # The sub-projects this user can open: those in the switcher, so no query of its own.
        subprojects=[other for other in project.switcher if other.parent_id == project.pk],
    )


@require_POST
@login_required
def status_change(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    project = get_project_for(request, pk, role=Role.TEAMLID)
    # The answer redraws the progress of the whole kompas, so the card comes from the same kompas.
    kompas = published_kompas()
    knooppunt = kompas.by_code(code)
    if knooppunt is None:
        raise Http404
    form = StatusForm(request.POST, prefix=code)
    undo = request.POST.get("undo") == "1"
    if undo:
        row = services.status_undo(project=project, knooppunt=knooppunt, by=request.user)
        changed = row is not None
        announcement = (
            _("De wijziging van %(code)s is ongedaan gemaakt.") % {"code": knooppunt.code}
            if changed
            else _("Er is niets om ongedaan te maken.")
        )
    elif form.is_valid():
        row = services.status_set(
            project=project,
            knooppunt=knooppunt,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        changed = True
        announcement = _("De status van %(code)s is nu: %(status)s.") % {
            "code": knooppunt.code,
            "status": row.get_status_display(),
        }
    else:
        changed = False
        announcement = " ".join(error for errors in form.errors.values() for error in errors)
    if not changed:
        row = KnooppuntStatus.objects.filter(project=project, knooppunt=knooppunt).first()
    if not request.htmx:
        level = messages.success if changed else messages.error
        level(request, announcement)
        if request.POST.get("next") == "knooppunt":
            return redirect("projects:knooppunt", project.pk, knooppunt.slug)
        return redirect(reverse("projects:voortgang", args=[project.pk]) + f"#knooppunt-{knooppunt.pk}")
    context = {
        "kompas": kompas,
        "knooppunt": knooppunt,
        "status": status_in(row),
        "can_change": True,
        "status_choices": Status.choices,
        "status_form": None if undo else form,
        "announcement": announcement,
        "saved": changed,
        # An undo can itself be undone, but the card offers it only after a change.
        "undo": changed and not undo,
    }
    if changed:
        progress = measure(kompas, project_statuses(project.pk, dates=False))
        context.update(progress=progress, changed_rows=progress.rows_of(knooppunt), oob=True)
    elif not undo:
        # The choice stays as the user made it, so they can correct the note and save again.
        context.update(chosen_status=form.data.get(f"{code}-status"), chosen_note=form.data.get(f"{code}-note", ""))
    # Also an invalid change answers 200: htmx swaps only 2xx answers, and the fragment shows the error.
    return render(request, "projects/voortgang.html#status-response", context)


@require_GET
@login_required
def knooppunt_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The knooppunt's content, with this project's status, its timeline and its logbook entries."""
    project = get_project_for(request, pk)
    page = knooppunt_page(published_kompas(), slug)
    knooppunt = page["knooppunt"]
    row = KnooppuntStatus.objects.filter(project=project, knooppunt=knooppunt).first()
    timeline = StatusChange.objects.filter(project=project, knooppunt=knooppunt).select_related("changed_by")
    entries = LogboekEntry.objects.filter(project=project, knooppunt=knooppunt).for_list()
    return project_page(
        request,
        "projects/knooppunt.html",
        project,
        **page,
        status=status_in(row),
        status_row=row,
        timeline=timeline,
        entries=entries,
        status_choices=Status.choices,
    )


# The logbook


@require_http_methods(["GET", "POST"])
@login_required
def logboek(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk)
    knooppunten = Knooppunt.objects.published().only("pk", "code", "title")
    form = None
    if project.membership.can(Role.TEAMLID):
        initial = {"knooppunt": request.GET.get("knooppunt"), "kind": request.GET.get("soort") or EntryKind.BESLUIT}
        form = LogboekEntryForm(
            request.POST or None, request.FILES or None, project=project, knooppunten=knooppunten, initial=initial
        )
    elif request.method == "POST":
        raise PermissionDenied  # a meelezer reads the logbook but writes nothing
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        try:
            with transaction.atomic():
                services.log_entry_add(entry=entry, by=request.user)
        except OSError:
            # The file store failed (disk full, storage down): no entry without its document.
            logger.exception("Storing a logbook document failed")
            if entry.file and entry.file.name:
                entry.file.storage.delete(entry.file.name)
            form.add_error(
                "document", _("Het bestand kon niet worden bewaard. Er is niets vastgelegd. Probeer het later opnieuw.")
            )
        else:
            messages.success(request, _("'%(title)s' staat in het logboek.") % {"title": entry.title})
            return redirect(entry)
    entries = LogboekEntry.objects.filter(project=project).for_list()
    kind = request.GET.get("soort", "")
    if kind in EntryKind.values:
        entries = entries.filter(kind=kind)
    open_only = request.GET.get("open") == "1"
    if open_only:
        entries = entries.open_actions()
    return project_page(
        request,
        "projects/logboek.html",
        project,
        form=form,
        entries=entries,
        kinds=EntryKind.choices,
        kind=kind,
        open_only=open_only,
    )


@require_POST
@login_required
def action_toggle(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    project = get_project_for(request, pk, role=Role.TEAMLID)
    entry = get_object_or_404(LogboekEntry, project=project, pk=entry_pk, kind=EntryKind.ACTIE)
    services.action_done(entry=entry, done=not entry.is_done)
    if request.htmx:
        return render(request, "projects/logboek.html#entry", {"project": project, "entry": entry})
    return redirect(entry)


@require_GET
@login_required
def document_download(request: HttpRequest, pk: int, entry_pk: int) -> FileResponse:
    project = get_project_for(request, pk)
    entry = get_object_or_404(LogboekEntry, project=project, pk=entry_pk, kind=EntryKind.DOCUMENT)
    if not entry.file:
        raise Http404
    try:
        handle = entry.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = CONTENT_TYPES.get(suffix_of(entry.file_name), "application/octet-stream")
    return FileResponse(handle, as_attachment=True, filename=entry.file_name, content_type=content_type)


# Members and invitations


@require_http_methods(["GET", "POST"])
@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk)
    form = None
    if project.membership.can(Role.PROJECTLEIDER):
        form = InvitationForm(request.POST or None, project=project)
    elif request.method == "POST":
        raise PermissionDenied  # only a projectleider adds people
    if request.method == "POST" and form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        existing = get_user_model().objects.filter(email__iexact=email).first()
        if existing:
            services.membership_add(project=project, user=existing, role=role, by=request.user)
            messages.success(request, _("%(email)s is toegevoegd aan het project.") % {"email": email})
        else:
            _invitation, created = services.invitation_send(
                project=project, email=email, role=role, by=request.user, request=request
            )
            if created:
                message = _("We hebben een uitnodiging gestuurd naar %(email)s.")
            else:
                message = _("%(email)s was al uitgenodigd. We hebben de uitnodiging opnieuw gestuurd.")
            messages.success(request, message % {"email": email})
        return redirect("projects:members", project.pk)
    memberships = project.memberships.select_related("user")
    invitations = project.invitations.open() if project.membership.can(Role.PROJECTLEIDER) else []
    return project_page(
        request,
        "projects/members.html",
        project,
        form=form,
        memberships=memberships,
        invitations=invitations,
        roles=Role.choices,
    )


@require_POST
@login_required
def member_change(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    project = get_project_for(request, pk, role=Role.PROJECTLEIDER)
    membership = get_object_or_404(Membership, project=project, pk=membership_pk)
    if request.POST.get("action") == "remove":
        # Removing someone is confirmed on a page of its own first.
        return redirect("projects:member_remove", project.pk, membership.pk)
    form = MembershipForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Kies een rol uit de lijst."))
        services.membership_change(
            membership=membership,
            role=form.cleaned_data["role"],
            is_facilitator=form.cleaned_data["is_facilitator"],
            by=request.user,
        )
        messages.success(request, _("De rol van %(user)s is opgeslagen.") % {"user": membership.user})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("projects:members", project.pk)


@require_http_methods(["GET", "POST"])
@login_required
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Take someone off the team, after a confirmation step: only a POST with confirm=ja removes."""
    project = get_project_for(request, pk, role=Role.PROJECTLEIDER)
    membership = get_object_or_404(Membership.objects.select_related("user"), project=project, pk=membership_pk)
    error = ""
    if request.method == "POST" and request.POST.get("confirm") == "ja":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("%(user)s is geen lid meer van het project.") % {"user": membership.user})
            if membership.user == request.user:
                return redirect("projects:list")
            return redirect("projects:members", project.pk)
    return project_page(request, "projects/member_remove.html", project, member=membership, error=error)


@require_POST
@login_required
def invitation_withdraw(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    project = get_project_for(request, pk, role=Role.PROJECTLEIDER)
    invitation = get_object_or_404(project.invitations.open(), pk=invitation_pk)
    invitation.delete()
    messages.success(request, _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email})
    return redirect("projects:members", project.pk)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email. A visitor without an account signs up first; the
    invitation proves the email address, so allauth need not verify it again."""
    invitation = get_object_or_404(Invitation.objects.select_related("project__gemeente", "invited_by"), token=token)
    if not invitation.is_open:
        return render(request, "projects/invitation.html", {"invitation": invitation, "closed": True}, status=410)
    if not request.user.is_authenticated:
        from allauth.account.adapter import get_adapter

        get_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "projects/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("projects:list")
        messages.success(request, _("Welkom in het project %(name)s.") % {"name": membership.project.name})
        return redirect(membership.project)
    return render(request, "projects/invitation.html", {"invitation": invitation})


# The report and the exports


def report_context(project: Project) -> dict:
    """What the printable report shows, in a fixed number of queries."""
    kompas = published_kompas()
    statuses = {s.knooppunt_id: s for s in KnooppuntStatus.objects.filter(project=project).select_related("changed_by")}

    def listed(status: str) -> list[tuple[Knooppunt, KnooppuntStatus]]:
        return [(k, statuses[k.pk]) for k in kompas.knooppunten if k.pk in statuses and statuses[k.pk].status == status]

    # Work under way, grouped by status (bezig, gepauzeerd, herzien), each group in kompas order.
    under_way = [(status.label, rows) for status in Status.busy() if (rows := listed(status))]
    entries = LogboekEntry.objects.filter(project=project).for_list()
    return {
        "progress": measure(kompas, statuses),
        "legend": legend(),
        "under_way": under_way,
        "not_applicable": listed(Status.NIET_VAN_TOEPASSING),
        "decisions": entries.filter(kind=EntryKind.BESLUIT).order_by("created_at", "id"),
        "open_actions": entries.open_actions().order_by(F("due_date").asc(nulls_last=True), "created_at", "id"),
        "team": project.memberships.select_related("user"),
        "subprojects": project.subprojects.all(),
    }


@require_GET
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk)
    return project_page(
        request,
        "projects/report.html",
        project,
        made_at=timezone.now(),
        today=timezone.localdate(),
        can_export_json=project.membership.can(Role.PROJECTLEIDER),
        **report_context(project),
    )


def download(response: HttpResponse, project: Project, suffix: str) -> HttpResponse:
    filename = f"{slugify(project.name) or 'project'}-{suffix}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def csv_response(project: Project, suffix: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    exchange.write_csv(response, header, rows)
    return download(response, project, suffix)


@require_GET
@login_required
@never_cache
def export_statuses(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk)
    return csv_response(project, "statussen.csv", exchange.STATUS_HEADER, exchange.status_rows(project))


@require_GET
@login_required
@never_cache
def export_logboek(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk)
    return csv_response(project, "logboek.csv", exchange.LOGBOEK_HEADER, exchange.logboek_rows(project))


@require_GET
@login_required
@never_cache
def export_project(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole project as JSON, for projectleiders only: it names every member by email."""
    project = get_project_for(request, pk, role=Role.PROJECTLEIDER)
    data = exchange.project_export(project)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return download(response, project, f"{timezone.localdate().isoformat()}.json")


@require_http_methods(["GET", "POST"])
@login_required
def project_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = exchange.project_import(data=form.cleaned_data["data"], by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, _("Het project %(name)s is ingelezen. U bent de projectleider.") % {"name": project.name}
            )
            if project.unlinked_emails:
                messages.warning(
                    request,
                    _(
                        "Deze mensen hebben nog geen account hier. Ze staan niet in het team en niet bij hun "
                        "wijzigingen: %(emails)s. Nodig hen uit via Team."
                    )
                    % {"emails": ", ".join(project.unlinked_emails)},
                )
            return redirect(project)
    return render(request, "projects/import.html", {"form": form, "max_mb": exchange.MAX_IMPORT_MB})

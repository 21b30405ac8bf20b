"""Workflows of a project that touch several models. Forms validate; these functions execute."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from knooppunten.models import Knooppunt

from . import emails
from .models import (
    AccessRequest,
    AccessRequestState,
    Gemeente,
    GemeenteMembership,
    GemeenteRole,
    Invitation,
    KnooppuntStatus,
    LogboekEntry,
    Membership,
    Project,
    Role,
    StatusChange,
    invitation_expiry,
)


@transaction.atomic
def project_create(
    *, gemeente: Gemeente, name: str, by, description: str = "", start_date=None, parent: Project | None = None
) -> Project:
    project = Project.objects.create(
        gemeente=gemeente,
        name=name,
        description=description,
        parent=parent,
        **({"start_date": start_date} if start_date else {}),
    )
    Membership.objects.create(project=project, user=by, role=Role.PROJECTLEIDER)
    return project


@transaction.atomic
def status_set(*, project: Project, knooppunt: Knooppunt, status: str, note: str = "", by) -> KnooppuntStatus:
    """Set the status of a knooppunt in a project and add the change to its timeline.

    The first step raises the project's cache version, which locks the project row until the
    end of the transaction. Changes in one project are therefore applied one after the other:
    no update is lost, each appears in the timeline with the right 'from' status, and the
    voortgang page's cached view of the statuses (kept under the version) never misses one.
    """
    Project.objects.filter(pk=project.pk).changed()
    row = KnooppuntStatus.objects.filter(project=project, knooppunt=knooppunt).first()
    if row is None:
        row = KnooppuntStatus(project=project, knooppunt=knooppunt)
    now = timezone.now()
    StatusChange.objects.create(
        project=project,
        knooppunt=knooppunt,
        old_status=row.status,
        new_status=status,
        note=note,
        changed_at=now,
        changed_by=by,
    )
    row.status = status
    row.note = note
    row.changed_at = now
    row.changed_by = by
    if row.pk is None:
        row.save(force_insert=True)
    else:
        row.save(update_fields=["status", "note", "changed_at", "changed_by"])
    return row


def status_undo(*, project: Project, knooppunt: Knooppunt, by) -> KnooppuntStatus | None:
    """Put back the status and note a knooppunt had before its last change, as a new step in the
    timeline, so the undo is visible too. None when the knooppunt was never changed."""
    last, *before = StatusChange.objects.filter(project=project, knooppunt=knooppunt)[:2] or [None]
    if last is None:
        return None
    return status_set(
        project=project, knooppunt=knooppunt, status=last.old_status, note=before[0].note if before else "", by=by
    )


def invitation_send(*, project: Project, email: str, role: str, by, request) -> tuple[Invitation, bool]:
    """Invite someone without an account by email. An open invitation to the same address is
    sent again, with the role now chosen and a new expiry date, so the team sees one invitation
    per person. Returns the invitation and whether it is new."""
    invitation = project.invitations.open().filter(email=email.lower()).first()
    created = invitation is None
    if created:
        invitation = Invitation.objects.create(project=project, email=email.lower(), role=role, invited_by=by)
    else:
        invitation.role, invitation.invited_by, invitation.expires_at = role, by, invitation_expiry()
        invitation.save(update_fields=["role", "invited_by", "expires_at"])
    context = {
        "invitation": invitation,
        "project": project,
        "inviter": by,
        "url": request.build_absolute_uri(invitation.get_absolute_url()),
        "days": settings.INVITATION_DAYS,
    }
    send_mail(
        subject=_("Uitnodiging voor %(project)s in Wijkkompas") % {"project": project.name},
        message=render_to_string("projects/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return invitation, created


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("Deze uitnodiging is al gebruikt of verlopen."))
    membership, created = Membership.objects.get_or_create(
        project=invitation.project, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def _keep_a_projectleider(project: Project, *, without: Membership) -> None:
    # Lock the project's memberships so two leaders cannot both step down at once.
    leaders = list(
        Membership.objects.select_for_update()
        .filter(project=project, role=Role.PROJECTLEIDER)
        .exclude(pk=without.pk)
        .values_list("pk", flat=True)
    )
    if not leaders:
        raise ValidationError(
            _("Een project heeft altijd minstens één projectleider. Maak eerst iemand anders projectleider.")
        )


@transaction.atomic
def membership_add(*, project: Project, user, role: str, by) -> Membership:
    membership = Membership.objects.create(project=project, user=user, role=role)
    emails.project_role_given(membership, by=by)
    return membership


@transaction.atomic
def membership_change(*, membership: Membership, role: str, is_facilitator: bool, by=None) -> Membership:
    if membership.role == Role.PROJECTLEIDER and role != Role.PROJECTLEIDER:
        _keep_a_projectleider(membership.project, without=membership)
    role_changed = membership.role != role
    membership.role = role
    membership.is_facilitator = is_facilitator
    membership.save(update_fields=["role", "is_facilitator"])
    if role_changed and by is not None:
        emails.project_role_given(membership, by=by)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.PROJECTLEIDER:
        _keep_a_projectleider(membership.project, without=membership)
    membership.delete()


@transaction.atomic
def log_entry_add(*, entry: LogboekEntry, by) -> LogboekEntry:
    """Save a new logbook entry; an action given to someone else is announced to them by email."""
    entry.created_by = by
    entry.save()
    Project.objects.filter(pk=entry.project_id).changed()
    emails.action_assigned(entry, by=by)
    return entry


@transaction.atomic
def action_done(*, entry: LogboekEntry, done: bool) -> LogboekEntry:
    """Mark an action done, or open again."""
    entry.is_done = done
    entry.save(update_fields=["is_done"])
    Project.objects.filter(pk=entry.project_id).changed()
    return entry


# Gemeenten: their members and who may join


@transaction.atomic
def gemeente_request(*, name: str, cbs_code: str = "", by) -> Gemeente:
    """A gemeente that does not exist yet, asked for by a user. It stays unverified, with the
    requester as its only member, until site staff verify it."""
    name = " ".join(name.split())
    existing = Gemeente.objects.named_like(name)
    if existing:
        raise ValidationError(
            _("De gemeente %(name)s bestaat al in Wijkkompas. Vraag toegang aan bij die gemeente.")
            % {"name": existing.name}
        )
    gemeente = Gemeente.objects.create(name=name, cbs_code=cbs_code, is_verified=False, requested_by=by)
    GemeenteMembership.objects.create(gemeente=gemeente, user=by, role=GemeenteRole.PROGRAMMAMANAGER)
    return gemeente


@transaction.atomic
def access_request_create(*, gemeente: Gemeente, user, message: str = "") -> AccessRequest:
    if not gemeente.is_verified:
        raise ValidationError(_("Deze gemeente is nog niet geverifieerd. U kunt nog geen toegang vragen."))
    if GemeenteMembership.objects.filter(gemeente=gemeente, user=user).exists():
        raise ValidationError(_("U bent al lid van de gemeente %(name)s.") % {"name": gemeente.name})
    if AccessRequest.objects.filter(gemeente=gemeente, user=user, state=AccessRequestState.OPEN).exists():
        raise ValidationError(
            _("U hebt al een verzoek voor %(name)s. Een programmamanager beslist daar nog over.")
            % {"name": gemeente.name}
        )
    access_request = AccessRequest.objects.create(gemeente=gemeente, user=user, message=message)
    emails.access_requested(access_request)
    return access_request


@transaction.atomic
def access_request_decide(*, access_request: AccessRequest, approve: bool, by) -> AccessRequest:
    """Approve (the requester becomes medewerker) or refuse. A refusal writes only the refusal."""
    access_request = (
        AccessRequest.objects.select_for_update().select_related("gemeente", "user").get(pk=access_request.pk)
    )
    if access_request.state != AccessRequestState.OPEN:
        raise ValidationError(_("Over dit verzoek is al besloten."))
    access_request.state = AccessRequestState.GOEDGEKEURD if approve else AccessRequestState.GEWEIGERD
    access_request.decided_at = timezone.now()
    access_request.decided_by = by
    access_request.save(update_fields=["state", "decided_at", "decided_by"])
    if approve:
        GemeenteMembership.objects.get_or_create(
            gemeente=access_request.gemeente, user=access_request.user, defaults={"role": GemeenteRole.MEDEWERKER}
        )
    emails.access_decided(access_request)
    return access_request


@transaction.atomic
def gemeente_member_add(*, gemeente: Gemeente, user, role: str, by) -> GemeenteMembership:
    if GemeenteMembership.objects.filter(gemeente=gemeente, user=user).exists():
        raise ValidationError(_("%(user)s is al lid van deze gemeente.") % {"user": user})
    membership = GemeenteMembership.objects.create(gemeente=gemeente, user=user, role=role)
    # An open request of this person is answered by adding them.
    AccessRequest.objects.filter(gemeente=gemeente, user=user, state=AccessRequestState.OPEN).update(
        state=AccessRequestState.GOEDGEKEURD, decided_at=timezone.now(), decided_by=by
    )
    emails.gemeente_role_given(membership, by=by)
    return membership


def _keep_a_programmamanager(gemeente: Gemeente, *, without: GemeenteMembership) -> None:
    # Lock the managers' rows so two managers cannot both step down at once.
    managers = list(
        GemeenteMembership.objects.select_for_update()
        .filter(gemeente=gemeente, role=GemeenteRole.PROGRAMMAMANAGER)
        .exclude(pk=without.pk)
        .values_list("pk", flat=True)
    )
    if not managers:
        raise ValidationError(
            _("Een gemeente heeft altijd minstens één programmamanager. Maak eerst iemand anders programmamanager.")
        )


@transaction.atomic
def gemeente_member_change(*, membership: GemeenteMembership, role: str, by) -> GemeenteMembership:
    if membership.role == GemeenteRole.PROGRAMMAMANAGER and role != GemeenteRole.PROGRAMMAMANAGER:
        _keep_a_programmamanager(membership.gemeente, without=membership)
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        emails.gemeente_role_given(membership, by=by)
    return membership


@transaction.atomic
def gemeente_member_remove(*, membership: GemeenteMembership) -> None:
    if membership.role == GemeenteRole.PROGRAMMAMANAGER:
        _keep_a_programmamanager(membership.gemeente, without=membership)
    membership.delete()

"""The emails Wijkkompas sends about projects and gemeenten, apart from invitations.

Each is sent after the transaction that caused it commits: a change that is rolled back sends
nothing. Links are absolute, from SITE_URL, because a management command has no request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import AccessRequest, AccessRequestState, EntryKind, Gemeente, GemeenteMembership, LogboekEntry, Membership


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_later(*, subject: str, template: str, context: dict, to: list[str]) -> None:
    recipients = [address for address in to if address]
    if not recipients:
        return
    message = render_to_string(template, context)
    transaction.on_commit(
        lambda: send_mail(subject=subject, message=message, from_email=None, recipient_list=recipients)
    )


def action_assigned(entry: LogboekEntry, *, by) -> None:
    """Tell the owner of an action that someone else gave it to them."""
    if entry.kind != EntryKind.ACTIE or entry.owner is None or entry.owner == by:
        return
    send_later(
        subject=_("Nieuwe actie voor u: %(title)s") % {"title": entry.title},
        template="projects/email/action_assigned.txt",
        context={"entry": entry, "by": by, "project": entry.project, "url": absolute(entry.get_absolute_url())},
        to=[entry.owner.email],
    )


def project_role_given(membership: Membership, *, by) -> None:
    if membership.user == by:
        return
    send_later(
        subject=_("U bent %(role)s van %(project)s")
        % {"role": membership.get_role_display().lower(), "project": membership.project.name},
        template="projects/email/project_role.txt",
        context={
            "membership": membership,
            "by": by,
            "project": membership.project,
            "url": absolute(membership.project.get_absolute_url()),
        },
        to=[membership.user.email],
    )


def gemeente_role_given(membership: GemeenteMembership, *, by) -> None:
    if membership.user == by:
        return
    send_later(
        subject=_("U bent %(role)s van de gemeente %(gemeente)s")
        % {"role": membership.get_role_display().lower(), "gemeente": membership.gemeente.name},
        template="projects/email/gemeente_role.txt",
        context={
            "membership": membership,
            "by": by,
            "gemeente": membership.gemeente,
            "url": absolute(membership.gemeente.get_absolute_url()),
        },
        to=[membership.user.email],
    )


def access_requested(access_request: AccessRequest) -> None:
    """Tell every programmamanager of the gemeente that someone asks to join."""
    gemeente = access_request.gemeente
    managers = gemeente.gemeente_memberships.filter(role="programmamanager").select_related("user")
    send_later(
        subject=_("%(user)s vraagt toegang tot %(gemeente)s") % {"user": access_request.user, "gemeente": gemeente},
        template="projects/email/access_requested.txt",
        context={
            "access_request": access_request,
            "gemeente": gemeente,
            "url": absolute(reverse("projects:gemeente_members", args=[gemeente.pk])),
        },
        to=[m.user.email for m in managers],
    )


def access_decided(access_request: AccessRequest) -> None:
    approved = access_request.state == AccessRequestState.GOEDGEKEURD
    gemeente: Gemeente = access_request.gemeente
    subject = (_("U hebt toegang tot %(gemeente)s") if approved else _("Uw verzoek voor %(gemeente)s is afgewezen")) % {
        "gemeente": gemeente.name
    }
    send_later(
        subject=subject,
        template="projects/email/access_decided.txt",
        context={
            "access_request": access_request,
            "approved": approved,
            "gemeente": gemeente,
            "url": absolute(gemeente.get_absolute_url() if approved else reverse("projects:gemeenten")),
        },
        to=[access_request.user.email],
    )

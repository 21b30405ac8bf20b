"""The weekly digest: one email per person with their open and overdue actions and what changed
in their projects in the past week.

Safe to run twice: the DigestSent row for the user and the week is written in the same
transaction that sends the mail, so a second run (or a run beside it) finds the row and sends
nothing, and a mail that fails to go leaves no row, so the next run tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .emails import absolute
from .models import DigestSent, LogboekEntry, Project, StatusChange

logger = logging.getLogger(__name__)

MAX_CHANGES = 20  # per mail; the rest is summed up


def week_of(day: date) -> date:
    """The Monday of the week of `day`: a DigestSent is kept per week."""
    return day - timedelta(days=day.weekday())


@dataclass
class Digest:
    open_actions: list[LogboekEntry]
    overdue: list[LogboekEntry]
    changes: list[StatusChange]
    entries: list[LogboekEntry]
    more: int  # changes and entries beyond MAX_CHANGES

    def __bool__(self) -> bool:
        return bool(self.open_actions or self.changes or self.entries)


def digest_for(user, *, today: date) -> Digest:
    since = timezone.now() - timedelta(days=7)
    actions = list(
        LogboekEntry.objects.open_actions()
        .filter(owner=user, project__memberships__user=user)
        .select_related("project")
        .order_by(F("due_date").asc(nulls_last=True), "created_at")
    )
    projects = Project.objects.filter(memberships__user=user)
    changes = (
        StatusChange.objects.filter(project__in=projects, changed_at__gte=since)
        .exclude(changed_by=user)
        .select_related("project", "knooppunt", "changed_by")
    )
    entries = (
        LogboekEntry.objects.filter(project__in=projects, created_at__gte=since)
        .exclude(created_by=user)
        .select_related("project", "created_by")
    )
    changes, entries = list(changes[: MAX_CHANGES + 1]), list(entries[: MAX_CHANGES + 1])
    more = max(0, len(changes) - MAX_CHANGES) + max(0, len(entries) - MAX_CHANGES)
    return Digest(
        open_actions=actions,
        overdue=[a for a in actions if a.due_date and a.due_date < today],
        changes=changes[:MAX_CHANGES],
        entries=entries[:MAX_CHANGES],
        more=more,
    )


def digest_send(*, user, today: date) -> str:
    """Send this week's digest to `user`: 'sent', 'already' (sent before this week) or 'empty'."""
    week = week_of(today)
    if DigestSent.objects.filter(user=user, week=week).exists():
        return "already"
    digest = digest_for(user, today=today)
    if not digest:
        return "empty"
    context = {
        "user": user,
        "digest": digest,
        "today": today,
        "projects_url": absolute(reverse("projects:list")),
        "account_url": absolute(reverse("accounts:account")),
    }
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, week=week)
            send_mail(
                subject=_("Wijkkompas: uw week (%(date)s)") % {"date": date_format(today, "j F Y")},
                message=render_to_string("projects/email/digest.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )
    except IntegrityError:
        return "already"  # another run sent it just now
    return "sent"


def digest_send_all(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"sent": 0, "already": 0, "empty": 0, "failed": 0}
    users = get_user_model().objects.filter(is_active=True, wants_digest=True, memberships__isnull=False).distinct()
    for user in users.order_by("pk").iterator():
        try:
            counts[digest_send(user=user, today=today)] += 1
        except Exception:
            # One bad address or a mail server hiccup must not stop the others; no DigestSent
            # row was kept, so the next run tries this person again.
            logger.exception("Sending the digest to user %s failed", user.pk)
            counts["failed"] += 1
    return counts

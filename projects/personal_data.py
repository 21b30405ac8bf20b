"""The projects' part of a user's personal data download: accounts/export.py lists it."""

from __future__ import annotations

from typing import Any

from .models import AccessRequest, GemeenteMembership, LogboekEntry, Membership, StatusChange


def project_data(user) -> dict[str, Any]:
    return {
        "memberships": list(
            Membership.objects.filter(user=user).values(
                "project__name", "project__gemeente__name", "role", "is_facilitator", "joined_at"
            )
        ),
        "gemeente_memberships": list(
            GemeenteMembership.objects.filter(user=user).values("gemeente__name", "role", "joined_at")
        ),
        "access_requests": list(
            AccessRequest.objects.filter(user=user).values("gemeente__name", "message", "state", "created_at")
        ),
        "status_changes": list(
            StatusChange.objects.filter(changed_by=user)
            .order_by("changed_at")
            .values("project__name", "knooppunt__code", "old_status", "new_status", "note", "changed_at")
        ),
        "logbook_entries": list(
            LogboekEntry.objects.filter(created_by=user)
            .order_by("created_at")
            .values("project__name", "kind", "title", "body", "url", "file_name", "created_at")
        ),
        "actions_owned": list(
            LogboekEntry.objects.filter(owner=user).values("project__name", "title", "due_date", "is_done")
        ),
    }

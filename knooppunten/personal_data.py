"""The practice stories a user shared: their part of the data download (see accounts/export.py)."""

from __future__ import annotations

from typing import Any

from .models import Praktijkverhaal


def shared_stories(user) -> list[dict[str, Any]]:
    return list(
        Praktijkverhaal.objects.submitted_by(user).values(
            "title",
            "place",
            "story",
            "lessons",
            "author_name",
            "status",
            "refusal_reason",
            "submitted_at",
            "decided_at",
        )
    )

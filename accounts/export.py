"""All personal data that Wijkkompas keeps about a user, as one JSON document.

Every part is listed in PARTS below. An app that keeps personal data offers a function
`user -> JSON values` (dates and times are fine) and is listed here; accounts imports the app,
never the other way round (accounts may use projects, projects does not know accounts).
Never export secrets such as password hashes or two-factor keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.utils import timezone

from knooppunten.personal_data import shared_stories
from projects.personal_data import project_data

if TYPE_CHECKING:
    from .models import User

PersonalDataPart = Callable[["User"], Any]


def export_personal_data(user: User) -> dict[str, Any]:
    return {"exported_at": timezone.now(), **{name: part(user) for name, part in PARTS.items()}}


def account_data(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_staff": user.is_staff,
        "groups": list(user.groups.values_list("name", flat=True)),
    }


def email_address_data(user: User) -> list[dict[str, Any]]:
    return list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary"))


def two_factor_data(user: User) -> list[dict[str, Any]]:
    # Which methods and when, never the secrets themselves.
    return list(Authenticator.objects.filter(user=user).values("type", "created_at", "last_used_at"))


def content_change_data(user: User) -> list[dict[str, Any]]:
    """Every change this user made to content with history (django-simple-history)."""
    changes = []
    for model in apps.get_models():
        if not hasattr(model, "instance_type") or "history_user" not in {f.name for f in model._meta.fields}:
            continue
        object_key = model.instance_type._meta.pk.attname
        for row in model.objects.filter(history_user=user).values(
            object_key, "history_date", "history_type", "history_change_reason"
        ):
            changes.append(
                {
                    "model": model.instance_type._meta.label,
                    "object_id": row[object_key],
                    "date": row["history_date"],
                    "change": {"+": "created", "~": "changed", "-": "deleted"}[row["history_type"]],
                    "reason": row["history_change_reason"],
                }
            )
    return sorted(changes, key=lambda change: change["date"])


PARTS: dict[str, PersonalDataPart] = {
    "account": account_data,
    "email_addresses": email_address_data,
    "two_factor": two_factor_data,
    "content_changes": content_change_data,
    "projects": project_data,
    "praktijkverhalen": shared_stories,
}

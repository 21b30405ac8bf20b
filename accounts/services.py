from __future__ import annotations

from django.db import transaction

from .models import User


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete an account and what belongs only to it (email addresses, authenticators,
    memberships).

    What the user did stays as a fact without a name: every foreign key to the user on a
    record that others rely on (simple-history's history_user, "changed by" fields) is
    SET_NULL.
    """
    user.delete()

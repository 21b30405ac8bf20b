from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from knooppunten.models import Praktijkverhaal, VerhaalStatus
from projects.models import Project

from .models import User


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete an account and what belongs only to it (email addresses, authenticators,
    memberships, and projects in which nobody else is a member).

    What the user did stays as a fact without a name: every foreign key to the user on a
    record that others rely on (simple-history's history_user, "changed by" fields) is
    SET_NULL. Practice stories the user shared go too, except those on the site: they stay,
    without the user's name.
    """
    shared = Praktijkverhaal.objects.filter(submitted_by=user)
    unpublished = list(shared.exclude(status=VerhaalStatus.GEPUBLICEERD).values_list("pk", flat=True))
    shared.filter(pk__in=unpublished).delete()
    Praktijkverhaal.history.filter(id__in=unpublished).delete()  # their earlier versions hold the text too
    published = list(shared.values_list("pk", flat=True))
    Praktijkverhaal.objects.filter(pk__in=published).update(author_name="", updated_at=timezone.now())
    Praktijkverhaal.history.filter(id__in=published).update(author_name="")
    # A project the user worked on alone would be left without anyone who can open it.
    Project.objects.annotate(member_count=Count("memberships", distinct=True)).led_only_by(user).filter(
        member_count=1
    ).delete()
    Project.objects.naming(user).changed()  # their pages show the name until rendered anew
    user.delete()

"""Who may see and change a project or a gemeente: the one place that decides it.

Outsiders get a 404, so they cannot even tell that a project exists. A member whose role is
too low for a change gets a 403. The same holds one level up: a gemeente's portfolio is for
its members (GemeenteMembership) only; a project member who is not a gemeente member sees
the projects they are in, and nothing else of the gemeente.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest

from .models import Gemeente, GemeenteMembership, GemeenteRole, Membership, Project, Role


def memberships_of(user, *related: str) -> list[Membership]:
    """The user's memberships with their projects and gemeenten (and `related`), by gemeente and
    project name, each with `in_gemeente`: is the user a member of the project's gemeente too
    (the project pages then link to its portfolio). Sorted here rather than by the database: a
    user has a handful of projects, and the query is cheaper to build without the ordering on
    joined tables."""
    in_gemeente = GemeenteMembership.objects.filter(user_id=user.pk, gemeente_id=OuterRef("project__gemeente_id"))
    memberships = (
        Membership.objects.filter(user_id=user.pk)
        .select_related("project__gemeente", *related)
        .annotate(in_gemeente=Exists(in_gemeente))
    )
    return sorted(memberships.order_by(), key=lambda m: (m.project.gemeente.name.casefold(), m.project.name.casefold()))


def get_membership(request: HttpRequest, project_pk: int, *, role: str = Role.MEELEZER) -> Membership:
    """The user's membership of the project, with the project and its gemeente loaded.

    The same query brings the user's other memberships: the project pages list those projects
    in their switcher (`project.switcher`), and one query for both is cheaper than two. The
    main project of a sub-project comes from the switcher too when the user is in its team;
    joining every project's main project would cost more than that one lookup.
    """
    if not request.user.is_authenticated:
        raise Http404
    memberships = memberships_of(request.user)
    membership = next((m for m in memberships if m.project_id == project_pk), None)
    if membership is None:
        raise Http404
    if not membership.can(role):
        raise PermissionDenied
    project = membership.project
    project.switcher = [m.project for m in memberships]
    parent = next((other for other in project.switcher if other.pk == project.parent_id), None)
    if parent is not None:
        project.parent = parent
    return membership


def get_project_for(request: HttpRequest, project_pk: int, *, role: str = Role.MEELEZER) -> Project:
    membership = get_membership(request, project_pk, role=role)
    project = membership.project
    project.membership = membership  # templates show or hide buttons by the role the view found
    return project


def get_gemeente_for(request: HttpRequest, gemeente_pk: int, *, role: str = GemeenteRole.MEDEWERKER) -> Gemeente:
    """The gemeente with the user's membership as `gemeente.membership`: 404 for anyone who is
    not a member of it (also a member of one of its projects), 403 for a role that is too low."""
    if not request.user.is_authenticated:
        raise Http404
    membership = (
        GemeenteMembership.objects.select_related("gemeente")
        .filter(user_id=request.user.pk, gemeente_id=gemeente_pk)
        .first()
    )
    if membership is None:
        raise Http404
    if not membership.can(role):
        raise PermissionDenied
    gemeente = membership.gemeente
    gemeente.membership = membership
    return gemeente

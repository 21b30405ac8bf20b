"""Who may see and run an APK session: the one place that decides it.

Every member of the project may see its sessions and reports. Preparing, running, closing
and deleting a session is for the project's facilitators and projectleiders. The rules for
outsiders come from projects.access: they get a 404, a role that is too low gets a 403.

Participants in the room have no account. Their phone proves who they are with a signed
cookie that holds their participant token.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from projects.access import get_membership
from projects.models import Membership, Project, Role

from .models import ApkSession, Participant

COOKIE_SALT = "apk.participant"
COOKIE_MAX_AGE = 60 * 60 * 24  # a workshop lasts hours, not days


def can_facilitate(membership: Membership) -> bool:
    return membership.is_facilitator or membership.role == Role.PROJECTLEIDER


def get_project_for(request: HttpRequest, project_pk: int, *, manage: bool = False) -> Project:
    membership = get_membership(request, project_pk)
    if manage and not can_facilitate(membership):
        raise PermissionDenied
    project = membership.project
    project.membership = membership
    project.can_facilitate = can_facilitate(membership)
    return project


def get_session_for(request: HttpRequest, pk: int, *, manage: bool = False) -> ApkSession:
    """The session with its project (and the user's membership on it), or 404/403."""
    if not request.user.is_authenticated:
        raise Http404
    session = (
        ApkSession.objects.filter(pk=pk).select_related("current_question__spoor", "current_question__fase").first()
    )
    if session is None:
        raise Http404
    session.project = get_project_for(request, session.project_id, manage=manage)
    return session


def cookie_name(code: str) -> str:
    return f"apk-{code}"


def participant_from(request: HttpRequest, code: str) -> Participant | None:
    """The participant this phone joined as for the session with this code, if any.

    One query, which also brings the session and its current question.
    """
    token = request.get_signed_cookie(cookie_name(code), default=None, salt=COOKIE_SALT)
    if not token:
        return None
    return (
        Participant.objects.select_related("session__current_question").filter(token=token, session__code=code).first()
    )


def remember_participant(response: HttpResponse, request: HttpRequest, participant: Participant) -> None:
    response.set_signed_cookie(
        cookie_name(participant.session.code),
        participant.token,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        path="/apk/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )

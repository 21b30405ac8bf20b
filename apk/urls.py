from __future__ import annotations

from django.urls import path, re_path

from . import views

app_name = "apk"

urlpatterns = [
    # Participants: no account, a code from the big screen.
    path("", views.join, name="join"),
    # The project team.
    path("project/<int:project_pk>/", views.project_sessions, name="project"),
    path("project/<int:project_pk>/nieuw/", views.session_create, name="create"),
    path("sessie/<int:pk>/", views.session_detail, name="session"),
    path("sessie/<int:pk>/vragen/", views.question_add, name="question_add"),
    path("sessie/<int:pk>/vragen/<int:question_pk>/", views.question_change, name="question_change"),
    path("sessie/<int:pk>/vragen/<int:question_pk>/weghalen/", views.question_remove, name="question_remove"),
    path("sessie/<int:pk>/openen/", views.session_open, name="open"),
    path("sessie/<int:pk>/scherm/", views.screen, name="screen"),
    path("sessie/<int:pk>/vragen/<int:question_pk>/ronde/", views.round_open, name="round_open"),
    path("sessie/<int:pk>/vragen/<int:question_pk>/uitslag/", views.round_reveal, name="round_reveal"),
    path("sessie/<int:pk>/vragen/<int:question_pk>/heropenen/", views.round_reopen, name="round_reopen"),
    path("sessie/<int:pk>/acties/", views.action_add, name="action_add"),
    path("sessie/<int:pk>/sluiten/", views.session_close, name="close"),
    path("sessie/<int:pk>/verwijderen/", views.session_delete, name="delete"),
    path("sessie/<int:pk>/rapport/", views.report, name="report"),
    # A phone that joined a session; the code is case-insensitive and may contain a space.
    re_path(r"^(?P<code>[A-Za-z0-9 -]{4,12})/$", views.ballot, name="ballot"),
    re_path(r"^(?P<code>[A-Za-z0-9 -]{4,12})/stem/$", views.vote, name="vote"),
]

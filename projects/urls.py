from __future__ import annotations

from django.urls import path

from . import gemeente_views, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("nieuw/", views.project_create, name="create"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    path("<int:pk>/", views.voortgang, name="voortgang"),
    path("<int:pk>/bewerken/", views.project_edit, name="edit"),
    path("<int:pk>/deelproject/", views.subproject_create, name="subproject_create"),
    path("<int:pk>/status/<str:code>/", views.status_change, name="status_change"),
    path("<int:pk>/knooppunten/<slug:slug>/", views.knooppunt_detail, name="knooppunt"),
    path("<int:pk>/logboek/", views.logboek, name="logboek"),
    path("<int:pk>/logboek/<int:entry_pk>/klaar/", views.action_toggle, name="action_toggle"),
    path("<int:pk>/logboek/<int:entry_pk>/document/", views.document_download, name="document"),
    path("<int:pk>/leden/", views.members, name="members"),
    path("<int:pk>/leden/<int:membership_pk>/", views.member_change, name="member_change"),
    path("<int:pk>/leden/<int:membership_pk>/verwijderen/", views.member_remove, name="member_remove"),
    path(
        "<int:pk>/uitnodigingen/<int:invitation_pk>/intrekken/", views.invitation_withdraw, name="invitation_withdraw"
    ),
]

# The report and the exports
urlpatterns += [
    path("importeren/", views.project_import, name="import"),
    path("<int:pk>/rapport/", views.report, name="report"),
    path("<int:pk>/export/statussen.csv", views.export_statuses, name="export_statuses"),
    path("<int:pk>/export/logboek.csv", views.export_logboek, name="export_logboek"),
    path("<int:pk>/export/project.json", views.export_project, name="export_project"),
]

# Gemeenten: the portfolio, its members and who may join
urlpatterns += [
    path("gemeenten/", gemeente_views.gemeenten, name="gemeenten"),
    path("gemeenten/<int:pk>/", gemeente_views.portfolio, name="portfolio"),
    path("gemeenten/<int:pk>/portfolio.csv", gemeente_views.portfolio_csv, name="portfolio_csv"),
    path("gemeenten/<int:pk>/heatmap/", gemeente_views.heatmap, name="heatmap"),
    path("gemeenten/<int:pk>/leden/", gemeente_views.gemeente_members, name="gemeente_members"),
    path(
        "gemeenten/<int:pk>/leden/<int:membership_pk>/",
        gemeente_views.gemeente_member_change,
        name="gemeente_member_change",
    ),
    path(
        "gemeenten/<int:pk>/verzoeken/<int:request_pk>/",
        gemeente_views.access_request_decide,
        name="access_request_decide",
    ),
]

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _

from projects.models import Project

from .models import ApkSession, Question, Snapshot


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "text", "spoor", "fase", "opened_at", "revealed_at"]
    readonly_fields = ["opened_at", "revealed_at"]
    extra = 0


@admin.register(ApkSession)
class ApkSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "date", "state", "code"]
    list_filter = ["state", "variant"]
    search_fields = ["title", "project__name", "code"]
    readonly_fields = ["code", "state", "opened_at", "closed_at", "names_removed_at"]
    inlines = [QuestionInline]

    # The portfolio shows each project's last APK session (wijkkompas/caching.py): a change made
    # here raises the cache version of the projects concerned, as the services do.
    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        projects = {form.instance.project_id, form.initial.get("project")} - {None}
        Project.objects.filter(pk__in=projects).changed()

    def delete_model(self, request, obj: ApkSession) -> None:
        super().delete_model(request, obj)
        Project.objects.filter(pk=obj.project_id).changed()

    def delete_queryset(self, request, queryset) -> None:
        projects = list(queryset.values_list("project", flat=True))
        super().delete_queryset(request, queryset)
        Project.objects.filter(pk__in=projects).changed()


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """A snapshot is the record of a closed session: it can be read and deleted, never changed."""

    list_display = ["session", "created_at"]
    # Not the raw data: it holds every vote with its kind of party, and a breakdown is only ever
    # shown from APK_MIN_GROUP_VOTES votes (the report does that).
    fields = readonly_fields = ["session", "created_at", "summary"]

    @admin.display(description=_("inhoud"))
    def summary(self, obj: Snapshot) -> str:
        data = obj.data
        return _(
            "%(questions)d vragen, %(participants)d deelnemers, %(knooppunten)d knooppunten, %(actions)d acties"
        ) % {
            "questions": len(data.get("questions", [])),
            "participants": data.get("participants", 0),
            "knooppunten": len(data.get("knooppunten", [])),
            "actions": len(data.get("actions", [])),
        }

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

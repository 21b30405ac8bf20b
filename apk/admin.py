from __future__ import annotations

from django.contrib import admin

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


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """A snapshot is the record of a closed session: it can be read and deleted, never changed."""

    list_display = ["session", "created_at"]
    readonly_fields = ["session", "data", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

from __future__ import annotations

from django.contrib import admin

from .models import Hoofdstuk, PlanVersie


@admin.register(Hoofdstuk)
class HoofdstukAdmin(admin.ModelAdmin):
    list_display = ["title", "order"]
    list_editable = ["order"]
    filter_horizontal = ["knooppunten"]
    search_fields = ["title"]


@admin.register(PlanVersie)
class PlanVersieAdmin(admin.ModelAdmin):
    """Read only: a frozen version never changes."""

    list_display = ["plan", "kind", "frozen_at", "frozen_by"]
    readonly_fields = ["plan", "kind", "frozen_at", "frozen_by", "chapters"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

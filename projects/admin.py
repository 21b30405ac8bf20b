"""Site staff create and verify gemeenten here (or load them with `load_gemeenten`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AccessRequest, Gemeente, GemeenteMembership


class GemeenteMembershipInline(admin.TabularInline):
    model = GemeenteMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "is_verified", "requested_by"]
    list_filter = ["is_verified"]
    search_fields = ["name", "cbs_code"]
    autocomplete_fields = ["requested_by"]
    inlines = [GemeenteMembershipInline]
    actions = ["verify"]

    @admin.action(description=_("Geselecteerde gemeenten verifiëren"))
    def verify(self, request, queryset) -> None:
        count = queryset.filter(is_verified=False).update(is_verified=True)
        self.message_user(
            request,
            ngettext("%(count)d gemeente is geverifieerd.", "%(count)d gemeenten zijn geverifieerd.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "gemeente", "state", "created_at", "decided_by"]
    list_filter = ["state"]
    search_fields = ["user__email", "gemeente__name"]
    readonly_fields = ["gemeente", "user", "message", "state", "created_at", "decided_at", "decided_by"]

    def has_add_permission(self, request) -> bool:
        return False  # people ask on Mijn gemeente; programmamanagers decide there

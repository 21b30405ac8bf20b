from __future__ import annotations

from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .history import ReadableHistoryHelper
from .models import Begrip, Bron, Fase, Knooppunt, Koppelkans, Partij, Praktijkverhaal, Spoor, Tip


class MarkdownWidget(forms.Textarea):
    """A textarea with a button that shows how the Markdown will look on the site."""

    def render(self, name, value, attrs=None, renderer=None):
        textarea = super().render(name, value, attrs, renderer)
        preview = render_to_string(
            "knooppunten/markdown_widget.html",
            {"name": name, "preview_url": reverse("knooppunten:markdown_preview")},
        )
        return mark_safe(textarea + preview)

    class Media:
        js = ["django_htmx/htmx-2.min.js"]


class MarkdownAdminMixin:
    markdown_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownWidget(attrs={"rows": 8, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class SearchVectorAdminMixin:
    """Keeps the stored search vector current (models.SearchableQuerySet). A revert from the
    history saves only the object; an edit saves the tips, part of a knooppunt's vector, after it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.model.objects.filter(pk=obj.pk).update_search_vector()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.model.objects.filter(pk=form.instance.pk).update_search_vector()


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin with a readable history (knooppunten.history) and the right
    article in the admin's messages: Django says "De {name} ... is gewijzigd" for every model,
    but a neuter noun takes "het" ("Het knooppunt ... is gewijzigd")."""

    neuter = False  # True for a "het" word: knooppunt, begrip, spoor, praktijkverhaal

    def message_user(self, request, message, *args, **kwargs):
        article = f"De {self.model._meta.verbose_name} "
        if self.neuter and str(message).startswith(article):
            fixed = f"Het {self.model._meta.verbose_name} " + str(message)[len(article) :]
            message = mark_safe(fixed) if hasattr(message, "__html__") else fixed  # still the escaped text
        super().message_user(request, message, *args, **kwargs)

    def get_historical_record_context_helper(self, request, historical_record):
        # 400 characters: a title or a list of sporen is shown whole, not cut at "[.. chars]".
        return ReadableHistoryHelper(self.model, historical_record, max_displayed_delta_change_chars=400)


class TipInline(admin.TabularInline):
    model = Tip
    extra = 1
    fields = ["order", "text", "url"]


class BronInline(admin.TabularInline):
    model = Bron
    extra = 1
    fields = ["order", "title", "publisher", "url"]


class PraktijkverhaalInline(admin.TabularInline):
    model = Praktijkverhaal.knooppunten.through
    extra = 1
    verbose_name = _("praktijkverhaal")
    verbose_name_plural = _("praktijkverhalen")
    # No autocomplete_fields anywhere: select2 writes inline styles that the strict CSP blocks.


@admin.register(Knooppunt)
class KnooppuntAdmin(SearchVectorAdminMixin, MarkdownAdminMixin, HistoryAdmin):
    neuter = True
    list_display = ["code", "title", "fase", "spoor_letters", "bestuurlijk_gevoelig", "is_published", "updated_at"]
    list_display_links = ["code", "title"]
    list_filter = ["is_published", "fase", "sporen", "partijen", "bestuurlijk_gevoelig", "koppelkansen"]
    search_fields = ["code", "title", "summary", "doel", "aanpak"]
    ordering = ["code"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sporen", "partijen", "koppelkansen", "raakvlakken"]
    inlines = [TipInline, BronInline, PraktijkverhaalInline]
    markdown_fields = ("doel", "aanpak")
    fieldsets = [
        (None, {"fields": ["fase", "code", "title", "slug", "summary", "is_published"]}),
        (_("Inhoud"), {"fields": ["doel", "aanpak"]}),
        (
            _("Kenmerken"),
            {"fields": ["sporen", "partijen", "koppelkansen", "bestuurlijk_gevoelig", "raakvlakken"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("fase").prefetch_related("sporen")

    @admin.display(description=_("sporen"))
    def spoor_letters(self, obj: Knooppunt) -> str:
        return " ".join(s.letter for s in obj.sporen.all())


@admin.register(Praktijkverhaal)
class PraktijkverhaalAdmin(SearchVectorAdminMixin, MarkdownAdminMixin, HistoryAdmin):
    neuter = True
    list_display = ["title", "place", "is_illustrative", "is_published"]
    list_filter = ["is_published", "is_illustrative", "knooppunten__fase"]
    search_fields = ["title", "place", "story"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["knooppunten"]
    markdown_fields = ("story",)


@admin.register(Begrip)
class BegripAdmin(SearchVectorAdminMixin, HistoryAdmin):
    neuter = True
    list_display = ["term", "abbreviation"]
    search_fields = ["term", "abbreviation", "definition"]
    prepopulated_fields = {"slug": ["term"]}


@admin.register(Fase)
class FaseAdmin(HistoryAdmin):
    list_display = ["number", "name", "key_question"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Spoor)
class SpoorAdmin(HistoryAdmin):
    neuter = True
    list_display = ["letter", "name", "track"]
    list_filter = ["track"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partij)
class PartijAdmin(HistoryAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Koppelkans)
class KoppelkansAdmin(HistoryAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from . import services
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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("praktijkverhaal")  # each row shows its title


class KnooppuntForm(forms.ModelForm):
    # No Meta: KnooppuntAdmin makes the form for its model, with the fields of its fieldsets.

    def clean_raakvlakken(self):
        raakvlakken = self.cleaned_data["raakvlakken"]
        if self.instance.pk and raakvlakken.filter(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Een knooppunt kan geen raakvlak van zichzelf zijn. Haal %(knooppunt)s weg uit de raakvlakken."),
                code="self",
                params={"knooppunt": self.instance},
            )
        return raakvlakken


@admin.register(Knooppunt)
class KnooppuntAdmin(SearchVectorAdminMixin, MarkdownAdminMixin, HistoryAdmin):
    neuter = True
    form = KnooppuntForm
    list_display = ["code", "title", "fase", "spoor_letters", "politically_sensitive", "is_published", "updated_at"]
    list_display_links = ["code", "title"]
    list_filter = ["is_published", "fase", "sporen", "partijen", "politically_sensitive", "koppelkansen"]
    search_fields = ["code", "title", "summary", "goal", "approach"]
    ordering = ["code"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sporen", "partijen", "koppelkansen", "raakvlakken"]
    inlines = [TipInline, BronInline, PraktijkverhaalInline]
    markdown_fields = ("goal", "approach")
    fieldsets = [
        (None, {"fields": ["fase", "code", "title", "slug", "summary", "is_published"]}),
        (_("Inhoud"), {"fields": ["goal", "approach"]}),
        (
            _("Kenmerken"),
            {"fields": ["sporen", "partijen", "koppelkansen", "politically_sensitive", "raakvlakken"]},
        ),
    ]

    # The revert page says what a revert restores (the tips and bronnen too) and what it does not.
    object_history_form_template = "admin/knooppunten/knooppunt/object_history_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("fase").prefetch_related("sporen")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        record = to_historic(obj) if obj is not None else None
        if record is None:
            return form
        # simple-history fills the revert form from the knooppunt as it is now, so the sporen and
        # raakvlakken would be today's; start from the links kept with the version instead.
        initial = {
            field.name: list(getattr(record, field.name).values_list(f"{field.m2m_reverse_field_name()}_id", flat=True))
            for field in record._history_m2m_fields
        }

        class VersionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("initial", initial)
                super().__init__(*args, **kwargs)

        return VersionForm

    def save_model(self, request, obj, form, change):
        record = to_historic(obj)  # set when this save is a revert from the history
        with transaction.atomic():
            if record is not None:
                # Children first, so the knooppunt's new version is saved after them and holds them.
                services.knooppunt_restore_children(knooppunt=obj, at=record.history_date)
                obj._change_reason = gettext("Teruggezet naar de versie van %(date)s") % {
                    "date": date_format(localtime(record.history_date), "j F Y H:i")
                }
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Tips and bronnen have their own history. A new version of the knooppunt after them puts
        # the change in the knooppunt's history list and lets a revert find them (as of its date).
        changes = [
            gettext("%(items)s: %(added)s nieuw, %(changed)s gewijzigd, %(deleted)s weg")
            % {
                "items": capfirst(formset.model._meta.verbose_name_plural),
                "added": len(formset.new_objects),
                "changed": len(formset.changed_objects),
                "deleted": len(formset.deleted_objects),
            }
            for formset in formsets
            if formset.model in (Tip, Bron)
            and (formset.new_objects or formset.changed_objects or formset.deleted_objects)
        ]
        if changes:
            form.instance._change_reason = "; ".join(changes)[:100]
            form.instance.save(update_fields=["updated_at"])

    @admin.display(description=_("sporen"))
    def spoor_letters(self, obj: Knooppunt) -> str:
        return " ".join(s.letter for s in obj.sporen.all())


class PraktijkverhaalForm(forms.ModelForm):
    """Refusing needs a reason: the submitter reads it in the email."""

    class Meta:
        model = Praktijkverhaal
        fields = [
            "title", "slug", "place", "knooppunten", "is_illustrative", "source_url", "story", "lessons",
            "refusal_reason",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if REFUSE in self.data and not (cleaned.get("refusal_reason") or "").strip():
            self.add_error(
                "refusal_reason", _("Schrijf waarom u het verhaal afwijst. De inzender krijgt deze reden per e-mail.")
            )
        return cleaned


# The extra buttons on the change form (templates/admin/knooppunten/praktijkverhaal/change_form.html).
PUBLISH, REFUSE, TAKE_UP = "_publiceren", "_afwijzen", "_in_behandeling"


@admin.register(Praktijkverhaal)
class PraktijkverhaalAdmin(SearchVectorAdminMixin, MarkdownAdminMixin, HistoryAdmin):
    neuter = True
    form = PraktijkverhaalForm
    change_form_template = "admin/knooppunten/praktijkverhaal/change_form.html"
    list_display = ["title", "place", "status", "submitted_by", "submitted_at", "is_illustrative"]
    list_filter = ["status", "is_illustrative", "knooppunten__fase"]
    list_select_related = ["submitted_by"]
    search_fields = ["title", "place", "story", "lessons"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["knooppunten"]
    markdown_fields = ("story", "lessons")
    actions = ["publish_selected", "take_up_selected"]
    fieldsets = [
        (None, {"fields": ["status", "title", "slug", "place", "knooppunten", "is_illustrative", "source_url"]}),
        (_("Verhaal"), {"fields": ["story", "lessons"]}),
        (
            _("Inzending"),
            {
                "fields": ["submitted_by", "submitted_at", "author_name", "refusal_reason", "decided_at"],
                "description": _(
                    "Een verhaal dat een gebruiker deelde, bewerkt u eerst. Publiceer het daarna of wijs het af "
                    "met een reden: de inzender krijgt in beide gevallen een e-mail."
                ),
            },
        ),
    ]

    def view_on_site(self, obj):
        # A story that is not published has no public page yet: no "Weergeven op website" to a 404.
        return obj.get_absolute_url() if obj.is_published else None

    def get_readonly_fields(self, request, obj=None):
        # The status changes only through the buttons and actions, so the submitter always gets
        # the email; the name is the submitter's choice.
        return ["status", "submitted_by", "submitted_at", "author_name", "decided_at"]

    def response_add(self, request, obj, post_url_continue=None):
        return self.decide(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self.decide(request, obj) or super().response_change(request, obj)

    def decide(self, request, verhaal: Praktijkverhaal):
        """The publish, refuse and take-up buttons: save first (done), then change the status."""
        try:
            if PUBLISH in request.POST:
                services.verhaal_publish(verhaal=verhaal, by=request.user)
                message = _("'%(title)s' staat nu op de site.")
            elif REFUSE in request.POST:
                services.verhaal_refuse(verhaal=verhaal, reason=verhaal.refusal_reason, by=request.user)
                message = _("'%(title)s' is afgewezen.")
            elif TAKE_UP in request.POST:
                services.verhaal_take_up(verhaal=verhaal, by=request.user)
                message = _("'%(title)s' is in behandeling.")
            else:
                return None
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, message % {"title": verhaal.title}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:knooppunten_praktijkverhaal_changelist"))

    @admin.action(description=_("Geselecteerde verhalen publiceren"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self.apply(
            request,
            queryset,
            services.verhaal_publish,
            "%(count)s verhaal gepubliceerd.",
            "%(count)s verhalen gepubliceerd.",
        )

    @admin.action(
        description=_("Geselecteerde verhalen in behandeling nemen (niet op de site)"), permissions=["change"]
    )
    def take_up_selected(self, request, queryset):
        self.apply(
            request,
            queryset,
            services.verhaal_take_up,
            "%(count)s verhaal in behandeling.",
            "%(count)s verhalen in behandeling.",
        )

    def apply(self, request, queryset, service, singular: str, plural: str) -> None:
        count = 0
        for verhaal in queryset:
            try:
                service(verhaal=verhaal, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{verhaal.title}: {' '.join(error.messages)}", messages.WARNING)
            else:
                count += 1
        if count:
            self.message_user(request, ngettext(singular, plural, count) % {"count": count}, messages.SUCCESS)


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

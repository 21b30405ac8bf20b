"""The Wijkuitvoeringsplan (WUP) of a project: chapters that editors define, the team's text per
chapter, the decisions it quotes from the logboek, and the versions a projectleider freezes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from knooppunten.models import Knooppunt
from projects.models import LogboekEntry, Project


class Hoofdstuk(models.Model):
    """A chapter every plan has, defined by content editors in the admin."""

    title = models.CharField(_("titel"), max_length=150)
    guide = models.TextField(_("wat hoort erin"), help_text=_("Een korte uitleg voor het team. Markdown."))
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    knooppunten = models.ManyToManyField(
        Knooppunt, blank=True, related_name="hoofdstukken", verbose_name=_("knooppunten die dit hoofdstuk voeden")
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("hoofdstuk")
        verbose_name_plural = _("hoofdstukken")

    def __str__(self) -> str:
        return self.title


class Plan(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="plan")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("wijkuitvoeringsplan")
        verbose_name_plural = _("wijkuitvoeringsplannen")

    def __str__(self) -> str:
        return str(self.project)


class HoofdstukTekst(models.Model):
    """The working text (concept) of one chapter in one plan. `version` rises with every save:
    a save that started from an older version is refused (optimistic locking)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="teksten")
    # PROTECT: an editor cannot delete a chapter that a team has written in; nothing is lost.
    hoofdstuk = models.ForeignKey(Hoofdstuk, on_delete=models.PROTECT, related_name="teksten")
    text = models.TextField(_("tekst"), blank=True, max_length=50_000)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("hoofdstuktekst")
        verbose_name_plural = _("hoofdstukteksten")
        constraints = [models.UniqueConstraint(fields=["plan", "hoofdstuk"], name="one_text_per_chapter")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.hoofdstuk}"

    def save_text(self, text: str, *, seen_version: int, by) -> bool:
        """Save when nobody saved since `seen_version`; False when someone did. One UPDATE with
        the version in its WHERE clause, so two saves at the same moment cannot both win."""
        now = timezone.now()
        saved = HoofdstukTekst.objects.filter(pk=self.pk, version=seen_version).update(
            text=text, version=F("version") + 1, updated_at=now, updated_by=by
        )
        if saved:
            self.text, self.version, self.updated_at, self.updated_by = text, seen_version + 1, now, by
        return bool(saved)


class Citaat(models.Model):
    """A logboek entry quoted in a chapter: the appendix of the plan lists them."""

    tekst = models.ForeignKey(HoofdstukTekst, on_delete=models.CASCADE, related_name="citaten")
    entry = models.ForeignKey(LogboekEntry, on_delete=models.CASCADE, related_name="+")
    quoted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("citaat")
        verbose_name_plural = _("citaten")
        constraints = [models.UniqueConstraint(fields=["tekst", "entry"], name="one_quote_per_entry_per_chapter")]

    def __str__(self) -> str:
        return f"{self.tekst} · {self.entry}"


class VersieSoort(models.TextChoices):
    INSPRAAK = "inspraak", _("Inspraakversie")
    VASTGESTELD = "vastgesteld", _("Vastgestelde versie")


class PlanVersie(models.Model):
    """A frozen version: a snapshot of every chapter's title and text. It never changes."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versies")
    kind = models.CharField(_("soort"), max_length=20, choices=VersieSoort.choices)
    frozen_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    # [{"hoofdstuk": pk, "title": ..., "text": ...}, ...] in chapter order
    chapters = models.JSONField(default=list, editable=False)

    class Meta:
        ordering = ["frozen_at", "id"]
        verbose_name = _("versie")
        verbose_name_plural = _("versies")

    def __str__(self) -> str:
        # With the time: two versions can be frozen on the same day.
        return f"{self.get_kind_display()} ({date_format(timezone.localtime(self.frozen_at), 'j F Y, H:i')})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("A frozen version never changes.")
        super().save(*args, **kwargs)

"""The APK of a neighbourhood approach: a live review session of a project's partners.

A facilitator prepares a session with questions, opens it, and then runs one round per
question: everyone scores at the same time, the results stay hidden until the facilitator
reveals them. Participants join on their phone with a short code, without an account.
Closing a session stores a Snapshot that never changes afterwards.

Screens and phones poll. They only redraw when `ApkSession.version` changes: every move of
the facilitator (open, next question, reveal, close) raises it by one.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knooppunten.models import Fase, Spoor
from projects.models import LogboekEntry, Project

# No 0/O, 1/I/L: a code read from a projector at the back of a room is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What someone typed, as a code: capitals, without spaces or dashes."""
    return "".join(text.split()).replace("-", "").upper()


def participant_token() -> str:
    return secrets.token_urlsafe(24)


class Variant(models.TextChoices):
    APK = "apk", _("APK van de wijkaanpak")
    STAND_VAN_ZAKEN = "stand_van_zaken", _("Stand van zaken (voor een wijk die net begint)")


class State(models.TextChoices):
    VOORBEREID = "voorbereid", _("In voorbereiding")
    OPEN = "open", _("Open")
    GESLOTEN = "gesloten", _("Gesloten")


class Score(models.TextChoices):
    GROEN = "groen", _("Groen: gaat goed")
    ORANJE = "oranje", _("Oranje: let op")
    ROOD = "rood", _("Rood: hier moet iets gebeuren")


class Trend(models.TextChoices):
    BETER = "beter", _("Gaat beter")
    GELIJK = "gelijk", _("Blijft gelijk")
    SLECHTER = "slechter", _("Gaat slechter")


class ApkSessionQuerySet(models.QuerySet):
    def for_project(self, project: Project) -> ApkSessionQuerySet:
        return self.filter(project=project)

    def open(self) -> ApkSessionQuerySet:
        return self.filter(state=State.OPEN)

    def closed(self) -> ApkSessionQuerySet:
        return self.filter(state=State.GESLOTEN)

    def with_code(self, code: str) -> ApkSessionQuerySet:
        return self.open().filter(code=normalize_code(code))

    def before(self, session: ApkSession) -> ApkSessionQuerySet:
        """Closed sessions of the same project held earlier, the most recent first."""
        earlier = Q(date__lt=session.date)
        if session.closed_at:
            earlier |= Q(date=session.date, closed_at__lt=session.closed_at)
        return self.closed().filter(earlier, project_id=session.project_id).order_by("-date", "-closed_at")

    def names_expired(self, *, now=None) -> ApkSessionQuerySet:
        """Closed longer ago than APK_NAME_RETENTION_DAYS, with participant names still stored."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.APK_NAME_RETENTION_DAYS)
        return self.closed().filter(closed_at__lte=cutoff, names_removed_at__isnull=True)


class ApkSession(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="apk_sessions")
    title = models.CharField(_("titel"), max_length=150)
    date = models.DateField(_("datum"), default=timezone.localdate)
    variant = models.CharField(_("soort sessie"), max_length=20, choices=Variant.choices, default=Variant.APK)
    code = models.CharField(_("code"), max_length=CODE_LENGTH, blank=True, editable=False)
    state = models.CharField(_("stand"), max_length=20, choices=State.choices, default=State.VOORBEREID)
    version = models.PositiveIntegerField(default=0, editable=False)
    current_question = models.ForeignKey(
        "Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    actions = models.ManyToManyField(LogboekEntry, related_name="apk_sessions", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    names_removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApkSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("APK-sessie")
        verbose_name_plural = _("APK-sessies")
        constraints = [
            # A code leads to one session: the one that is open now. Closed sessions free their code.
            models.UniqueConstraint(fields=["code"], condition=Q(state="open"), name="apk_code_unique_while_open"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        return reverse("apk:session", args=[self.pk])

    @property
    def is_prepared(self) -> bool:
        return self.state == State.VOORBEREID

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == State.GESLOTEN

    @property
    def display_code(self) -> str:
        """The code in two groups of three, easier to read from a distance."""
        return f"{self.code[:3]} {self.code[3:]}" if self.code else ""

    def join_path(self) -> str:
        return reverse("apk:ballot", args=[self.code])


class QuestionQuerySet(models.QuerySet):
    def unopened(self) -> QuestionQuerySet:
        return self.filter(opened_at__isnull=True)

    def asked(self) -> QuestionQuerySet:
        return self.filter(opened_at__isnull=False)


class Question(models.Model):
    session = models.ForeignKey(ApkSession, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    text = models.CharField(_("vraag"), max_length=300)
    spoor = models.ForeignKey(
        Spoor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("spoor")
    )
    fase = models.ForeignKey(
        Fase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("fase")
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")

    def __str__(self) -> str:
        return self.text

    @property
    def is_voting(self) -> bool:
        """The round is open: votes count and can still be changed."""
        return self.opened_at is not None and self.revealed_at is None

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def key(self) -> str:
        """What this question is about, to compare it with the same question in an earlier session."""
        if self.spoor_id:
            return f"spoor:{self.spoor.letter}"
        if self.fase_id:
            return f"fase:{self.fase.number}"
        return "vraag:" + " ".join(self.text.casefold().split())


class Participant(models.Model):
    session = models.ForeignKey(ApkSession, on_delete=models.CASCADE, related_name="participants")
    # The phone keeps this in a signed cookie: it is the participant's only proof of identity.
    token = models.CharField(max_length=64, unique=True, default=participant_token, editable=False)
    display_name = models.CharField(_("naam"), max_length=60, blank=True)
    party = models.CharField(_("soort partij"), max_length=50, blank=True, help_text=_("Slug van een Partij."))
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")

    def __str__(self) -> str:
        return self.display_name or _("Anonieme deelnemer")


class VoteQuerySet(models.QuerySet):
    def for_question(self, question: Question | int) -> VoteQuerySet:
        return self.filter(question=question)


class Vote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    score = models.CharField(_("score"), max_length=10, choices=Score.choices)
    trend = models.CharField(_("richting"), max_length=10, choices=Trend.choices)
    comment = models.TextField(_("toelichting"), blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("stem")
        verbose_name_plural = _("stemmen")
        constraints = [
            # A double submit or a retry on a bad connection counts once.
            models.UniqueConstraint(fields=["question", "participant"], name="one_vote_per_participant_question")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}/{self.trend}"


class Snapshot(models.Model):
    """Everything a session produced, as it was when the session closed. Written once.

    Names are not in here: comments refer to a participant by id, and the report looks the
    name up, so removing names after APK_NAME_RETENTION_DAYS leaves the snapshot intact.
    """

    session = models.OneToOneField(ApkSession, on_delete=models.CASCADE, related_name="snapshot")
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("momentopname")
        verbose_name_plural = _("momentopnamen")

    def __str__(self) -> str:
        return str(self.session)

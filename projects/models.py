"""A municipality's neighbourhood projects: their team, their progress through the kompas and
their logbook.

A knooppunt a project has not touched yet has no status row: "niet gestart" is the default.
Every change of status is kept as a StatusChange, so the timeline of a knooppunt shows who
changed what, when and why.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Avg, Case, Count, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower, Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knooppunten.models import Knooppunt


def name_key(name: str) -> str:
    """A gemeente name as it is compared: case and spaces ignored ("Den Haag" is "denhaag")."""
    return "".join(name.split()).casefold()


class GemeenteQuerySet(models.QuerySet):
    def verified(self) -> GemeenteQuerySet:
        return self.filter(is_verified=True)

    def for_member(self, user) -> GemeenteQuerySet:
        """The gemeenten the user works in, with any gemeente role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(gemeente_memberships__user=user)

    def named_like(self, name: str) -> Gemeente | None:
        """An existing gemeente whose name is `name`, ignoring case and spaces."""
        squeezed = Lower(Replace("name", Value(" "), Value("")))
        return self.alias(key=squeezed).filter(key=name_key(name)).first()


class Gemeente(models.Model):
    """A municipality: a closed workspace with its own members (GemeenteMembership).

    Site staff create gemeenten (admin, `load_gemeenten`). One that a user asked for is not
    verified yet: only its requester works in it until staff verify it."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    cbs_code = models.CharField(_("CBS-code"), max_length=10, blank=True, help_text=_("Bijvoorbeeld GM0363."))
    is_verified = models.BooleanField(
        _("geverifieerd"),
        default=True,
        help_text=_("Een gemeente die een gebruiker heeft aangevraagd, is pas bruikbaar voor anderen na verificatie."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )

    objects = GemeenteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:portfolio", args=[self.pk])


class GemeenteRole(models.TextChoices):
    PROGRAMMAMANAGER = "programmamanager", _("Programmamanager")
    MEDEWERKER = "medewerker", _("Medewerker")


GEMEENTE_ROLE_RANK = {GemeenteRole.MEDEWERKER: 0, GemeenteRole.PROGRAMMAMANAGER: 1}


class GemeenteMembership(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="gemeente_memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gemeente_memberships")
    role = models.CharField(
        _("rol in de gemeente"), max_length=20, choices=GemeenteRole.choices, default=GemeenteRole.MEDEWERKER
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__first_name", "user__email"]
        verbose_name = _("lid van een gemeente")
        verbose_name_plural = _("leden van gemeenten")
        constraints = [models.UniqueConstraint(fields=["gemeente", "user"], name="one_gemeente_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.gemeente} · {self.get_role_display()}"

    def can(self, role: str) -> bool:
        return GEMEENTE_ROLE_RANK[self.role] >= GEMEENTE_ROLE_RANK[role]


class AccessRequestState(models.TextChoices):
    OPEN = "open", _("Open")
    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    GEWEIGERD = "geweigerd", _("Geweigerd")


class AccessRequest(models.Model):
    """Someone asks to work in a gemeente; a programmamanager approves or refuses."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="access_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests")
    message = models.TextField(_("toelichting"), blank=True, max_length=1000)
    state = models.CharField(
        _("stand"), max_length=20, choices=AccessRequestState.choices, default=AccessRequestState.OPEN
    )
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("toegangsverzoek")
        verbose_name_plural = _("toegangsverzoeken")
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "user"], condition=Q(state="open"), name="one_open_access_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.gemeente} ({self.get_state_display()})"


class Role(models.TextChoices):
    PROJECTLEIDER = "projectleider", _("Projectleider")
    TEAMLID = "teamlid", _("Teamlid")
    MEELEZER = "meelezer", _("Meelezer")


# What each role may do, from least to most. A projectleider can do everything a teamlid can.
ROLE_RANK = {Role.MEELEZER: 0, Role.TEAMLID: 1, Role.PROJECTLEIDER: 2}


class ProjectQuerySet(models.QuerySet):
    def changed(self) -> int:
        """Raise the cache version of these projects: what their pages and the portfolio show
        of them has changed, so their cached fragments are rendered anew (wijkkompas/caching.py)."""
        return self.update(cache_version=F("cache_version") + 1)

    def naming(self, user) -> ProjectQuerySet:
        """Projects whose pages can show `user` as the last one to change something."""
        return self.filter(
            Q(pk__in=StatusChange.objects.filter(changed_by=user).values("project"))
            | Q(pk__in=LogboekEntry.objects.filter(created_by=user).values("project"))
        )

    def visible_to(self, user) -> ProjectQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def led_only_by(self, user) -> ProjectQuerySet:
        """Projects in which `user` is the one and only projectleider."""
        # Count first, then filter through a subquery: a filter on the same relation before
        # the count would make the count see only the user's own membership.
        leads = Membership.objects.filter(user=user, role=Role.PROJECTLEIDER).values("project")
        return self.annotate(
            leader_count=Count("memberships", filter=Q(memberships__role=Role.PROJECTLEIDER), distinct=True)
        ).filter(leader_count=1, pk__in=leads)

    def with_progress(self) -> ProjectQuerySet:
        """Counts of knooppunt statuses per project, as annotations (one query for any number).

        Plain counts, not DISTINCT ones, which PostgreSQL has to sort: exact as long as no other
        join makes a status row appear twice (a filter on one membership per project does not)."""
        return self.annotate(
            done_count=Count("statuses", filter=Q(statuses__status=Status.AFGEROND)),
            busy_count=Count("statuses", filter=Q(statuses__status__in=Status.busy())),
            nvt_count=Count("statuses", filter=Q(statuses__status=Status.NIET_VAN_TOEPASSING)),
        )

    def for_portfolio(self) -> ProjectQuerySet:
        """What the portfolio shows of each project, as annotations: the last status change and
        logbook entry, open and overdue actions (the statuses are counted per phase apart, see
        KnooppuntStatusQuerySet.per_fase). One query for any number of projects; each figure is a
        subquery that an index answers, so no join multiplies another's rows and the query needs
        no GROUP BY."""
        today = timezone.localdate()
        actions = LogboekEntry.objects.filter(project=OuterRef("pk")).open_actions().order_by().values("project")
        overdue = actions.filter(due_date__lt=today)
        changes = StatusChange.objects.filter(project=OuterRef("pk")).order_by("-changed_at", "-id")
        entries = LogboekEntry.objects.filter(project=OuterRef("pk")).order_by("-created_at", "-id")

        def count(queryset) -> Coalesce:
            return Coalesce(Subquery(queryset.annotate(n=Count("pk")).values("n")), 0)

        return self.select_related("parent").annotate(
            open_actions=count(actions),
            overdue_actions=count(overdue),
            last_status_at=Subquery(changes.values("changed_at")[:1]),
            last_status_by=Subquery(changes.values("changed_by")[:1]),
            last_entry_at=Subquery(entries.values("created_at")[:1]),
            last_entry_by=Subquery(entries.values("created_by")[:1]),
        )

    def apk_history(self) -> ProjectQuerySet:
        """(project pk, session pk, date, closed at, score) of every closed APK session, the score
        being the average of all its votes in points (groen 100, oranje 50, rood 0, as
        apk.results.POINTS), or None without votes. Read through the reverse relation: the
        projects app does not import the apk app."""
        points = Case(
            When(apk_sessions__questions__votes__score="groen", then=Value(100.0)),
            When(apk_sessions__questions__votes__score="oranje", then=Value(50.0)),
            When(apk_sessions__questions__votes__score="rood", then=Value(0.0)),
            output_field=FloatField(),
        )
        return (
            self.filter(apk_sessions__state="gesloten")
            .order_by()
            .values_list("pk", "apk_sessions__pk", "apk_sessions__date", "apk_sessions__closed_at")
            .annotate(score=Avg(points))
        )


class Project(models.Model):
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.PROTECT, related_name="projects", verbose_name=_("gemeente")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subprojects",
        verbose_name=_("hoofdproject"),
        help_text=_("Voor een deelproject: een thema of een bewonersinitiatief binnen een wijk."),
    )
    name = models.CharField(_("naam van de wijk of buurt"), max_length=150)
    description = models.TextField(_("beschrijving"), blank=True, max_length=5000)
    start_date = models.DateField(_("startdatum"), default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by every status change (services.status_set): the voortgang page caches what it
    # shows of the statuses under it (wijkkompas/caching.py).
    cache_version = models.PositiveIntegerField(default=0, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["gemeente__name", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projecten")

    def __str__(self) -> str:
        return f"{self.name} ({self.gemeente})"

    def get_absolute_url(self) -> str:
        return reverse("projects:voortgang", args=[self.pk])


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.TEAMLID)
    is_facilitator = models.BooleanField(
        _("facilitator"), default=False, help_text=_("Mag APK-sessies voor dit project voorbereiden en leiden.")
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__first_name", "user__email"]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def can(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.TEAMLID)
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self) -> str:
        return f"{self.email} → {self.project}"

    def get_absolute_url(self) -> str:
        return reverse("projects:invitation", args=[self.token])

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class Status(models.TextChoices):
    NIET_GESTART = "niet_gestart", _("Niet gestart")
    BEZIG = "bezig", _("Bezig")
    GEPAUZEERD = "gepauzeerd", _("Gepauzeerd")
    AFGEROND = "afgerond", _("Afgerond")
    HERZIEN = "herzien", _("Herzien")
    NIET_VAN_TOEPASSING = "nvt", _("Niet van toepassing")

    @classmethod
    def busy(cls) -> list[str]:
        """Work has started and is not finished: it counts as 'bezig' in the progress pictures."""
        return [cls.BEZIG, cls.GEPAUZEERD, cls.HERZIEN]


class KnooppuntStatusQuerySet(models.QuerySet):
    def per_fase(self) -> KnooppuntStatusQuerySet:
        """(project pk, fase pk, status, count): the statuses of many projects, counted per phase."""
        return self.order_by().values_list("project_id", "knooppunt__fase_id", "status").annotate(n=Count("pk"))


class KnooppuntStatus(models.Model):
    """The current status of one knooppunt in one project (absent means niet gestart)."""

    # No index of its own: the unique constraint below starts with the project.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="statuses", db_index=False)
    knooppunt = models.ForeignKey(Knooppunt, on_delete=models.CASCADE, related_name="project_statuses")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NIET_GESTART)
    note = models.TextField(_("toelichting"), blank=True)
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = KnooppuntStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("status van een knooppunt")
        verbose_name_plural = _("statussen van knooppunten")
        constraints = [
            models.UniqueConstraint(fields=["project", "knooppunt"], name="one_status_per_project_knooppunt")
        ]
        # No index on the status: a status change can then update the row in place (a HOT
        # update in PostgreSQL) instead of adding an entry to every index.

    def __str__(self) -> str:
        return f"{self.project} · {self.knooppunt.code}: {self.get_status_display()}"


class StatusChange(models.Model):
    """One step in the timeline of a knooppunt in a project. Never changed after it is written."""

    # No index of its own: the index below starts with the project.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes", db_index=False)
    knooppunt = models.ForeignKey(Knooppunt, on_delete=models.CASCADE, related_name="+")
    old_status = models.CharField(_("oude status"), max_length=20, choices=Status.choices)
    new_status = models.CharField(_("nieuwe status"), max_length=20, choices=Status.choices)
    note = models.TextField(_("toelichting"), blank=True)
    changed_at = models.DateTimeField(_("wanneer"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        indexes = [
            models.Index(fields=["project", "knooppunt", "-changed_at"]),
            # The last change of a project (the portfolio): read from the index, not sorted.
            models.Index(fields=["project", "-changed_at", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.knooppunt.code}: {self.old_status} → {self.new_status}"


class EntryKind(models.TextChoices):
    BESLUIT = "besluit", _("Besluit")
    ACTIE = "actie", _("Actie")
    NOTITIE = "notitie", _("Notitie")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")


def document_path(entry: LogboekEntry, filename: str) -> str:
    # The stored name is random: the original name is kept in the database, and nobody can
    # guess the path of someone else's document.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{entry.project_id}/{uuid.uuid4().hex}{suffix}"


class LogboekEntryQuerySet(models.QuerySet):
    def open_actions(self) -> LogboekEntryQuerySet:
        return self.filter(kind=EntryKind.ACTIE, is_done=False)

    def overdue(self, today) -> LogboekEntryQuerySet:
        return self.open_actions().filter(due_date__lt=today)

    def for_list(self) -> LogboekEntryQuerySet:
        return self.select_related("knooppunt", "created_by", "owner")


class LogboekEntry(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="logboek_entries")
    kind = models.CharField(_("soort"), max_length=20, choices=EntryKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("toelichting"), blank=True, max_length=10_000)
    knooppunt = models.ForeignKey(
        Knooppunt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logboek_entries",
        verbose_name=_("knooppunt"),
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An actie has an owner, a due date and is open or done.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar"),
    )
    due_date = models.DateField(_("uiterlijk op"), null=True, blank=True)
    is_done = models.BooleanField(_("klaar"), default=False)
    # A link has a url; a document has a file, kept outside the public paths.
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("bestand"), upload_to=document_path, blank=True, max_length=255)
    file_name = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)

    objects = LogboekEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("logboekregel")
        verbose_name_plural = _("logboek")
        indexes = [models.Index(fields=["project", "-created_at"]), models.Index(fields=["project", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:logboek", args=[self.project_id]) + f"#regel-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        """An open action whose date has passed (as LogboekEntryQuerySet.overdue counts it)."""
        return (
            self.kind == EntryKind.ACTIE
            and not self.is_done
            and bool(self.due_date)
            and (self.due_date < timezone.localdate())
        )


class DigestSent(models.Model):
    """The weekly digest one user got for one week: `send_digest` sends no second one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week (maandag)"))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("verzonden weekoverzicht")
        verbose_name_plural = _("verzonden weekoverzichten")
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_user_week")]

    def __str__(self) -> str:
        return f"{self.user} · {self.week:%G-W%V}"

"""The kompas content: phases, sporen, parties, knooppunten, practice stories and glossary.

Content that ships with the product (see fixtures/kompas/) carries a `content_hash` of the
shipped text it was last loaded from, so `load_kompas` can tell an editor's change from an
older shipped version.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connection, connections, models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def dutch_vector(*weighted: tuple) -> SearchVector:
    """A Dutch search vector over (expression, weight) pairs, one SearchVector per field."""
    vectors = [SearchVector(expression, weight=weight, config="dutch") for expression, weight in weighted]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def dutch_ranked(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Rows whose stored `search_vector` contains every word, each also as the start of a longer word.

    Dutch glues words together: "participatie" must find "participatiestrategie", and a
    visitor who is still typing "warmte" should already see "warmtenet". So every word becomes
    a prefix (`woord:*`) in a raw tsquery; only letters and digits reach it.
    """
    words = re.findall(r"\w+", text)
    if not words:
        return queryset.annotate(rank=models.Value(0.0, output_field=models.FloatField())).none()
    query = SearchQuery(" & ".join(f"{word}:*" for word in words), config="dutch", search_type="raw")
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(models.F("search_vector"), query))


class SearchableQuerySet(models.QuerySet):
    """Content with a stored Dutch search vector on PostgreSQL, with a GIN index (migration
    0004). load_kompas and the admin call `update_search_vector` after they save content."""

    def search_vector(self) -> SearchVector:
        raise NotImplementedError

    def update_search_vector(self) -> None:
        if connection.vendor == "postgresql":
            self.update(search_vector=self.search_vector())


class Track(models.TextChoices):
    SOCIAAL = "sociaal", _("Sociaal-maatschappelijk")
    TECHNISCH = "technisch", _("Technisch-economisch")


class Fase(models.Model):
    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("naam"), max_length=100)
    summary = models.TextField(_("korte beschrijving"))
    key_question = models.CharField(_("kernvraag"), max_length=250)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("fase")
        verbose_name_plural = _("fasen")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("navigator:fase", args=[self.slug])


class Spoor(models.Model):
    letter = models.CharField(_("letter"), max_length=1, unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("naam"), max_length=100)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    description = models.TextField(_("beschrijving"))
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["letter"]
        verbose_name = _("spoor")
        verbose_name_plural = _("sporen")

    def __str__(self) -> str:
        return f"{self.letter}. {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("navigator:spoor", args=[self.slug])


class Partij(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("beschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("navigator:partij", args=[self.slug])


class Koppelkans(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("beschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("koppelkans")
        verbose_name_plural = _("koppelkansen")

    def __str__(self) -> str:
        return self.name


def sees_drafts(user) -> bool:
    """Editors preview unpublished knooppunten; pages that show drafts are rendered for them alone."""
    return user.has_perm("knooppunten.change_knooppunt")


class KnooppuntQuerySet(SearchableQuerySet):
    def published(self) -> KnooppuntQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user) -> KnooppuntQuerySet:
        """Editors preview drafts; everyone else sees published content only."""
        if sees_drafts(user):
            return self.all()
        return self.published()

    def for_fase(self, fase: Fase) -> KnooppuntQuerySet:
        return self.filter(fase=fase)

    def content_version(self) -> tuple:
        """Changes whenever anything the kompas shows is saved, added or removed: every content
        table and every link table (CONTENT_VERSION_SQL). One cheap query, so a copy of the
        kompas kept in memory, and HTML cached under this version, can be checked on every request."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(CONTENT_VERSION_SQL)
            return tuple(cursor.fetchone())

    def for_cards(self) -> KnooppuntQuerySet:
        """What a knooppunt card shows: its phase and its sporen, in a fixed number of queries."""
        return self.select_related("fase").prefetch_related("sporen")

    def search_vector(self) -> SearchVector:
        tip_texts = (
            Tip.objects.filter(knooppunt=models.OuterRef("pk"))
            .values("knooppunt")
            .annotate(all_text=StringAggregate("text"))
            .values("all_text")
        )
        tips = models.functions.Coalesce(models.Subquery(tip_texts), models.Value(""), output_field=models.TextField())
        return dutch_vector(("title", "A"), ("summary", "B"), ("goal", "C"), ("approach", "C"), (tips, "D"))

    def search(self, text: str) -> KnooppuntQuerySet:
        """Full-text search in Dutch on PostgreSQL, a word-by-word match elsewhere. Best first:
        a hit in the title, then in the summary, then elsewhere; within each, by weighted rank
        on PostgreSQL and by code elsewhere."""
        words = re.findall(r"\w+", text)
        if connection.vendor == "postgresql":
            found = dutch_ranked(self, text)
        else:
            matching = self
            for word in words:
                matching = matching.filter(
                    Q(title__icontains=word)
                    | Q(summary__icontains=word)
                    | Q(goal__icontains=word)
                    | Q(approach__icontains=word)
                    | Q(tips__text__icontains=word)
                )
            found = self.filter(pk__in=matching.values("pk")).annotate(
                rank=models.Value(0.0, output_field=models.FloatField())
            )
        in_title = Q(*[Q(title__icontains=word) for word in words]) if words else Q(pk=None)
        in_summary = Q(*[Q(summary__icontains=word) for word in words]) if words else Q(pk=None)
        where = models.Case(
            models.When(in_title, then=2),
            models.When(in_summary, then=1),
            default=0,
            output_field=models.IntegerField(),
        )
        return found.annotate(hit=where).order_by("-hit", "-rank", "code")


class StringAggregate(models.Aggregate):
    """string_agg on PostgreSQL, used to fold a knooppunt's tips into its search vector."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = models.TextField()


class Knooppunt(models.Model):
    fase = models.ForeignKey(Fase, on_delete=models.PROTECT, related_name="knooppunten", verbose_name=_("fase"))
    code = models.CharField(
        _("code"), max_length=10, unique=True, help_text=_("Bijvoorbeeld 3.04: fase en volgnummer.")
    )
    slug = models.SlugField(unique=True, max_length=100)
    title = models.CharField(_("titel"), max_length=200)
    summary = models.CharField(_("samenvatting"), max_length=300)
    goal = models.TextField(_("doel"), help_text=_("Markdown. Wat heeft het team bereikt als dit knooppunt klaar is?"))
    approach = models.TextField(_("aanpak"), help_text=_("Markdown. De stappen die een team kan zetten."))
    sporen = models.ManyToManyField(Spoor, related_name="knooppunten", verbose_name=_("sporen"))
    partijen = models.ManyToManyField(
        Partij, related_name="knooppunten", blank=True, verbose_name=_("betrokken partijen")
    )
    koppelkansen = models.ManyToManyField(
        Koppelkans, related_name="knooppunten", blank=True, verbose_name=_("koppelkansen")
    )
    politically_sensitive = models.BooleanField(_("bestuurlijk gevoelig"), default=False)
    raakvlakken = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="raakvlak_van",
        blank=True,
        verbose_name=_("raakvlakken"),
        help_text=_("Knooppunten waarop dit knooppunt voortbouwt of die het voedt. Ze staan op beide pagina's."),
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = KnooppuntQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[sporen, partijen, koppelkansen, raakvlakken], excluded_fields=["search_vector"]
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("knooppunt")
        verbose_name_plural = _("knooppunten")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("navigator:knooppunt", args=[self.slug])


class Tip(models.Model):
    knooppunt = models.ForeignKey(Knooppunt, on_delete=models.CASCADE, related_name="tips")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    text = models.TextField(_("tip"))
    url = models.URLField(_("link"), blank=True, max_length=500)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")

    def __str__(self) -> str:
        return self.text[:60]


class Bron(models.Model):
    knooppunt = models.ForeignKey(Knooppunt, on_delete=models.CASCADE, related_name="bronnen")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=250)
    publisher = models.CharField(_("uitgever"), max_length=150, blank=True)
    url = models.URLField(_("link"), max_length=500)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")

    def __str__(self) -> str:
        return self.title


class VerhaalStatus(models.TextChoices):
    """Where a story stands. Shipped and editor-written stories start as gepubliceerd; a story
    shared by a user starts as ingediend and waits in the editors' queue."""

    INGEDIEND = "ingediend", _("Ingediend")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    GEPUBLICEERD = "gepubliceerd", _("Gepubliceerd")
    AFGEWEZEN = "afgewezen", _("Afgewezen")


class PraktijkverhaalQuerySet(SearchableQuerySet):
    def published(self) -> PraktijkverhaalQuerySet:
        return self.filter(status=VerhaalStatus.GEPUBLICEERD)

    def submitted_by(self, user) -> PraktijkverhaalQuerySet:
        """The stories this user shared through the site, newest first."""
        return self.filter(submitted_by_id=user.pk).order_by("-submitted_at", "-id")

    def submitted_since(self, user, since) -> PraktijkverhaalQuerySet:
        return self.filter(submitted_by_id=user.pk, submitted_at__gte=since)

    def search_vector(self) -> SearchVector:
        return dutch_vector(("title", "A"), ("place", "C"), ("story", "C"), ("lessons", "C"))

    def search(self, text: str) -> PraktijkverhaalQuerySet:
        if connection.vendor == "postgresql":
            return dutch_ranked(self, text).order_by("-rank")
        matching = self
        for word in text.split():
            matching = matching.filter(
                Q(title__icontains=word)
                | Q(place__icontains=word)
                | Q(story__icontains=word)
                | Q(lessons__icontains=word)
            )
        return matching


class Praktijkverhaal(models.Model):
    slug = models.SlugField(unique=True, max_length=100)
    title = models.CharField(_("titel"), max_length=200)
    place = models.CharField(_("plaats of wijk"), max_length=200)
    story = models.TextField(_("verhaal"), help_text=_("Markdown."))
    is_illustrative = models.BooleanField(
        _("illustratief voorbeeld"),
        default=False,
        help_text=_("Aan voor een verzonnen voorbeeld in een fictieve wijk. De pagina zegt dat dan."),
    )
    source_url = models.URLField(_("bron"), blank=True, max_length=500)
    knooppunten = models.ManyToManyField(Knooppunt, related_name="praktijkverhalen", verbose_name=_("knooppunten"))
    lessons = models.TextField(
        _("wat ze ervan leerden"), blank=True, help_text=_("Markdown. Leeg laten als het verhaal dit zelf al vertelt.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VerhaalStatus.choices, default=VerhaalStatus.GEPUBLICEERD, db_index=True
    )
    # A story shared by a user of the site ("Deel uw ervaring"). The loader never sets these.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    author_name = models.CharField(
        _("naam bij het verhaal"),
        max_length=150,
        blank=True,
        help_text=_("Leeg: het verhaal staat er zonder naam. Alleen de inzender kiest dit."),
    )
    refusal_reason = models.TextField(
        _("reden van afwijzing"), blank=True, help_text=_("De inzender krijgt deze reden per e-mail.")
    )
    decided_at = models.DateTimeField(_("besluit van de redactie op"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PraktijkverhaalQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[knooppunten], excluded_fields=["search_vector"])

    class Meta:
        ordering = ["title"]
        verbose_name = _("praktijkverhaal")
        verbose_name_plural = _("praktijkverhalen")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("navigator:praktijkverhaal", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == VerhaalStatus.GEPUBLICEERD

    @property
    def is_submitted(self) -> bool:
        """Shared by a user of the site, rather than shipped or written by an editor."""
        return self.submitted_at is not None


def _link_label(link) -> str:
    return link.praktijkverhaal.title


# A knooppunt's admin page lists its stories through this link table: name a link by the story's
# title, not "Praktijkverhaal_knooppunten object (20)".
Praktijkverhaal.knooppunten.through.__str__ = _link_label


class BegripQuerySet(SearchableQuerySet):
    def search_vector(self) -> SearchVector:
        return dutch_vector(("term", "A"), ("abbreviation", "A"), ("definition", "C"))

    def search(self, text: str) -> BegripQuerySet:
        if connection.vendor == "postgresql":
            return dutch_ranked(self, text).order_by("-rank")
        matching = self
        for word in text.split():
            matching = matching.filter(
                Q(term__icontains=word) | Q(abbreviation__icontains=word) | Q(definition__icontains=word)
            )
        return matching


class Begrip(models.Model):
    term = models.CharField(_("begrip"), max_length=120, unique=True)
    slug = models.SlugField(unique=True, max_length=120)
    abbreviation = models.CharField(_("afkorting"), max_length=20, blank=True)
    definition = models.TextField(_("betekenis"))
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = BegripQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["term"]
        verbose_name = _("begrip")
        verbose_name_plural = _("begrippen")

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("navigator:begrippen") + f"#{self.slug}"


# Everything the public pages and the project pages show of the kompas. A row that is saved
# raises its table's latest `updated_at`, a deleted row lowers the count; a new link raises its
# table's highest id. A new content model or link that a page shows must be added here.
CONTENT_TABLES = [Fase, Spoor, Partij, Koppelkans, Knooppunt, Tip, Bron, Praktijkverhaal, Begrip]
CONTENT_LINKS = [
    Knooppunt.sporen,
    Knooppunt.partijen,
    Knooppunt.koppelkansen,
    Knooppunt.raakvlakken,
    Praktijkverhaal.knooppunten,
]
CONTENT_VERSION_SQL = "SELECT " + ", ".join(
    [
        f"(SELECT COUNT(*) FROM {table}), (SELECT MAX(updated_at) FROM {table})"
        for table in [model._meta.db_table for model in CONTENT_TABLES]
    ]
    + [
        f"(SELECT COUNT(*) FROM {table}), (SELECT MAX(id) FROM {table})"
        for table in [link.through._meta.db_table for link in CONTENT_LINKS]
    ]
)

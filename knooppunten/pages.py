"""What a knooppunt page shows, for the public page and for a project's knooppunt page."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .kompas import Kompas
from .models import Begrip, Knooppunt, Praktijkverhaal


def knooppunt_page(kompas: Kompas, slug: str) -> dict:
    """The knooppunt from the kompas, its neighbours in the phase, and its `details`: the long
    texts, tips, sources, stories and raakvlakken. The details are read only when the template
    renders them, which it does not while their HTML is cached (templates/knooppunten/_content.html)."""
    knooppunt = kompas.by_slug(slug)
    if knooppunt is None:
        raise Http404
    previous, following = kompas.siblings(knooppunt)
    return {
        "kompas": kompas,
        "knooppunt": knooppunt,
        "details": SimpleLazyObject(lambda: knooppunt_details(kompas, knooppunt)),
        "glossary_terms": SimpleLazyObject(glossary_terms),
        "previous": previous,
        "next": following,
    }


def knooppunt_details(kompas: Kompas, knooppunt: Knooppunt) -> Knooppunt:
    """The knooppunt with all its content, and `shown_raakvlakken`: the knooppunten it shares a
    raakvlak with, either way round, as far as they are in the kompas."""
    details = Knooppunt.objects.prefetch_related(
        "partijen",
        "koppelkansen",
        "tips",
        "bronnen",
        Prefetch("praktijkverhalen", queryset=Praktijkverhaal.objects.published()),
    ).get(pk=knooppunt.pk)
    links = Knooppunt.raakvlakken.through.objects.filter(
        Q(from_knooppunt_id=knooppunt.pk) | Q(to_knooppunt_id=knooppunt.pk)
    ).values_list("from_knooppunt_id", "to_knooppunt_id")
    linked = {pk for pair in links for pk in pair} - {knooppunt.pk}
    details.shown_raakvlakken = [k for k in kompas.knooppunten if k.pk in linked]
    return details


def glossary_terms() -> list[tuple[str, str, str]]:
    """(word, url, definition) for every glossary term and abbreviation, for rich_text."""
    url = reverse("navigator:begrippen")
    terms = []
    for term, abbreviation, slug, definition in Begrip.objects.values_list(
        "term", "abbreviation", "slug", "definition"
    ):
        terms.append((term, f"{url}#{slug}", definition))
        if abbreviation:
            terms.append((abbreviation, f"{url}#{slug}", definition))
    return terms

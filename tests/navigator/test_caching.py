"""Every cached fragment of the public pages follows every change of what it shows, for
visitors and for editors (wijkkompas/caching.py): the page is seen once to fill the cache, the
content is changed, and the page must show the change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.apps import apps
from django.urls import reverse

from knooppunten.models import CONTENT_LINKS, CONTENT_TABLES, Begrip, Bron, Praktijkverhaal, Tip
from tests.conftest import update_search_vectors


@pytest.fixture
def content(kompas):
    knooppunt = kompas.add_knooppunt(
        1, 1, title="Bewoners aan tafel", sporen="A", slug="bewoners-aan-tafel", goal="Een warmtenet bespreken."
    )
    other = kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", sporen="F", slug="warmtebronnen")
    knooppunt.partijen.add(kompas.partijen["gemeente"])
    knooppunt.koppelkansen.add(kompas.koppelkansen["klimaatadaptatie"])
    Tip.objects.create(knooppunt=knooppunt, text="Begin met koffie.")
    Bron.objects.create(knooppunt=knooppunt, title="Handreiking participatie", url="https://example.org/a")
    verhaal = Praktijkverhaal.objects.create(
        slug="keukentafel", title="Aan de keukentafel", place="Ergens", story="Het ging goed."
    )
    verhaal.knooppunten.add(knooppunt)
    update_search_vectors()
    return kompas, knooppunt, other, verhaal


def overview() -> str:
    return reverse("navigator:overview")


def page_of(slug: str) -> Callable[[], str]:
    return lambda: reverse("navigator:knooppunt", args=[slug])


def fase_page() -> str:
    return reverse("navigator:fase", args=["fase-1"])


def search_page() -> str:
    return reverse("navigator:search") + "?q=bewoners"


def rename(obj, **fields) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


# (what changes, the page that shows it, how to change it, the text that must appear)
CHANGES = [
    ("fase", overview, lambda k, kn, o, v: rename(k.fasen[0], name="Samen beginnen"), "Samen beginnen"),
    ("spoor", overview, lambda k, kn, o, v: rename(k.sporen["A"], name="Iedereen doet mee"), "Iedereen doet mee"),
    (
        "partij in the filters",
        overview,
        lambda k, kn, o, v: rename(k.partijen["bewoners"], name="Buurtbewoners"),
        "Buurtbewoners",
    ),
    (
        "knooppunt title on the overview",
        overview,
        lambda k, kn, o, v: rename(kn, title="Keukentafelgesprekken"),
        "Keukentafelgesprekken",
    ),
    (
        "knooppunt title on a fase page",
        fase_page,
        lambda k, kn, o, v: rename(kn, title="Keukentafelgesprekken"),
        "Keukentafelgesprekken",
    ),
    (
        "knooppunt summary",
        fase_page,
        lambda k, kn, o, v: rename(kn, summary="Praat eerst, beslis later."),
        "Praat eerst, beslis later.",
    ),
    (
        "knooppunt in search",
        search_page,
        lambda k, kn, o, v: (rename(kn, title="Bewoners aan de keukentafel"), update_search_vectors()),
        "Bewoners aan de keukentafel",
    ),
    ("sporen link", overview, lambda k, kn, o, v: kn.sporen.add(k.sporen["E"]), "Spoor E:"),
    (
        "knooppunt text",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: rename(kn, approach="Bel de corporatie."),
        "Bel de corporatie.",
    ),
    (
        "partij",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: rename(k.partijen["gemeente"], name="Gemeentehuis"),
        "Gemeentehuis",
    ),
    (
        "partijen link",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: kn.partijen.add(k.partijen["netbeheerder"]),
        "Netbeheerder",
    ),
    (
        "koppelkans",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: rename(k.koppelkansen["klimaatadaptatie"], name="Hittestress"),
        "Hittestress",
    ),
    (
        "koppelkansen link",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: kn.koppelkansen.clear(),
        "Klimaatadaptatie",
    ),
    (
        "raakvlakken link",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: o.raakvlakken.add(kn),
        "Warmtebronnen verkennen",
    ),
    (
        "tip",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: rename(kn.tips.get(), text="Begin met thee."),
        "Begin met thee.",
    ),
    (
        "bron",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: rename(kn.bronnen.get(), title="Gids voor gesprekken"),
        "Gids voor gesprekken",
    ),
    (
        "praktijkverhaal",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: rename(v, title="Koffie in de straat"),
        "Koffie in de straat",
    ),
    ("praktijkverhalen link", page_of("warmtebronnen"), lambda k, kn, o, v: v.knooppunten.add(o), "Aan de keukentafel"),
    (
        "begrip",
        page_of("bewoners-aan-tafel"),
        lambda k, kn, o, v: Begrip.objects.create(
            term="warmtenet", slug="warmtenet", definition="Buizen met warm water."
        ),
        "#warmtenet",
    ),
]


@pytest.mark.parametrize("who", ["visitor", "editor"])
@pytest.mark.parametrize(("what", "url", "change", "shown"), CHANGES, ids=[c[0] for c in CHANGES])
def test_a_cached_page_shows_every_change(request, content, who, what, url, change, shown):
    browser = request.getfixturevalue("client" if who == "visitor" else "editor_client")
    before = browser.get(url()).content.decode()
    if what == "koppelkansen link":
        assert "Klimaatadaptatie" in before
        change(*content)
        assert "Klimaatadaptatie" not in browser.get(url()).content.decode()
        return
    assert shown not in before
    change(*content)
    assert shown in browser.get(url()).content.decode()


@pytest.mark.parametrize("url", [overview, page_of("bewoners-aan-tafel")])
def test_a_draft_is_shown_to_editors_only_and_leaves_at_once_when_unpublished(content, client, editor_client, url):
    kompas, knooppunt, _other, _verhaal = content
    client.get(url())
    editor_client.get(url())
    draft = kompas.add_knooppunt(1, 2, title="Nog in de maak", is_published=False)
    rename(knooppunt, is_published=False)
    assert "Nog in de maak" not in client.get(overview()).content.decode()
    assert "Nog in de maak" in editor_client.get(overview()).content.decode()
    assert client.get(page_of("bewoners-aan-tafel")()).status_code == 404
    assert "Concept" in editor_client.get(page_of("bewoners-aan-tafel")()).content.decode()
    assert draft.code in editor_client.get(overview()).content.decode()


def test_the_content_version_covers_every_table_the_pages_show():
    """A new content model or link must join the version, or its changes would not show."""
    shown = {
        model
        for model in apps.get_app_config("knooppunten").get_models()
        if not model.__name__.startswith("Historical")
    }
    assert shown == set(CONTENT_TABLES)
    links = {field.remote_field.through for model in CONTENT_TABLES for field in model._meta.many_to_many}
    assert links == {link.through for link in CONTENT_LINKS}


def test_a_filtered_overview_and_its_filters_are_cached_apart(content, client):
    filtered = client.get(overview(), {"spoor": "F"}).content.decode()
    assert "Warmtebronnen verkennen" in filtered and "Bewoners aan tafel" not in filtered
    everything = client.get(overview()).content.decode()
    assert "Warmtebronnen verkennen" in everything and "Bewoners aan tafel" in everything
    assert '<option value="F" selected>' in filtered and '<option value="F" selected>' not in everything

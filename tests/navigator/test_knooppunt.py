from __future__ import annotations

import pytest
from django.urls import reverse

from knooppunten.models import Begrip, Bron, Praktijkverhaal, Tip, VerhaalStatus


def url(knooppunt) -> str:
    return reverse("navigator:knooppunt", args=[knooppunt.slug])


@pytest.fixture
def rich(kompas):
    """A knooppunt with every section filled, between two others in its phase."""
    before = kompas.add_knooppunt(2, 1, title="Eerder in de fase")
    knooppunt = kompas.add_knooppunt(
        2,
        2,
        title="Sociale koppelkansen in kaart",
        sporen="AC",
        politically_sensitive=True,
        goal="Het team kent de koppelkansen en heeft een WUP in gedachten.",
        approach="1. Praat met bewoners\n2. Maak een kaart",
    )
    after = kompas.add_knooppunt(2, 3, title="Later in de fase")
    feeds = kompas.add_knooppunt(4, 1, title="Samen kiezen")
    feeds.raakvlakken.add(knooppunt)  # stored on the later knooppunt, shown on both
    knooppunt.raakvlakken.add(kompas.add_knooppunt(1, 1, title="Het verhaal van de wijk"))
    knooppunt.partijen.add(kompas.partijen["bewoners"])
    knooppunt.koppelkansen.add(kompas.koppelkansen["klimaatadaptatie"])
    Tip.objects.create(knooppunt=knooppunt, text="Loop een ronde door de wijk.", url="https://vng.nl/")
    Tip.objects.create(knooppunt=knooppunt, text="Nodig de wijkagent uit.")
    Bron.objects.create(
        knooppunt=knooppunt, title="Leidraad", publisher="ECW", url="https://www.expertisecentrumwarmte.nl/"
    )
    verhaal = Praktijkverhaal.objects.create(
        slug="schouw",
        title="Een schouw met bewoners",
        place="Voorbeeldwijk",
        story="Bewoners liepen mee.",
        is_illustrative=True,
    )
    verhaal.knooppunten.add(knooppunt)
    Begrip.objects.create(
        term="Wijkuitvoeringsplan", slug="wijkuitvoeringsplan", abbreviation="WUP", definition="Het plan."
    )
    return knooppunt, before, after


@pytest.mark.django_db
class TestKnooppuntPage:
    def test_it_shows_every_section(self, client, rich):
        knooppunt, _before, _after = rich
        html = client.get(url(knooppunt)).content.decode()
        for heading in [
            "Doel",
            "Aanpak",
            "Tips",
            "Uit de praktijk",
            "Bronnen en meer lezen",
            "Kenmerken",
            "Raakvlakken",
        ]:
            assert f">{heading}</h2>" in html
        assert "Loop een ronde door de wijk." in html
        assert "Een schouw met bewoners" in html and "Illustratief voorbeeld" in html
        assert "Bestuurlijk gevoelig" in html
        assert "Klimaatadaptatie" in html and "Bewoners" in html
        assert "<li>Praat met bewoners</li>" in html
        # A publisher's name may end in its own abbreviation between brackets: no brackets around it.
        assert '>Leidraad</a> <span class="muted">· ECW</span>' in html

    def test_raakvlakken_are_shown_in_both_directions(self, client, rich):
        knooppunt, _before, _after = rich
        html = client.get(url(knooppunt)).content.decode()
        assert "Samen kiezen" in html  # points at this one
        assert "Het verhaal van de wijk" in html  # this one points at it

    def test_it_links_to_previous_and_next_in_the_phase(self, client, rich):
        knooppunt, before, after = rich
        html = client.get(url(knooppunt)).content.decode()
        assert f'rel="prev" href="{url(before)}"' in html
        assert f'rel="next" href="{url(after)}"' in html

    def test_glossary_terms_link_to_their_definition(self, client, rich):
        knooppunt, _before, _after = rich
        html = client.get(url(knooppunt)).content.decode()
        assert 'href="/begrippen/#wijkuitvoeringsplan" title="Het plan.">WUP</a>' in html

    def test_without_a_story_it_invites_one(self, client, kompas):
        knooppunt = kompas.add_knooppunt(3, 1)
        html = client.get(url(knooppunt)).content.decode()
        assert "Deel uw verhaal met de redactie" in html

    def test_editor_markdown_is_sanitised_on_the_page(self, client, kompas):
        knooppunt = kompas.add_knooppunt(
            3, 1, goal='Doel <script>alert(1)</script> <a href="javascript:x()" onclick="y()">link</a>'
        )
        html = client.get(url(knooppunt)).content.decode()
        assert "<script>alert" not in html
        assert "javascript:x" not in html and "onclick" not in html

    def test_a_draft_is_404_for_visitors_and_a_preview_for_editors(self, client, editor_client, kompas):
        draft = kompas.add_knooppunt(3, 1, title="Geheim concept", is_published=False)
        response = client.get(url(draft))
        assert response.status_code == 404
        assert "Deze pagina bestaat niet" in response.content.decode()
        preview = editor_client.get(url(draft)).content.decode()
        assert "Geheim concept" in preview and "alleen redacteuren zien deze pagina" in preview

    def test_a_draft_raakvlak_is_not_shown_to_visitors(self, client, kompas):
        knooppunt = kompas.add_knooppunt(3, 1)
        knooppunt.raakvlakken.add(kompas.add_knooppunt(3, 2, title="Verborgen buur", is_published=False))
        assert "Verborgen buur" not in client.get(url(knooppunt)).content.decode()

    def test_an_unknown_slug_gives_the_dutch_404_page(self, client, kompas):
        response = client.get("/knooppunten/bestaat-niet/")
        assert response.status_code == 404
        assert "Deze pagina bestaat niet" in response.content.decode()

    def test_query_count_is_fixed_whatever_the_size_of_the_kompas(
        self, client, rich, kompas, django_assert_max_num_queries
    ):
        knooppunt, _before, _after = rich
        for other in kompas.add_many(3):
            other.raakvlakken.add(knooppunt)
        elsewhere = url(kompas.add_knooppunt(6, 1))
        client.get(elsewhere)  # each process loads the kompas once after a change
        with django_assert_max_num_queries(12) as small:  # two versions and the content's ten
            client.get(url(knooppunt))
        budget = len(small.captured_queries)  # read now: Django's query log keeps only the last 9,000
        for other in kompas.add_many(120):
            other.raakvlakken.add(knooppunt)
        client.get(elsewhere)
        with django_assert_max_num_queries(budget):
            response = client.get(url(knooppunt))
        assert response.content.decode().count('class="card__code"') >= 123

    def test_a_visit_to_unchanged_content_makes_one_query(self, client, rich, django_assert_num_queries):
        knooppunt, _before, after = rich
        client.get(url(knooppunt))
        with django_assert_num_queries(1):  # the content version
            html = client.get(url(knooppunt)).content.decode()
        assert "Loop een ronde door de wijk." in html and "Een schouw met bewoners" in html
        assert f'href="{url(after)}"' in html  # the pager comes from the kompas in memory


@pytest.mark.django_db
class TestCachedContent:
    """Visitors get the content from the cache: every edit an editor can make must show at once."""

    def test_an_edited_tip_shows_at_once(self, client, rich):
        knooppunt, _before, _after = rich
        client.get(url(knooppunt))
        tip = Tip.objects.get(knooppunt=knooppunt, text__startswith="Loop")
        tip.text = "Loop twee rondes door de wijk."
        tip.save()
        assert "Loop twee rondes door de wijk." in client.get(url(knooppunt)).content.decode()

    def test_an_edited_story_and_a_new_one_show_at_once(self, client, rich):
        knooppunt, _before, _after = rich
        client.get(url(knooppunt))
        verhaal = Praktijkverhaal.objects.get(slug="schouw")
        verhaal.title = "Een wijkschouw met bewoners"
        verhaal.save()
        html = client.get(url(knooppunt)).content.decode()
        assert "Een wijkschouw met bewoners" in html
        verhaal.status = VerhaalStatus.IN_BEHANDELING
        verhaal.save()
        assert "Een wijkschouw met bewoners" not in client.get(url(knooppunt)).content.decode()

    def test_a_new_glossary_term_and_a_renamed_party_show_at_once(self, client, rich, kompas):
        knooppunt, _before, _after = rich
        client.get(url(knooppunt))
        Begrip.objects.create(term="Koppelkansen", slug="koppelkansen", definition="Andere opgaven in de wijk.")
        partij = kompas.partijen["bewoners"]
        partij.name = "Bewoners en huurders"
        partij.save()
        html = client.get(url(knooppunt)).content.decode()
        assert "Bewoners en huurders" in html
        assert 'href="/begrippen/#koppelkansen"' in html

    def test_a_removed_raakvlak_leaves_at_once(self, client, rich, kompas):
        knooppunt, _before, _after = rich
        assert "Het verhaal van de wijk" in client.get(url(knooppunt)).content.decode()
        knooppunt.raakvlakken.clear()
        assert "Het verhaal van de wijk" not in client.get(url(knooppunt)).content.decode()

    def test_editors_see_drafts_that_visitors_do_not(self, client, editor_client, rich, kompas):
        knooppunt, _before, _after = rich
        client.get(url(knooppunt))
        knooppunt.raakvlakken.add(kompas.add_knooppunt(5, 1, title="Nog een concept", is_published=False))
        assert "Nog een concept" in editor_client.get(url(knooppunt)).content.decode()
        assert "Nog een concept" not in client.get(url(knooppunt)).content.decode()


@pytest.mark.django_db
class TestListPages:
    def test_phase_page_lists_its_knooppunten_only(self, client, kompas):
        kompas.add_knooppunt(1, 1, title="In fase een")
        kompas.add_knooppunt(2, 1, title="In fase twee")
        html = client.get(reverse("navigator:fase", args=["fase-1"])).content.decode()
        assert "In fase een" in html and "In fase twee" not in html
        assert "Kernvraag 1?" in html

    def test_spoor_page_lists_knooppunten_grouped_by_phase(self, client, kompas):
        kompas.add_knooppunt(1, 1, title="Met spoor F", sporen="F")
        kompas.add_knooppunt(5, 1, title="Ook spoor F", sporen="DF")
        kompas.add_knooppunt(5, 2, title="Zonder F", sporen="D")
        html = client.get(reverse("navigator:spoor", args=["betrouwbaar-net"])).content.decode()
        assert "Met spoor F" in html and "Ook spoor F" in html and "Zonder F" not in html
        assert "Fase 5: Voorbereiding" in html

    def test_party_page_lists_knooppunten_of_that_party(self, client, kompas):
        kompas.add_knooppunt(1, 1, title="Met de netbeheerder").partijen.add(kompas.partijen["netbeheerder"])
        kompas.add_knooppunt(1, 2, title="Zonder netbeheerder")
        html = client.get(reverse("navigator:partij", args=["netbeheerder"])).content.decode()
        assert "Met de netbeheerder" in html and "Zonder netbeheerder" not in html

    @pytest.mark.parametrize("name", ["fase", "spoor", "partij", "praktijkverhaal"])
    def test_unknown_slugs_give_404(self, client, kompas, name):
        assert client.get(reverse(f"navigator:{name}", args=["onbekend"])).status_code == 404


@pytest.mark.django_db
class TestGlossaryAndStories:
    def test_glossary_lists_terms_with_anchors(self, client):
        Begrip.objects.create(term="Netcongestie", slug="netcongestie", definition="Het net zit vol.")
        html = client.get(reverse("navigator:begrippen")).content.decode()
        assert 'id="netcongestie"' in html and "Het net zit vol." in html

    def test_story_page_shows_the_illustrative_label_and_its_knooppunten(self, client, kompas):
        knooppunt = kompas.add_knooppunt(1, 1, title="Het verhaal van de wijk")
        verhaal = Praktijkverhaal.objects.create(
            slug="v", title="Verhaal", place="Fictiewijk", story="Tekst.", is_illustrative=True
        )
        verhaal.knooppunten.add(knooppunt)
        html = client.get(reverse("navigator:praktijkverhaal", args=["v"])).content.decode()
        assert "Illustratief voorbeeld" in html and "Het verhaal van de wijk" in html
        listing = client.get(reverse("navigator:praktijkverhalen")).content.decode()
        assert "Verhaal" in listing and "1.01 Het verhaal van de wijk" in listing

from __future__ import annotations

import pytest
from django.urls import reverse

from knooppunten.content import load_kompas
from knooppunten.models import Begrip, Knooppunt, Praktijkverhaal, Tip
from tests.conftest import update_search_vectors
from tests.knooppunten.test_admin import change_data

URL = reverse("navigator:search")


@pytest.fixture
def content(kompas):
    participatie = kompas.add_knooppunt(1, 1, title="Participatiestrategie kiezen", summary="Hoe doen bewoners mee?")
    warmte = kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", goal="Onderzoek restwarmte en aquathermie.")
    Tip.objects.create(knooppunt=warmte, text="Vraag de netbeheerder naar de capaciteit.")
    kompas.add_knooppunt(2, 2, title="Verborgen warmteplan", is_published=False)
    verhaal = Praktijkverhaal.objects.create(
        slug="v", title="Bewonersavond over aquathermie", place="Fictiewijk", story="Tekst."
    )
    Begrip.objects.create(term="Aquathermie", slug="aquathermie", definition="Warmte uit water.")
    update_search_vectors()
    return participatie, warmte, verhaal


@pytest.mark.django_db
class TestSearch:
    def test_it_finds_knooppunten_stories_and_terms(self, client, content):
        html = client.get(URL, {"q": "aquathermie"}).content.decode()
        assert "Warmtebronnen verkennen" in html
        assert "Bewonersavond over aquathermie" in html
        assert "Warmte uit water." in html
        assert "Participatiestrategie" not in html.split("search-results")[1]

    def test_a_word_finds_the_compound_words_that_start_with_it(self, client, content):
        # Dutch glues words together, and live search sees words half typed.
        assert "Participatiestrategie kiezen" in client.get(URL, {"q": "participatie"}).content.decode()
        assert "Warmtebronnen verkennen" in client.get(URL, {"q": "warmtebr"}).content.decode()

    def test_it_searches_tips_too(self, client, content):
        html = client.get(URL, {"q": "capaciteit"}).content.decode()
        assert "Warmtebronnen verkennen" in html

    def test_it_never_shows_drafts_to_visitors(self, client, content):
        html = client.get(URL, {"q": "warmteplan"}).content.decode()
        assert "Verborgen warmteplan" not in html

    def test_editors_find_drafts_too(self, editor_client, content):
        html = editor_client.get(URL, {"q": "warm"}).content.decode()
        assert "Verborgen warmteplan" in html and "Warmtebronnen verkennen" in html

    def test_a_found_card_follows_an_edit(self, client, content):
        _participatie, warmte, _verhaal = content
        assert "Warmtebronnen verkennen" in client.get(URL, {"q": "warmte"}).content.decode()
        warmte.title = "Warmtebronnen in kaart"
        warmte.save()
        update_search_vectors()
        assert "Warmtebronnen in kaart" in client.get(URL, {"q": "warmte"}).content.decode()

    @pytest.mark.parametrize("count", [3, 60])
    def test_it_makes_a_fixed_number_of_queries(self, client, kompas, django_assert_max_num_queries, count):
        for knooppunt in kompas.add_many(count):
            knooppunt.title = f"Warmtenet {knooppunt.code}"
            knooppunt.save()
        update_search_vectors()
        client.get(URL, {"q": "warmtenet"})  # each process loads the kompas once
        with django_assert_max_num_queries(5):  # the content version, three searches and the snippets
            html = client.get(URL, {"q": "warmtenet"}).content.decode()
        assert html.count('class="card__code"') == min(count, 50)

    def test_htmx_gets_only_the_results(self, client, content):
        response = client.get(URL, {"q": "participatiestrategie"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="search-results"')
        assert "Participatiestrategie kiezen" in html
        assert "<html" not in html

    def test_the_page_has_a_plain_form_and_a_live_input(self, client, content):
        html = client.get(URL).content.decode()
        assert f'method="get" action="{URL}"' in html
        assert 'hx-trigger="input changed delay:300ms, search"' in html

    @pytest.mark.parametrize(
        "query",
        ["", "   ", "x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --", '"ongesloten', "!!! & | :*", "\x00\x07nul"],
    )
    def test_odd_input_gives_a_clean_page(self, client, content, query):
        response = client.get(URL, {"q": query})
        assert response.status_code == 200
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "Zoeken in het kompas" in html

    def test_no_results_gives_a_hint(self, client, content):
        html = client.get(URL, {"q": "xylofoon"}).content.decode()
        assert "0 resultaten" in html and "Probeer een ander" in html

    def test_every_page_has_a_search_box(self, client, content):
        html = client.get(reverse("navigator:begrippen")).content.decode()
        assert 'role="search"' in html and f'action="{URL}"' in html


@pytest.mark.django_db
class TestTheStoredSearchVector:
    def test_an_edit_in_the_admin_is_found_at_once(self, client, content, editor_client):
        participatie = content[0]
        url = reverse("admin:knooppunten_knooppunt_change", args=[participatie.pk])
        response = editor_client.post(url, change_data(participatie, title="Buurtgesprekken voeren"))
        assert response.status_code == 302
        html = client.get(URL, {"q": "buurtgesprek"}).content.decode()
        assert "Buurtgesprekken voeren" in html

    def test_the_loaded_kompas_can_be_searched(self, settings):
        settings.SIMPLE_HISTORY_ENABLED = False  # history rows are tested with the loader; here they only cost time
        load_kompas()
        assert Knooppunt.objects.search("participatie").exists()
        assert Begrip.objects.search("wijkuitvoeringsplan").exists()


@pytest.mark.django_db
class TestRelevance:
    def test_a_title_hit_comes_before_a_summary_hit_and_a_body_hit(self, client, kompas):
        kompas.add_knooppunt(1, 1, title="Het gebied afbakenen", goal="Kijk waar een warmtenet al ligt.")
        kompas.add_knooppunt(1, 2, title="Wie betaalt wat", summary="De kosten van een warmtenet verdelen.")
        kompas.add_knooppunt(3, 1, title="Een warmtenet kiezen")
        update_search_vectors()
        html = client.get(URL, {"q": "warmtenet"}).content.decode()
        order = [html.index(title) for title in ["Een warmtenet kiezen", "Wie betaalt wat", "Het gebied afbakenen"]]
        assert order == sorted(order)

    def test_it_shows_the_hit_in_a_snippet(self, client, kompas):
        kompas.add_knooppunt(
            1, 1, title="Het gebied afbakenen", goal="Leg de kaart **naast** die van het warmtenet <b>oud</b>."
        )
        update_search_vectors()
        html = client.get(URL, {"q": "warmtenet"}).content.decode()
        assert (
            '<p class="card__snippet">Leg de kaart naast die van het <mark>warmtenet</mark> &lt;b&gt;oud&lt;/b&gt;.</p>'
            in html
        )

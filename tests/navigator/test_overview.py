from __future__ import annotations

import pytest
from django.urls import reverse

URL = reverse("navigator:overview")


@pytest.mark.django_db
class TestOverview:
    def test_it_shows_every_phase_with_its_knooppunten(self, client, kompas):
        kompas.add_knooppunt(1, 1, title="De gemeente neemt de regie", sporen="C")
        kompas.add_knooppunt(4, 2, title="Samen kiezen", sporen="AD")
        html = client.get(URL).content.decode()
        for fase in kompas.fasen:
            assert fase.name in html
        assert "De gemeente neemt de regie" in html
        assert "2 knooppunten in zes fasen." in html
        assert 'lang="nl"' in html

    def test_spoor_badges_name_the_track_in_text_not_only_colour(self, client, kompas):
        kompas.add_knooppunt(1, 1, sporen="AD")
        html = client.get(URL).content.decode()
        assert "Spoor A: Bewoners doen mee (Sociaal-maatschappelijk)" in html
        assert "Spoor D: Overstap is betaalbaar (Technisch-economisch)" in html

    def test_drafts_are_hidden_from_visitors(self, client, kompas):
        kompas.add_knooppunt(1, 1, title="Gepubliceerde stap")
        kompas.add_knooppunt(1, 2, title="Nog een concept", is_published=False)
        html = client.get(URL).content.decode()
        assert "Gepubliceerde stap" in html
        assert "Nog een concept" not in html

    def test_editors_see_drafts_marked_as_concept(self, editor_client, kompas):
        kompas.add_knooppunt(1, 2, title="Nog een concept", is_published=False)
        html = editor_client.get(URL).content.decode()
        assert "Nog een concept" in html
        assert "Concept" in html


@pytest.mark.django_db
class TestOverviewFilters:
    @pytest.fixture(params=["visitor", "editor"])
    def client(self, request, client):
        """Visitors get the kompas filtered in memory, editors (who also see drafts) filtered by
        the database: both must show the same."""
        return request.getfixturevalue("editor_client") if request.param == "editor" else client

    @pytest.fixture
    def knooppunten(self, kompas):
        social = kompas.add_knooppunt(1, 1, title="Alleen sociaal", sporen="A")
        technical = kompas.add_knooppunt(2, 1, title="Alleen technisch", sporen="F")
        both = kompas.add_knooppunt(3, 1, title="Sociaal en technisch", sporen="BD")
        technical.partijen.add(kompas.partijen["netbeheerder"])
        return social, technical, both

    def test_it_filters_by_spoor(self, client, knooppunten):
        html = client.get(URL, {"spoor": "A"}).content.decode()
        assert "Alleen sociaal" in html
        assert "Alleen technisch" not in html
        assert "1 van 3 knooppunten getoond." in html

    def test_it_filters_by_track_without_duplicates(self, client, knooppunten):
        html = client.get(URL, {"track": "technisch"}).content.decode()
        assert "Alleen technisch" in html and "Sociaal en technisch" in html
        assert "Alleen sociaal" not in html
        assert html.count("Sociaal en technisch") == 1

    def test_it_filters_by_party(self, client, knooppunten):
        html = client.get(URL, {"partij": "netbeheerder"}).content.decode()
        assert "Alleen technisch" in html
        assert "Alleen sociaal" not in html

    def test_an_unknown_filter_value_is_ignored_with_a_message(self, client, knooppunten):
        response = client.get(URL, {"spoor": "Z", "partij": "<script>"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Het filter &#x27;Spoor&#x27; met waarde &#x27;Z&#x27; bestaat niet" in html
        assert "<script>" not in html
        assert "Alleen sociaal" in html and "Alleen technisch" in html

    def test_htmx_gets_only_the_kompas_fragment(self, client, knooppunten):
        response = client.get(URL, {"spoor": "F"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="kompas"')
        assert "<html" not in html
        assert "Alleen technisch" in html and "Alleen sociaal" not in html
        assert "HX-Request" in response["Vary"]

    def test_the_filter_form_works_without_javascript(self, client, knooppunten):
        html = client.get(URL).content.decode()
        assert f'<form class="filters" method="get" action="{URL}"' in html
        assert 'hx-push-url="true"' in html

    def test_the_cached_filters_show_the_choice_and_a_renamed_party_at_once(self, client, knooppunten, kompas):
        html = client.get(URL, {"track": "sociaal"}).content.decode()
        assert '<option value="sociaal" selected>' in html
        netbeheerder = kompas.partijen["netbeheerder"]
        netbeheerder.name = "Regionale netbeheerder"
        netbeheerder.save()
        html = client.get(URL, {"track": "sociaal"}).content.decode()
        assert "Regionale netbeheerder" in html
        assert '<option value="sociaal" selected>' in html
        assert '<option value="sociaal" selected>' not in client.get(URL).content.decode()


@pytest.mark.django_db
class TestOverviewQueries:
    @pytest.mark.parametrize("count", [12, 120])
    def test_query_count_does_not_grow_with_the_kompas(self, client, kompas, django_assert_num_queries, count):
        kompas.add_many(count)
        filters = {"spoor": "A", "partij": "gemeente"}
        client.get(URL, filters)  # the kompas in memory and the cached fragments; measure the warm state
        with django_assert_num_queries(1):  # the content version: the kompas is in memory, its HTML cached
            response = client.get(URL, filters)
        assert f"van {count} knooppunten getoond" in response.content.decode()

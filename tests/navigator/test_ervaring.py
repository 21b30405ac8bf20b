"""Deel uw ervaring: a logged-in user shares a practice story; it waits for the editors.

Lotte leads the Bloemenbuurt project of Voorbeeldstad; Otto leads a project elsewhere and
must learn nothing of Lotte's logboek.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from knooppunten.models import Praktijkverhaal, VerhaalStatus
from projects.models import EntryKind, Gemeente, LogboekEntry
from projects.services import project_create

URL = reverse("navigator:ervaring_delen")


@pytest.fixture
def people(kompas, django_user_model):
    kompas.add_knooppunt(1, 1, title="Bewoners aan tafel", slug="bewoners-aan-tafel")
    kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", slug="warmtebronnen")

    def person(first_name: str, last_name: str = ""):
        return django_user_model.objects.create_user(
            email=f"{first_name.lower()}@example.org", password="een-lang-wachtwoord-1",
            first_name=first_name, last_name=last_name,
        )  # fmt: skip

    lotte, otto = person("Lotte", "de Vries"), person("Otto")
    project = project_create(gemeente=Gemeente.objects.create(name="Voorbeeldstad"), name="Bloemenbuurt", by=lotte)
    other = project_create(gemeente=Gemeente.objects.create(name="Andersdorp"), name="Dijkwijk", by=otto)
    return {"lotte": lotte, "otto": otto, "project": project, "other": other}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def story_data(**overrides) -> dict:
    data = {
        "title": "Een wijkschouw met twintig bewoners",
        "place": "Bloemenbuurt, Voorbeeldstad",
        "story": "We liepen op een zaterdag met bewoners door de wijk en noteerden wat hen opviel.",
        "lessons": "Begin klein en vraag bewoners zelf de route te kiezen.",
        "knooppunten": ["1.01"],
        "credit": "naam",
        "author_name": "Lotte de Vries",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
class TestSharingAStory:
    def test_a_visitor_without_an_account_is_asked_to_log_in(self, client, people):
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        response = client.post(URL, story_data())
        assert response.status_code == 302
        assert not Praktijkverhaal.objects.exists()

    def test_a_story_enters_the_editors_queue_and_not_the_site(self, client, people):
        lotte = people["lotte"]
        response = client_for(lotte).post(URL, story_data(knooppunten=["1.01", "2.01"]))
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:account") + "#verhalen"
        verhaal = Praktijkverhaal.objects.get()
        assert verhaal.status == VerhaalStatus.INGEDIEND
        assert verhaal.submitted_by == lotte
        assert verhaal.author_name == "Lotte de Vries"
        assert verhaal.lessons == "Begin klein en vraag bewoners zelf de route te kiezen."
        assert sorted(verhaal.knooppunten.values_list("code", flat=True)) == ["1.01", "2.01"]
        page = client.get(reverse("navigator:knooppunt", args=["bewoners-aan-tafel"])).content.decode()
        assert "Een wijkschouw met twintig bewoners" not in page
        assert client.get(verhaal.get_absolute_url()).status_code == 404

    def test_mijn_account_shows_the_status(self, people):
        lotte = people["lotte"]
        client = client_for(lotte)
        client.post(URL, story_data())
        html = client.get(reverse("accounts:account")).content.decode()
        assert "Uw praktijkverhalen" in html
        assert "Een wijkschouw met twintig bewoners" in html
        assert "Ingediend" in html
        # Someone else sees nothing of it.
        assert "Een wijkschouw" not in client_for(people["otto"]).get(reverse("accounts:account")).content.decode()

    def test_an_anonymous_story_keeps_no_name(self, people):
        client_for(people["lotte"]).post(URL, story_data(credit="anoniem", author_name="Lotte de Vries"))
        assert Praktijkverhaal.objects.get().author_name == ""

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"title": ""}, "Geef uw verhaal een titel."),
            ({"place": "  "}, "Vul in in welke plaats of wijk het gebeurde."),
            ({"story": "Te kort."}, "schrijf minstens 40 tekens"),
            ({"story": "x" * 10_001}, "Uw verhaal is te lang"),
            ({"lessons": ""}, "Schrijf op wat u ervan heeft geleerd."),
            ({"knooppunten": None}, "Kies minstens één knooppunt"),
            ({"knooppunten": ["9.99"]}, "Knooppunt 9.99 bestaat niet."),
            ({"credit": "iedereen"}, "Kies &#x27;met mijn naam&#x27; of &#x27;zonder naam&#x27;."),
            ({"author_name": ""}, "Vul de naam in die bij uw verhaal mag staan"),
            ({"consent": None}, "Zonder uw toestemming kan de redactie uw verhaal niet plaatsen."),
        ],
    )
    def test_bad_input_writes_nothing_and_says_why_in_dutch(self, people, overrides, message):
        response = client_for(people["lotte"]).post(URL, story_data(**overrides))
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert "Uw verhaal is nog niet verstuurd" in html
        assert not Praktijkverhaal.objects.exists()

    def test_too_many_knooppunten_are_refused(self, people, kompas):
        codes = [k.code for k in kompas.add_many(7)]
        response = client_for(people["lotte"]).post(URL, story_data(knooppunten=codes))
        assert "Kies hoogstens 6 knooppunten" in response.content.decode()
        assert not Praktijkverhaal.objects.exists()

    def test_a_filled_honeypot_writes_nothing(self, people):
        response = client_for(people["lotte"]).post(URL, story_data(website="https://spam.example"))
        assert response.status_code == 200
        assert "het controleveld moet leeg blijven" in response.content.decode()
        assert not Praktijkverhaal.objects.exists()

    def test_a_user_shares_at_most_the_limit_per_hour(self, people, settings):
        settings.ERVARINGEN_PER_UUR = 2
        client = client_for(people["lotte"])
        for number in range(2):
            assert client.post(URL, story_data(title=f"Verhaal {number}")).status_code == 302
        response = client.post(URL, story_data(title="Verhaal 3"))
        assert response.status_code == 200
        assert "U heeft in het afgelopen uur al 2 verhalen gedeeld." in response.content.decode()
        assert Praktijkverhaal.objects.count() == 2
        # Another user has a limit of their own.
        assert client_for(people["otto"]).post(URL, story_data()).status_code == 302
        # An hour later Lotte may share again.
        Praktijkverhaal.objects.filter(submitted_by=people["lotte"]).update(
            submitted_at=timezone.now() - timedelta(hours=1, minutes=1)
        )
        assert client.post(URL, story_data(title="Verhaal 3")).status_code == 302


@pytest.mark.django_db
class TestTheFormPage:
    def test_a_knooppunt_page_offers_it_with_the_knooppunt_chosen(self, client, people):
        page = client.get(reverse("navigator:knooppunt", args=["bewoners-aan-tafel"])).content.decode()
        assert "Deel uw ervaring met dit knooppunt" in page
        assert f"{URL}?knooppunt=1.01" in page
        html = client_for(people["lotte"]).get(URL, {"knooppunt": "1.01"}).content.decode()
        assert 'value="1.01" checked' in html
        assert 'value="2.01" checked' not in html
        assert 'value="Lotte de Vries"' in html  # the name starts as the account's name

    def test_an_unknown_knooppunt_is_ignored(self, people):
        response = client_for(people["lotte"]).get(URL, {"knooppunt": "<script>"})
        assert response.status_code == 200
        assert " checked" not in response.content.decode().split('name="credit"')[0].split("veld-knooppunten")[1]

    @pytest.mark.parametrize("extra", [0, 90])
    def test_it_makes_a_fixed_number_of_queries(self, people, kompas, django_assert_max_num_queries, extra):
        kompas.add_many(extra)
        client = client_for(people["lotte"])
        client.get(URL)  # the published kompas is loaded once per process
        with django_assert_max_num_queries(5):
            response = client.get(URL, {"knooppunt": "1.01"})
        assert response.content.decode().count('name="knooppunten"') == 2 + extra


@pytest.mark.django_db
class TestStartingFromADecision:
    @pytest.fixture
    def besluit(self, people):
        return LogboekEntry.objects.create(
            project=people["project"],
            kind=EntryKind.BESLUIT,
            title="We kiezen voor een warmtenet",
            body="Na drie avonden met bewoners koos de stuurgroep voor een warmtenet.",
            created_by=people["lotte"],
        )

    def test_the_logboek_offers_it_for_a_decision_only(self, people, besluit):
        LogboekEntry.objects.create(project=people["project"], kind=EntryKind.NOTITIE, title="Een notitie")
        html = client_for(people["lotte"]).get(reverse("projects:logboek", args=[people["project"].pk])).content
        html = html.decode()
        assert html.count("Maak er een praktijkverhaal van") == 1
        assert f"{URL}?project={people['project'].pk}&amp;besluit={besluit.pk}" in html

    def test_a_member_starts_with_the_decision_filled_in(self, people, besluit, kompas):
        besluit.knooppunt = kompas.fasen[1].knooppunten.get()
        besluit.save()
        response = client_for(people["lotte"]).get(URL, {"project": people["project"].pk, "besluit": besluit.pk})
        html = response.content.decode()
        assert 'value="We kiezen voor een warmtenet"' in html
        assert "Na drie avonden met bewoners koos de stuurgroep voor een warmtenet." in html
        assert 'value="Bloemenbuurt, Voorbeeldstad"' in html
        assert 'value="2.01" checked' in html
        # Starting from it writes nothing; sharing is a separate step.
        assert not Praktijkverhaal.objects.exists()

    def test_it_stays_within_the_query_budget(self, people, besluit, django_assert_max_num_queries):
        client = client_for(people["lotte"])
        client.get(URL)
        with django_assert_max_num_queries(7):
            client.get(URL, {"project": people["project"].pk, "besluit": besluit.pk})

    def test_an_outsider_gets_404_for_a_foreign_decision(self, people, besluit):
        otto = client_for(people["otto"])
        assert otto.get(URL, {"project": people["project"].pk, "besluit": besluit.pk}).status_code == 404
        # Through his own project he cannot reach Lotte's entry either.
        assert otto.get(URL, {"project": people["other"].pk, "besluit": besluit.pk}).status_code == 404
        response = otto.post(URL + f"?project={people['project'].pk}&besluit={besluit.pk}", story_data())
        assert response.status_code == 404
        assert not Praktijkverhaal.objects.exists()

    @pytest.mark.parametrize("params", [{"project": "x", "besluit": "1"}, {"besluit": "1"}, {"project": "1"}])
    def test_malformed_addresses_get_404(self, people, params):
        assert client_for(people["lotte"]).get(URL, params).status_code == 404

    def test_a_note_is_not_a_decision(self, people):
        note = LogboekEntry.objects.create(project=people["project"], kind=EntryKind.NOTITIE, title="Een notitie")
        response = client_for(people["lotte"]).get(URL, {"project": people["project"].pk, "besluit": note.pk})
        assert response.status_code == 404

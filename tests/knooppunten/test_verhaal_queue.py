"""The editors' queue of shared practice stories: edit, publish or refuse in the admin; the
submitter is emailed; only published stories are public; the loader leaves shared stories
alone; a deleted account takes its unpublished stories along."""

from __future__ import annotations

import textwrap

import pytest
from django.core import mail
from django.urls import reverse

from accounts.export import export_personal_data
from accounts.services import user_delete
from knooppunten import services
from knooppunten.content import load_kompas
from knooppunten.models import Knooppunt, Praktijkverhaal, VerhaalStatus
from tests.knooppunten import test_content_loader as shipped


@pytest.fixture
def lotte(db, django_user_model):
    return django_user_model.objects.create_user(
        email="lotte@example.org", password="een-lang-wachtwoord-1", first_name="Lotte"
    )


@pytest.fixture
def knooppunt(kompas):
    return kompas.add_knooppunt(1, 1, title="Bewoners aan tafel", slug="bewoners-aan-tafel")


def share(user, knooppunt, *, author_name: str = "Lotte de Vries", title: str = "Een wijkschouw") -> Praktijkverhaal:
    return services.verhaal_submit(
        by=user,
        title=title,
        place="Bloemenbuurt",
        story="We liepen met bewoners door de wijk.",
        lessons="Laat bewoners de route kiezen.",
        knooppunten=[knooppunt],
        author_name=author_name,
    )


def change_data(verhaal: Praktijkverhaal, **overrides) -> dict:
    data = {
        "title": verhaal.title,
        "slug": verhaal.slug,
        "place": verhaal.place,
        "knooppunten": [k.pk for k in verhaal.knooppunten.all()],
        "source_url": verhaal.source_url,
        "story": verhaal.story,
        "lessons": verhaal.lessons,
        "refusal_reason": verhaal.refusal_reason,
    }
    data.update(overrides)
    return data


def change_url(verhaal: Praktijkverhaal) -> str:
    return reverse("admin:knooppunten_praktijkverhaal_change", args=[verhaal.pk])


def knooppunt_page(client, knooppunt) -> str:
    return client.get(reverse("navigator:knooppunt", args=[knooppunt.slug])).content.decode()


@pytest.mark.django_db
class TestPublishing:
    def test_a_story_offers_its_public_page_in_the_admin_only_once_published(
        self, editor_client, lotte, editor, knooppunt
    ):
        verhaal = share(lotte, knooppunt)
        assert "Weergeven op website" not in editor_client.get(change_url(verhaal)).content.decode()  # a 404
        services.verhaal_publish(verhaal=verhaal, by=editor)
        html = editor_client.get(change_url(verhaal)).content.decode()
        assert "Weergeven op website" in html and f'href="{verhaal.get_absolute_url()}"' in html

    def test_an_editor_edits_and_publishes_and_the_submitter_is_emailed(
        self, editor_client, client, lotte, knooppunt, django_capture_on_commit_callbacks
    ):
        verhaal = share(lotte, knooppunt)
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(
                change_url(verhaal), change_data(verhaal, title="Een schouw met bewoners", _publiceren="1")
            )
        assert response.status_code == 302, response.content.decode()[:3000]
        verhaal.refresh_from_db()
        assert verhaal.status == VerhaalStatus.GEPUBLICEERD
        assert verhaal.decided_at is not None
        page = knooppunt_page(client, knooppunt)
        assert "Een schouw met bewoners" in page
        assert "Gedeeld door Lotte de Vries" in page
        assert "Laat bewoners de route kiezen." in page
        assert client.get(verhaal.get_absolute_url()).status_code == 200
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["lotte@example.org"]
        assert "Een schouw met bewoners" in mail.outbox[0].body
        assert verhaal.get_absolute_url() in mail.outbox[0].body
        assert verhaal.history.latest().history_user is not None

    def test_an_anonymous_story_shows_no_name(self, client, lotte, editor, knooppunt):
        verhaal = share(lotte, knooppunt, author_name="")
        services.verhaal_publish(verhaal=verhaal, by=editor)
        for html in (knooppunt_page(client, knooppunt), client.get(verhaal.get_absolute_url()).content.decode()):
            assert "Een wijkschouw" in html
            assert "Anoniem gedeeld" in html
            assert "Lotte" not in html

    def test_the_publish_action_publishes_the_selected_stories(
        self, editor_client, lotte, knooppunt, django_capture_on_commit_callbacks
    ):
        first, second = share(lotte, knooppunt, title="Eerste"), share(lotte, knooppunt, title="Tweede")
        with django_capture_on_commit_callbacks(execute=True):
            editor_client.post(
                reverse("admin:knooppunten_praktijkverhaal_changelist"),
                {"action": "publish_selected", "_selected_action": [first.pk, second.pk]},
            )
        assert set(Praktijkverhaal.objects.published().values_list("title", flat=True)) == {"Eerste", "Tweede"}
        assert len(mail.outbox) == 2

    def test_publishing_twice_is_refused(self, lotte, editor, knooppunt):
        verhaal = services.verhaal_publish(verhaal=share(lotte, knooppunt), by=editor)
        with pytest.raises(services.ValidationError):
            services.verhaal_publish(verhaal=verhaal, by=editor)


@pytest.mark.django_db
class TestRefusing:
    def test_a_refusal_needs_a_reason(self, editor_client, lotte, knooppunt, django_capture_on_commit_callbacks):
        verhaal = share(lotte, knooppunt)
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(change_url(verhaal), change_data(verhaal, _afwijzen="1"))
        assert response.status_code == 200
        assert "Schrijf waarom u het verhaal afwijst." in response.content.decode()
        verhaal.refresh_from_db()
        assert verhaal.status == VerhaalStatus.INGEDIEND
        assert mail.outbox == []

    def test_a_refused_story_stays_off_the_site_and_the_reason_reaches_the_submitter(
        self, editor_client, client, lotte, knooppunt, django_capture_on_commit_callbacks
    ):
        verhaal = share(lotte, knooppunt)
        reason = "Het verhaal noemt bewoners bij naam. Wilt u dat weglaten?"
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(
                change_url(verhaal), change_data(verhaal, refusal_reason=reason, _afwijzen="1")
            )
        assert response.status_code == 302
        verhaal.refresh_from_db()
        assert verhaal.status == VerhaalStatus.AFGEWEZEN
        assert "Een wijkschouw" not in knooppunt_page(client, knooppunt)
        assert client.get(verhaal.get_absolute_url()).status_code == 404
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["lotte@example.org"]
        assert reason in mail.outbox[0].body
        client.force_login(lotte)
        account = client.get(reverse("accounts:account")).content.decode()
        assert "Afgewezen" in account
        assert "Het verhaal noemt bewoners bij naam." in account

    def test_a_published_story_cannot_be_refused(self, lotte, editor, knooppunt):
        verhaal = services.verhaal_publish(verhaal=share(lotte, knooppunt), by=editor)
        with pytest.raises(services.ValidationError):
            services.verhaal_refuse(verhaal=verhaal, reason="Te laat.", by=editor)


@pytest.mark.django_db
class TestTheQueueInTheAdmin:
    def test_it_filters_on_status_in_dutch(self, editor_client, lotte, editor, knooppunt):
        share(lotte, knooppunt, title="Wacht nog")
        services.verhaal_publish(verhaal=share(lotte, knooppunt, title="Staat online"), by=editor)
        url = reverse("admin:knooppunten_praktijkverhaal_changelist")
        html = editor_client.get(url, {"status__exact": "ingediend"}).content.decode()
        assert "Wacht nog" in html
        assert "Staat online" not in html
        assert "In behandeling" in html  # the filter's choices

    def test_the_change_form_offers_the_decisions(self, editor_client, lotte, knooppunt):
        verhaal = share(lotte, knooppunt)
        html = editor_client.get(change_url(verhaal)).content.decode()
        for label in ["Opslaan en publiceren", "Opslaan en in behandeling nemen", "Opslaan en afwijzen (met reden)"]:
            assert label in html

    def test_taking_up_and_taking_offline(self, editor_client, client, lotte, knooppunt):
        verhaal = share(lotte, knooppunt)
        editor_client.post(change_url(verhaal), change_data(verhaal, _in_behandeling="1"))
        verhaal.refresh_from_db()
        assert verhaal.status == VerhaalStatus.IN_BEHANDELING
        editor_client.post(change_url(verhaal), change_data(verhaal, _publiceren="1"))
        assert "Een wijkschouw" in knooppunt_page(client, knooppunt)
        editor_client.post(change_url(verhaal), change_data(verhaal, _in_behandeling="1"))
        assert "Een wijkschouw" not in knooppunt_page(client, knooppunt)


@pytest.mark.django_db
class TestAccountsAndData:
    def test_the_data_download_holds_the_shared_stories(self, lotte, knooppunt):
        share(lotte, knooppunt)
        [story] = export_personal_data(lotte)["praktijkverhalen"]
        assert story["title"] == "Een wijkschouw"
        assert story["status"] == VerhaalStatus.INGEDIEND

    def test_a_deleted_account_takes_its_unpublished_stories_and_its_name_along(self, lotte, editor, knooppunt):
        waiting = share(lotte, knooppunt, title="Wacht nog")
        published = services.verhaal_publish(verhaal=share(lotte, knooppunt, title="Staat online"), by=editor)
        user_delete(user=lotte)
        assert not Praktijkverhaal.objects.filter(pk=waiting.pk).exists()
        assert not Praktijkverhaal.history.filter(id=waiting.pk).exists()
        published.refresh_from_db()
        assert published.is_published
        assert published.author_name == ""
        assert published.submitted_by is None
        assert not published.history.exclude(author_name="").exists()


@pytest.fixture
def content_dir(tmp_path):
    """A small shipped kompas with one story, as in the loader's own tests."""
    for name, text in [
        ("basis.yaml", shipped.BASIS),
        ("fase-1.yaml", shipped.FASE_1),
        ("fase-2.yaml", shipped.FASE_2),
        ("praktijkverhalen.yaml", shipped.VERHALEN),
    ]:
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


@pytest.mark.django_db
class TestTheLoader:
    def test_shipped_stories_stay_published_and_shared_ones_are_left_alone(self, content_dir, editor, lotte):
        load_kompas(directory=content_dir)
        shipped = Praktijkverhaal.objects.get(slug="schouw-in-de-wijk")
        assert shipped.status == VerhaalStatus.GEPUBLICEERD
        shared = share(lotte, Knooppunt.objects.get(code="2.01"))
        services.verhaal_take_up(verhaal=shared, by=editor)
        report = load_kompas(directory=content_dir)
        load_kompas(directory=content_dir, force=True)
        assert report.created == [] and report.updated == []
        assert Praktijkverhaal.objects.published().get() == shipped
        shared.refresh_from_db()
        assert shared.status == VerhaalStatus.IN_BEHANDELING
        assert shared.title == "Een wijkschouw"
        assert shared.knooppunten.get().code == "2.01"


@pytest.mark.django_db
class TestSearch:
    def test_a_published_story_is_found_by_its_lessons_and_a_waiting_one_is_not(self, client, lotte, editor, knooppunt):
        services.verhaal_publish(verhaal=share(lotte, knooppunt, title="Staat online"), by=editor)
        share(lotte, knooppunt, title="Wacht nog")
        html = client.get(reverse("navigator:search"), {"q": "route"}).content.decode()
        assert "Staat online" in html
        assert "Wacht nog" not in html

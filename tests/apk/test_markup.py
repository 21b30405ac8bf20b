"""The APK pages follow the strict Content-Security-Policy (style-src 'self': no inline style
attributes or <style> elements) and never leave validation to the browser's English bubbles:
every form has novalidate, and the server answers in Dutch with the field marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apk import services
from apk.models import Score, Trend

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates" / "apk").glob("*.html"))
INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=|<style[\s>]", re.IGNORECASE)


def forms_without_novalidate(html: str) -> list[str]:
    """The APK's own forms (the site's header and search are not the APK's) without novalidate."""
    apk_forms = [tag for tag in re.findall(r"<form\b[^>]*>", html) if "action=" not in tag or "/apk/" in tag]
    return [tag for tag in apk_forms if "novalidate" not in tag]


@pytest.mark.parametrize("template", TEMPLATES, ids=[path.name for path in TEMPLATES])
def test_no_apk_template_has_an_inline_style_or_a_form_the_browser_validates(template):
    text = template.read_text()
    assert not INLINE_STYLE.search(text)
    assert forms_without_novalidate(text) == []


@pytest.fixture
def pages(team, running, opened, phone_factory):
    """Every APK page in the states a session goes through, as (name, html)."""
    leider = team.client_for(team.leider)
    phone, anna = phone_factory(opened, name="Anna", party="bewoners")
    prepared = services.apk_session_create(
        project=team.project, title="Najaar", date="2026-10-01", variant="apk", by=team.leider
    )
    shown = {
        "join": team.client_for(None).get(reverse("apk:join")),
        "join form": team.client_for(None).get(reverse("apk:ballot", args=[opened.code])),
        "phone voting": phone.get(reverse("apk:ballot", args=[opened.code])),
        "screen voting": leider.get(reverse("apk:screen", args=[opened.pk])),
        "session prepared": leider.get(reverse("apk:session", args=[prepared.pk])),
        "remove question": leider.get(
            reverse("apk:question_remove", args=[prepared.pk, prepared.questions.first().pk])
        ),
        "session open": leider.get(reverse("apk:session", args=[opened.pk])),
        "close": leider.get(reverse("apk:close", args=[opened.pk])),
        "delete": leider.get(reverse("apk:delete", args=[opened.pk])),
        "new session": leider.get(reverse("apk:create", args=[team.project.pk])),
        "tab": leider.get(reverse("apk:project", args=[team.project.pk])),
    }
    services.apk_vote_cast(participant=anna, question_id=running.pk, score=Score.ROOD, trend=Trend.GELIJK, comment="Hm")
    services.apk_round_reveal(question=running, by=team.leider)
    shown["screen revealed"] = leider.get(reverse("apk:screen", args=[opened.pk]))
    shown["phone late"] = phone.post(
        reverse("apk:vote", args=[opened.code]), {"question": running.pk, "score": "groen", "trend": "beter"}
    )
    services.apk_session_close(session=opened, by=team.leider)
    shown["report"] = leider.get(reverse("apk:report", args=[opened.pk]))
    return {name: response.content.decode() for name, response in shown.items()}


def test_no_rendered_apk_page_has_an_inline_style_or_a_form_the_browser_validates(pages):
    assert len(pages) == 14
    for name, html in pages.items():
        assert not INLINE_STYLE.search(html), name
        assert forms_without_novalidate(html) == [], name


class TestDutchErrorsOnTheField:
    def test_an_empty_question_marks_the_field(self, team, prepared):
        client = team.client_for(team.facilitator)
        for headers in (HTMX, {}):
            response = client.post(reverse("apk:question_add", args=[prepared.pk]), {"text": ""}, **headers)
            html = response.content.decode()
            assert response.status_code == 200
            field = re.search(r'<input type="text" name="text"[^>]*>', html).group(0)
            assert 'aria-invalid="true"' in field and 'aria-describedby="id_text_error"' in field
            assert '<ul class="errorlist" id="id_text_error"><li>Schrijf de vraag op.</li></ul>' in html
        assert prepared.questions.count() == 6

    def test_a_vote_without_a_score_marks_the_choices(self, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        response = phone.post(reverse("apk:vote", args=[opened.code]), {"question": running.pk, "trend": "gelijk"})
        html = response.content.decode()
        assert response.status_code == 400
        assert '<fieldset class="choices choices--score" aria-describedby="id_score_error">' in html
        assert 'id="id_score_error"><li>Kies groen, oranje of rood.</li>' in html
        assert re.search(r'name="score" value="groen"[^>]*aria-invalid="true"', html)

    def test_an_action_without_owner_and_date_is_refused_in_dutch(self, team, opened):
        client = team.client_for(team.facilitator)
        response = client.post(reverse("apk:action_add", args=[opened.pk]), {"title": "Folder"})
        html = response.content.decode()
        assert 'id="id_owner_error"' in html and 'id="id_due_date_error"' in html
        assert "Dit veld is verplicht." in html
        assert re.search(r'<select name="owner"[^>]*aria-invalid="true"', html)

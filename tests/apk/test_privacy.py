"""No one's vote can be read off a breakdown: a group (a kind of party, or those who did not
say) is shown apart only from APK_MIN_GROUP_VOTES votes, on the report, its heatmap, and
the signatures of anonymous comments on the big screen and in the report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apk import services
from apk.charts import heatmap
from apk.models import Score, Trend
from apk.results import Result, results_of

pytestmark = pytest.mark.django_db

TOO_FEW = "te weinig stemmen om te tonen"


def record(votes: list[tuple[str, str]]) -> dict:
    """A question record with (party, score) votes, as the snapshot holds it."""
    return {
        "id": 1,
        "order": 1,
        "key": "spoor:A",
        "text": "Spoor A",
        "spoor": {"letter": "A", "name": "Bewoners doen mee"},
        "fase": None,
        "asked": True,
        "votes": [
            {"participant": i, "party": party, "score": score, "trend": "gelijk", "comment": ""}
            for i, (party, score) in enumerate(votes)
        ],
    }


def result(votes: list[tuple[str, str]]) -> Result:
    return results_of([record(votes)])[0]


class TestGroupThreshold:
    def test_a_group_of_five_is_shown(self):
        groups = result([("bewoners", "groen")] * 5 + [("gemeente", "rood")] * 5).health_by_party(minimum=5)
        assert groups["bewoners"].health == 100 and not groups["bewoners"].hidden
        assert groups["gemeente"].health == 0 and not groups["gemeente"].hidden

    def test_a_group_of_four_is_hidden(self):
        groups = result([("bewoners", "groen")] * 5 + [("gemeente", "rood")] * 4 + [("corporatie", "rood")] * 5)
        shown = groups.health_by_party(minimum=5)
        assert shown["gemeente"].hidden and shown["gemeente"].health is None
        assert shown["gemeente"].votes == 4

    def test_the_smallest_shown_group_is_hidden_too_when_the_total_would_give_a_small_one_away(self):
        # Everyone: 6 votes. Showing the five bewoners would reveal the one gemeente vote by subtraction.
        groups = result([("bewoners", "groen")] * 5 + [("gemeente", "rood")]).health_by_party(minimum=5)
        assert groups["gemeente"].hidden and groups["bewoners"].hidden

    def test_several_small_groups_together_protect_each_other(self):
        votes = [("bewoners", "groen")] * 5 + [("gemeente", "rood")] * 3 + [("", "oranje")] * 2
        groups = result(votes).health_by_party(minimum=5)
        assert not groups["bewoners"].hidden  # the hidden three and two together are five votes
        assert groups["gemeente"].hidden and groups[""].hidden

    def test_the_minimum_is_a_setting(self):
        groups = result([("bewoners", "groen")] * 2).health_by_party(minimum=2)
        assert groups["bewoners"].health == 100

    def test_the_heatmap_hides_small_groups_in_the_chart_and_the_table(self):
        chart = heatmap([result([("bewoners", "groen")] * 5 + [("gemeente", "rood")] * 4)], {
            "bewoners": "Bewoners", "gemeente": "Gemeente"
        }, minimum=4)  # fmt: skip
        assert [c["health"] for c in chart["rows"][0]["cells"]] == [56, 100, 0]
        chart = heatmap([result([("bewoners", "groen")] * 5 + [("gemeente", "rood")] * 4)], {
            "bewoners": "Bewoners", "gemeente": "Gemeente"
        }, minimum=5)  # fmt: skip
        cells = chart["rows"][0]["cells"]
        assert [c["hidden"] for c in cells] == [False, True, True]
        assert [c["health"] for c in cells] == [56, None, None]
        assert chart["any_hidden"]


def run_session(team, phone_factory, votes: list[tuple[str, str, str]]):
    """A session whose first question got (party, score, comment) votes from anonymous phones."""
    session = services.apk_session_create(
        project=team.project, title="APK", date="2026-03-10", variant="apk", by=team.leider
    )
    session = services.apk_session_open(session=session, by=team.leider)
    question = services.apk_round_open(question=session.questions.first(), by=team.leider)
    for party, score, comment in votes:
        _phone, participant = phone_factory(session, party=party)
        services.apk_vote_cast(
            participant=participant, question_id=question.pk, score=score, trend=Trend.GELIJK, comment=comment
        )
    return session, question


class TestReport:
    def report(self, team, session) -> str:
        services.apk_session_close(session=session, by=team.leider)
        return team.client_for(team.meelezer).get(reverse("apk:report", args=[session.pk])).content.decode()

    def test_four_votes_of_a_party_are_not_shown_apart(self, team, phone_factory):
        votes = [("bewoners", Score.GROEN, "")] * 5 + [("gemeente", Score.ROOD, "")] * 4
        session, _question = run_session(team, phone_factory, votes)
        html = self.report(team, session)
        hidden = f'<td><span class="apk-too-few">{TOO_FEW}</span></td>'
        # The five bewoners are hidden too: everyone minus them would show the four from the gemeente.
        assert f'<th scope="row">A. Bewoners doen mee</th><td>56</td>{hidden}{hidden}</tr>' in html
        assert "Een groep ziet u pas vanaf 5 stemmen" in html

    def test_five_votes_of_each_party_are_shown(self, team, phone_factory):
        votes = [("bewoners", Score.GROEN, "")] * 5 + [("gemeente", Score.ROOD, "")] * 5
        session, _question = run_session(team, phone_factory, votes)
        html = self.report(team, session)
        # Bewoners before Gemeente: columns go by name.
        assert '<th scope="row">A. Bewoners doen mee</th><td>50</td><td>100</td><td>0</td></tr>' in html
        assert TOO_FEW not in html

    def test_with_three_people_one_vote_per_party_is_never_shown(self, team, phone_factory):
        votes = [("gemeente", Score.GROEN, ""), ("bewoners", Score.ROOD, ""), ("netbeheerder", Score.ORANJE, "")]
        session, _question = run_session(team, phone_factory, votes)
        html = self.report(team, session)
        assert '<th scope="row">A. Bewoners doen mee</th><td>50</td>' in html
        assert html.count(f'<span class="apk-too-few">{TOO_FEW}</span>') == 3
        assert ">100</td>" not in html and ">0</td>" not in html  # not in any table cell

    def test_an_anonymous_comment_names_its_party_only_in_a_large_enough_group(self, team, phone_factory, settings):
        votes = [("gemeente", Score.ROOD, "Te weinig geld")] + [("bewoners", Score.GROEN, "")] * 5
        session, _question = run_session(team, phone_factory, votes)
        html = self.report(team, session)
        assert "Te weinig geld" in html
        assert "Anoniem (Gemeente)" not in html and "Anoniem" in html

    def test_the_setting_lowers_the_threshold(self, team, phone_factory, settings):
        settings.APK_MIN_GROUP_VOTES = 1
        votes = [("gemeente", Score.ROOD, "Te weinig geld"), ("bewoners", Score.GROEN, "")]
        session, _question = run_session(team, phone_factory, votes)
        html = self.report(team, session)
        assert "Anoniem (Gemeente)" in html and TOO_FEW not in html


class TestBigScreen:
    def test_an_anonymous_comment_from_a_small_group_is_not_signed_with_its_party(self, team, phone_factory):
        # The gemeente's comment comes last: the big screen shows only the last three comments.
        votes = [("bewoners", Score.GROEN, "")] * 5 + [("netbeheerder", Score.GROEN, "Prima")] * 6
        votes += [("gemeente", Score.ROOD, "Te weinig geld")]
        session, question = run_session(team, phone_factory, votes)
        services.apk_round_reveal(question=question, by=team.leider)
        html = team.client_for(team.leider).get(reverse("apk:screen", args=[session.pk])).content.decode()
        assert "Te weinig geld" in html and "Anoniem (Gemeente)" not in html
        assert "Anoniem (Netbeheerder)" in html

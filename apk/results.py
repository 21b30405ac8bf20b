"""The results of APK rounds, computed from plain records.

A record is the dictionary a question gets in the snapshot (see `question_record`). The live
reveal on the big screen builds one from the database, the report reads them from the
snapshot: both then use the same Result, so a screen and a report never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Question, Score, Trend, Vote

# Points per score; the health of a question is the average, from 0 (all red) to 100 (all green).
POINTS = {Score.GROEN.value: 100, Score.ORANJE.value: 50, Score.ROOD.value: 0}
# A difference with the previous session smaller than this is "about the same".
TREND_THRESHOLD = 10


def question_record(question: Question, votes: Iterable[Vote]) -> dict:
    """A question and its votes as plain data (votes need their participant_id only)."""
    return {
        "id": question.pk,
        "order": question.order,
        "key": question.key,
        "text": question.text,
        "spoor": {"letter": question.spoor.letter, "name": question.spoor.name} if question.spoor_id else None,
        "fase": {"number": question.fase.number, "name": question.fase.name} if question.fase_id else None,
        "asked": question.opened_at is not None,
        "votes": [
            {
                "participant": vote.participant_id,
                "party": vote.participant.party,
                "score": vote.score,
                "trend": vote.trend,
                "comment": vote.comment,
            }
            for vote in votes
        ],
    }


def health_of(scores: list[str]) -> int | None:
    if not scores:
        return None
    return round(sum(POINTS[score] for score in scores) / len(scores))


@dataclass(frozen=True)
class GroupHealth:
    votes: int
    health: int | None  # None when hidden
    hidden: bool  # fewer votes than APK_MIN_GROUP_VOTES (alone or with the other hidden groups)


@dataclass
class Result:
    key: str
    text: str
    number: int  # position in the session, from 1
    spoor: dict | None
    fase: dict | None
    asked: bool
    votes: list[dict] = field(default_factory=list)

    @classmethod
    def from_record(cls, record: dict, number: int) -> Result:
        return cls(
            key=record["key"],
            text=record["text"],
            number=number,
            spoor=record["spoor"],
            fase=record["fase"],
            asked=record["asked"],
            votes=record["votes"],
        )

    @property
    def label(self) -> str:
        if self.spoor:
            return _("Spoor %(letter)s") % {"letter": self.spoor["letter"]}
        if self.fase:
            return _("Fase %(number)s") % {"number": self.fase["number"]}
        return _("Vraag %(number)s") % {"number": self.number}

    @property
    def total(self) -> int:
        return len(self.votes)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(score, label, count) for green, amber and red, in that order."""
        return [(value, label, sum(1 for v in self.votes if v["score"] == value)) for value, label in Score.choices]

    @property
    def trends(self) -> list[tuple[str, str, int]]:
        return [(value, label, sum(1 for v in self.votes if v["trend"] == value)) for value, label in Trend.choices]

    def count(self, score: str) -> int:
        return sum(1 for v in self.votes if v["score"] == score)

    @property
    def health(self) -> int | None:
        return health_of([v["score"] for v in self.votes])

    def group_sizes(self) -> dict[str, int]:
        """How many votes each kind of party gave ("" for those who did not say)."""
        sizes: dict[str, int] = {}
        for vote in self.votes:
            sizes[vote["party"]] = sizes.get(vote["party"], 0) + 1
        return sizes

    def health_by_party(self, *, minimum: int) -> dict[str, GroupHealth]:
        """The health per kind of party, for the groups that are large enough to show.

        A group with fewer than `minimum` votes is hidden, so no one's vote can be read off.
        When the hidden votes together are still fewer than `minimum`, the smallest shown
        groups are hidden too: otherwise the total minus the shown groups gives a small group
        away. Groups without votes are absent.
        """
        sizes = self.group_sizes()
        hidden = {party for party, size in sizes.items() if size < minimum}
        shown = sorted((size, party) for party, size in sizes.items() if party not in hidden)
        while hidden and shown and sum(sizes[party] for party in hidden) < minimum:
            hidden.add(shown.pop(0)[1])
        return {
            party: GroupHealth(
                votes=size,
                health=None if party in hidden else health_of([v["score"] for v in self.votes if v["party"] == party]),
                hidden=party in hidden,
            )
            for party, size in sizes.items()
        }

    @property
    def is_split(self) -> bool:
        """Green and red side by side: the room does not agree, which is worth a short talk."""
        return self.count(Score.GROEN) > 0 and self.count(Score.ROOD) > 0

    @property
    def comments(self) -> list[dict]:
        return [v for v in self.votes if v["comment"]]


def results_of(records: list[dict]) -> list[Result]:
    return [Result.from_record(record, number) for number, record in enumerate(records, start=1)]


def band(health: int | None) -> str:
    """A colour band for a health value, for the heatmap and the bars (CSS classes apk-band-0..4)."""
    if health is None:
        return "none"
    return str(min(4, health // 20))


@dataclass
class Change:
    result: Result
    previous: Result | None

    @property
    def delta(self) -> int | None:
        if self.previous is None or self.result.health is None or self.previous.health is None:
            return None
        return self.result.health - self.previous.health

    @property
    def direction(self) -> str:
        delta = self.delta
        if delta is None:
            return ""
        if delta >= TREND_THRESHOLD:
            return "beter"
        if delta <= -TREND_THRESHOLD:
            return "slechter"
        return "gelijk"


def compare(results: list[Result], previous: list[Result]) -> list[Change]:
    """Each asked question next to the same question (same spoor, fase or text) of the previous session."""
    earlier = {result.key: result for result in previous if result.asked}
    return [Change(result, earlier.get(result.key)) for result in results if result.asked]

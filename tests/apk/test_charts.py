"""Chart labels wrap over lines instead of being cut off, and rows grow with them."""

from __future__ import annotations

import pytest

from apk.charts import LABEL_CHARS, ROW, heatmap, row_label, score_chart, wrap
from apk.results import results_of

pytestmark = pytest.mark.django_db  # the APK tests' cache fixture needs it

LONG = "Werken gemeente, corporatie en bewonersinitiatief goed samen bij het plannen van de avonden?"


def record(text: str, *, spoor=None, votes=1) -> dict:
    return {
        "id": 1,
        "order": 1,
        "key": "vraag:" + text,
        "text": text,
        "spoor": spoor,
        "fase": None,
        "asked": True,
        "votes": [
            {"participant": i, "party": "", "score": "groen", "trend": "gelijk", "comment": ""} for i in range(votes)
        ],
    }


def test_wrap_keeps_every_word():
    lines = wrap(LONG, LABEL_CHARS)
    assert len(lines) > 1 and all(len(line) <= LABEL_CHARS for line in lines)
    assert " ".join(lines) == LONG


def test_the_score_chart_shows_a_long_label_in_full_and_makes_room_for_it():
    results = results_of([record("Kort?"), record(LONG), record("Ook kort?")])
    chart = score_chart(results)
    short, long, after = chart["rows"]
    assert " ".join(line["text"] for line in long["lines"]) == row_label(results[1])
    assert len(short["lines"]) == 1
    assert long["bar_y"] - short["bar_y"] == ROW
    assert after["bar_y"] - long["bar_y"] > ROW  # the long row is higher
    assert chart["height"] >= after["bar_y"] + ROW - 6
    last_line_y = long["lines"][-1]["y"]
    assert last_line_y < after["bar_y"]  # no overlap with the next row


def test_heatmap_heads_and_labels_wrap():
    results = results_of([record(LONG, votes=5)])
    chart = heatmap(results, {}, minimum=5)
    assert " ".join(line["text"] for line in chart["rows"][0]["lines"]) == row_label(results[0])
    assert chart["columns"][1]["full_name"] == "Onbekend"
    chart = heatmap(results_of([{**record("Kort?"), "votes": [
        {"participant": 1, "party": "vve", "score": "groen", "trend": "gelijk", "comment": ""}
    ]}]), {"vve": "Verenigingen van eigenaars"}, minimum=5)  # fmt: skip
    head = chart["columns"][1]["lines"]
    assert len(head) == 2 and " ".join(line["text"] for line in head) == "Verenigingen van eigenaars"
    assert chart["rows"][0]["y"] > head[-1]["y"]  # the rows start below the wrapped heads

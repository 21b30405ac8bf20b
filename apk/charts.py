"""Geometry for the server-rendered SVG charts, and the QR code of a session.

The templates draw; these functions only compute positions and sizes, in SVG user units.
Colours come from CSS classes in static/css/apk.css (never inline styles: the
Content-Security-Policy forbids them), and every chart has a table with the same numbers.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .results import Result, band

ROW = 44  # least height of a row in the bar chart and the heatmap
LINE = 20  # distance between two lines of a wrapped label
LABEL = 300  # width of the label column
LABEL_CHARS = 28  # characters on one line of the label column (17px text in 300 units)
BAR = 600  # width of a bar at 100 %
CELL = 130  # width of a heatmap column
CELL_CHARS = 13  # characters on one line of a heatmap column head (15px text in 130 units)
HIDDEN_CHARS = 11  # characters on one line of a hidden heatmap cell (13px text)
HIDDEN_LINE = 15


def row_label(result: Result) -> str:
    """What a question is about, in a few words: the spoor, the phase, or the question itself."""
    if result.spoor:
        return f"{result.spoor['letter']}. {result.spoor['name']}"
    if result.fase:
        return _("Fase %(number)s: %(name)s") % {"number": result.fase["number"], "name": result.fase["name"]}
    return f"{result.label}: {result.text}"


def wrap(text: str, width: int) -> list[str]:
    """A label over as many lines as it needs: SVG text does not wrap by itself, and a cut-off
    label hides what a row is about."""
    return textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]


def lines_at(lines: list[str], first_y: float, step: float = LINE) -> list[dict]:
    return [{"text": line, "y": round(first_y + i * step, 1)} for i, line in enumerate(lines)]


@dataclass
class Segment:
    score: str
    count: int
    x: float
    width: float

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


def segments(result: Result, *, width: float = BAR, x: float = 0.0) -> list[Segment]:
    parts = []
    for score, _label, count in result.counts:
        w = width * count / result.total if result.total else 0
        parts.append(Segment(score, count, round(x, 1), round(w, 1)))
        x += w
    return parts


def score_chart(results: list[Result]) -> dict:
    """Stacked bars, one per asked question: how many scored green, amber and red.

    A row is as high as its wrapped label; the bar and the numbers stand on its first line.
    """
    rows = []
    y = 0
    for result in (r for r in results if r.asked):
        label = wrap(row_label(result), LABEL_CHARS)
        height = max(ROW, 28 + (len(label) - 1) * LINE + 16)
        rows.append(
            {
                "result": result,
                "lines": lines_at(label, y + 28),
                "bar_y": y + 6,
                "text_y": y + 28,
                "segments": [s for s in segments(result, x=LABEL) if s.count],
            }
        )
        y += height
    return {
        "rows": rows,
        "width": LABEL + BAR + 80,
        "height": max(ROW, y),
        "bar_height": ROW - 12,
        "health_x": LABEL + BAR + 12,
    }


def distribution(result: Result) -> dict:
    """The big-screen chart of one question: a bar per score, as long as its share of the votes."""
    bars = []
    for i, (score, label, count) in enumerate(result.counts):
        share = count / result.total if result.total else 0
        width = round(share * 760, 1)
        bars.append(
            {
                "score": score,
                "label": label.split(":")[0],
                "count": count,
                "y": i * 90 + 10,
                "width": width,
                "text_y": i * 90 + 58,
                "count_x": 240 + width + 16,
            }
        )
    return {"bars": bars, "width": 1100, "height": 280, "bar_x": 240, "label_x": 220}


def heatmap(results: list[Result], parties: dict[str, str], *, minimum: int) -> dict:
    """Rows are the asked questions, columns everyone and then each kind of party that voted.

    A cell shows the health (0 all red .. 100 all green) of that group on that question, or
    "te weinig stemmen om te tonen" when the group is too small to show (see
    Result.health_by_party): `minimum` is settings.APK_MIN_GROUP_VOTES.
    """
    asked = [r for r in results if r.asked]
    used = {v["party"] for r in asked for v in r.votes}
    columns = [(None, _("Iedereen"))]
    # By name: the snapshot's dict of parties has no order of its own on PostgreSQL (jsonb).
    columns += sorted(((slug, name) for slug, name in parties.items() if slug in used), key=lambda column: column[1])
    if "" in used:
        columns.append(("", _("Onbekend")))
    too_few = _("te weinig stemmen om te tonen")
    hidden_lines = wrap(too_few, HIDDEN_CHARS)
    heads = [wrap(name, CELL_CHARS) for _slug, name in columns]
    head_height = 14 + max(len(lines) for lines in heads) * 18
    rows = []
    y = head_height
    for result in asked:
        groups = result.health_by_party(minimum=minimum)
        label = wrap(row_label(result), LABEL_CHARS)
        cells = []
        for j, (slug, _name) in enumerate(columns):
            group = groups.get(slug) if slug is not None else None
            health = result.health if slug is None else (group.health if group else None)
            hidden = bool(group and group.hidden)
            cells.append(
                {
                    "x": LABEL + j * CELL,
                    "health": health,
                    "hidden": hidden,
                    "band": "hidden" if hidden else band(health),
                    "text_x": LABEL + j * CELL + CELL / 2,
                }
            )
        any_hidden = any(cell["hidden"] for cell in cells)
        height = max(
            ROW,
            28 + (len(label) - 1) * LINE + 16,
            (len(hidden_lines) * HIDDEN_LINE + 16) if any_hidden else 0,
        )
        first_hidden_y = y + height / 2 - (len(hidden_lines) - 1) * HIDDEN_LINE / 2 + 4
        rows.append(
            {
                "result": result,
                "lines": lines_at(label, y + 28),
                "full_label": row_label(result),
                "y": y,
                "height": height - 4,
                "text_y": round(y + height / 2 + 4, 1),
                "hidden_lines": lines_at(hidden_lines, first_hidden_y, HIDDEN_LINE),
                "cells": cells,
            }
        )
        y += height
    return {
        "columns": [
            {"lines": lines_at(heads[j], 22, 18), "full_name": name, "x": LABEL + j * CELL + CELL / 2}
            for j, (_slug, name) in enumerate(columns)
        ],
        "rows": rows,
        "too_few": too_few,
        "minimum": minimum,
        "any_hidden": any(cell["hidden"] for row in rows for cell in row["cells"]),
        "width": LABEL + len(columns) * CELL,
        "height": max(y, head_height + ROW),
        "cell_width": CELL - 4,
    }


def qr_svg(url: str) -> SafeString:
    """The join address as a QR code, as inline SVG markup (no data: URI, no inline style)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None
    )
    label = escape(_("QR-code om mee te doen: %(url)s") % {"url": url})
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))

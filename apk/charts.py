"""Geometry for the server-rendered SVG charts, and the QR code of a session.

The templates draw; these functions only compute positions and sizes, in SVG user units.
Colours come from CSS classes in static/css/apk.css (never inline styles: the
Content-Security-Policy forbids them), and every chart has a table with the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .results import Result, band

ROW = 44  # height of a row in the bar chart and the heatmap
LABEL = 300  # width of the label column
BAR = 600  # width of a bar at 100 %
CELL = 130  # width of a heatmap column


def row_label(result: Result) -> str:
    """What a question is about, in a few words: the spoor, the phase, or the question itself."""
    if result.spoor:
        return f"{result.spoor['letter']}. {result.spoor['name']}"
    if result.fase:
        return _("Fase %(number)s: %(name)s") % {"number": result.fase["number"], "name": result.fase["name"]}
    return f"{result.label}: {result.text}"


def short_label(result: Result) -> str:
    """The row label as it fits in the label column of a chart; the table next to it has it in full."""
    return Truncator(row_label(result)).chars(34)


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
    """Stacked bars, one per asked question: how many scored green, amber and red."""
    rows = []
    for i, result in enumerate(r for r in results if r.asked):
        rows.append(
            {
                "result": result,
                "label": short_label(result),
                "y": i * ROW,
                "bar_y": i * ROW + 6,
                "text_y": i * ROW + ROW / 2 + 6,
                "segments": [s for s in segments(result, x=LABEL) if s.count],
            }
        )
    return {
        "rows": rows,
        "width": LABEL + BAR + 80,
        "height": max(1, len(rows)) * ROW,
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


def heatmap(results: list[Result], parties: dict[str, str]) -> dict:
    """Rows are the asked questions, columns everyone and then each kind of party that voted.

    A cell shows the health (0 all red .. 100 all green) of that group on that question.
    """
    asked = [r for r in results if r.asked]
    used = {v["party"] for r in asked for v in r.votes}
    columns = [(None, _("Iedereen"))]
    columns += [(slug, name) for slug, name in parties.items() if slug in used]
    if "" in used:
        columns.append(("", _("Onbekend")))
    rows = []
    for i, result in enumerate(asked):
        cells = []
        for j, (slug, _name) in enumerate(columns):
            health = result.health if slug is None else result.health_for(slug)
            cells.append(
                {"x": LABEL + j * CELL, "health": health, "band": band(health), "text_x": LABEL + j * CELL + CELL / 2}
            )
        rows.append(
            {
                "result": result,
                "label": short_label(result),
                "full_label": row_label(result),
                "y": 40 + i * ROW,
                "text_y": 40 + i * ROW + ROW / 2 + 6,
                "cells": cells,
            }
        )
    return {
        "columns": [
            {"name": Truncator(name).chars(14), "full_name": name, "x": LABEL + j * CELL + CELL / 2}
            for j, (_slug, name) in enumerate(columns)
        ],
        "rows": rows,
        "width": LABEL + len(columns) * CELL,
        "height": 40 + max(1, len(rows)) * ROW,
        "cell_width": CELL - 4,
        "cell_height": ROW - 4,
    }


def qr_svg(url: str) -> SafeString:
    """The join address as a QR code, as inline SVG markup (no data: URI, no inline style)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None
    )
    label = escape(_("QR-code om mee te doen: %(url)s") % {"url": url})
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))

"""A short piece of text around the first hit of a search, for the results page."""

from __future__ import annotations

import re
from typing import NamedTuple

WIDTH = 80  # characters on either side of the hit


class Snippet(NamedTuple):
    before: str
    hit: str
    after: str


def plain(markdown: str) -> str:
    """Markdown as one line of plain text: good enough to quote a few words from."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # [text](url) -> text
    text = re.sub(r"[*_`]+|^\s*(?:#+|>|\d+\.|[-+])\s+", "", text, flags=re.MULTILINE)
    return " ".join(text.split())


def snippet_of(texts: list[str], query: str) -> Snippet | None:
    """The first hit of a word of `query` (also as the start of a longer word) in `texts`, with
    some words around it; None when no text holds one."""
    words = [re.escape(word) for word in re.findall(r"\w+", query)]
    if not words:
        return None
    pattern = re.compile(r"\w*(?:" + "|".join(words) + r")\w*", re.IGNORECASE)
    for text in texts:
        text = plain(text)
        found = pattern.search(text)
        if found:
            start, end = found.span()
            before = text[max(0, start - WIDTH) : start]
            if start > WIDTH:
                before = "…" + before.split(" ", 1)[-1]
            after = text[end : end + WIDTH]
            if len(text) > end + WIDTH:
                after = after.rsplit(" ", 1)[0] + "…"
            return Snippet(before, found.group(), after)
    return None

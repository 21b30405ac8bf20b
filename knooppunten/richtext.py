"""Markdown that editors write, rendered to HTML that is safe to show to everyone.

Editors are trusted to write content, not to run code in a visitor's browser: the HTML that
Markdown produces goes through nh3 with a strict allow-list, so scripts, styles, event
handlers and javascript: links never reach the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "h3", "h4", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)


_TAG = re.compile(r"(<[^>]+>)")

# Short glossary words such as "fase" or "spoor" mostly appear in their everyday sense
# ("de analyse uit fase 2"); linking each of them to the glossary is noise. Abbreviations
# (WUP, VvE, HT) always mean the term, however short.
MIN_TERM_LENGTH = 6


def is_linkable(word: str) -> bool:
    return len(word) >= MIN_TERM_LENGTH or any(char.isupper() for char in word[1:])


def link_terms(html: str, terms: Iterable[tuple[str, str, str]], seen: set[str]) -> SafeString:
    """Link the first use of each glossary term in sanitised HTML to its definition.

    `terms` holds (word, url, definition) tuples; `seen` is shared between the sections of
    one page so a term is linked once per page, not once per paragraph. Text inside links
    and headings is left alone, and so are short everyday words (see `is_linkable`).
    """
    by_word = {word.lower(): (url, definition) for word, url, definition in terms if is_linkable(word)}
    if not by_word:
        return mark_safe(html)
    words = sorted(by_word, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)

    def replace(match: re.Match) -> str:
        word = match.group(0)
        key = word.lower()
        url, definition = by_word[key]
        if url in seen:
            return word
        seen.add(url)
        return f'<a class="begrip" href="{escape(url)}" title="{escape(definition)}">{word}</a>'

    parts = _TAG.split(html)
    inside = 0  # depth of <a>, <h3> and <h4> elements we are in
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?\s*(\w+)", part)
            if name and name.group(1).lower() in {"a", "h3", "h4", "code"}:
                inside += -1 if part.startswith("</") else 1
        elif part and inside == 0:
            parts[index] = pattern.sub(replace, part)
    return mark_safe("".join(parts))

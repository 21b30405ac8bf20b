from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from knooppunten.richtext import link_terms, render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def rich_text(context, text: str) -> SafeString:
    """Markdown with glossary terms linked; the view puts `glossary_terms` in the context."""
    terms = context.get("glossary_terms", ())
    seen = context.render_context.setdefault("linked_terms", set())
    return link_terms(render_markdown(text), terms, seen)

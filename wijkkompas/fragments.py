"""Page fragments that are expensive to render and shown again and again, such as the 96
cards of a project's kompas, cached as HTML.

A fragment is cached under a fingerprint of everything it shows (see `fingerprint`): when a
status, a title or the language changes, so does the key. A cached fragment is therefore
never stale, and a cache in each process (the "fragments" cache) is enough, also with
several app instances.

A form in a fragment needs the visitor's own CSRF token, which must never be shared: the
fragment is rendered with a placeholder, and the token is put in on the way out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

CSRF_PLACEHOLDER = "__csrf_token_placeholder__"


def fingerprint(*parts) -> str:
    """A short key for plain data (numbers, strings, tuples and lists of them)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cached_html(cache_key: str, render: Callable[[], str], *, cache: str = "fragments") -> SafeString:
    """The HTML the cache holds under `cache_key`; `render` makes it when it holds none. `render`
    must put CSRF_PLACEHOLDER where a CSRF token goes. Page bodies of a hundred KB or more go in
    the "pages" cache, so they are not counted with the small parts."""
    store = caches[cache]
    html = store.get(cache_key)
    if html is None:
        html = render()
        store.set(cache_key, html)
    return mark_safe(html)


def cached(template_name: str, context: dict | Callable[[], dict], *, key: str, cache: str = "fragments") -> SafeString:
    """The rendered template (or partial), from the fragments cache when it holds it under `key`,
    with the CSRF placeholder still in it (`finish` puts the visitor's token in).

    The template is rendered without the request: only `context` may decide what it shows.
    `context` may be a function, called only when the fragment has to be rendered.
    """

    def render() -> str:
        values = context() if callable(context) else context
        return render_to_string(template_name, {**values, "csrf_token": CSRF_PLACEHOLDER})

    return cached_html(f"{template_name}:{key}", render, cache=cache)


def finish(request: HttpRequest | None, html: str) -> SafeString:
    """Cached HTML for this visitor: with their own CSRF token in its forms. Without a request
    (a fragment inside another cached fragment) the placeholder stays for the outer one."""
    if request is not None and CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)


def render_cached(
    request: HttpRequest, template_name: str, context: dict | Callable[[], dict], *, key: str
) -> SafeString:
    """`cached`, ready for this visitor."""
    return finish(request, cached(template_name, context, key=key))

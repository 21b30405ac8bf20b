"""Slow down guessing of join codes: per client address, a limited number of wrong codes in
ten minutes (APK_WRONG_CODES_PER_10_MIN). A participant who already joined is never slowed
down: their phone proves itself with a cookie and does not look codes up.

The count lives in Django's cache, so every app instance sees it when the cache is shared.
The client address is the one allauth's login rate limits use, so a reverse proxy is set up
once for both (ALLAUTH_TRUSTED_PROXY_COUNT or ALLAUTH_TRUSTED_CLIENT_IP_HEADER).
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 10 * 60


def _key(request: HttpRequest) -> str:
    return "apk:wrong-codes:" + get_adapter(request).get_client_ip(request)


def is_blocked(request: HttpRequest) -> bool:
    return (cache.get(_key(request)) or 0) >= settings.APK_WRONG_CODES_PER_10_MIN


def count_wrong_code(request: HttpRequest) -> None:
    key = _key(request)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)

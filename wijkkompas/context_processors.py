from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def theme(request: HttpRequest) -> dict[str, str]:
    """The house style for base.html: its token file and the theme class on <html>."""
    return {"WIJKKOMPAS_THEME": settings.WIJKKOMPAS_THEME}

"""The NL Design System look: vendored CSS with its licence, a theme chosen by a setting,
/favicon.ico and the touch icon."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .support import load_production_settings

VENDOR = settings.BASE_DIR / "static" / "vendor" / "@utrecht" / "component-library-css"


def test_the_component_css_is_vendored_with_its_licence():
    assert (VENDOR / "index.css").stat().st_size > 100_000
    assert "EUROPEAN UNION PUBLIC LICENCE" in (VENDOR / "LICENSE.md").read_text()
    pinned = re.search(
        r'"@utrecht/component-library-css@([\d.]+)"', (settings.BASE_DIR / "scripts" / "vendor_nlds.sh").read_text()
    )
    assert pinned and pinned.group(1) in (VENDOR / "VERSION.txt").read_text()


@pytest.mark.django_db
class TestTheme:
    def test_the_default_theme_is_wijkkompas(self, client):
        html = client.get("/begrippen/").content.decode()
        assert 'class="wijkkompas-theme"' in html
        assert "/static/themes/wijkkompas.css" in html
        assert (
            html.index("component-library-css/index.css")
            < html.index("themes/wijkkompas.css")
            < html.index("css/site.css")
        )

    def test_the_setting_switches_the_token_file(self, client, settings):
        settings.WIJKKOMPAS_THEME = "voorbeeldstad"
        html = client.get("/begrippen/").content.decode()
        assert 'class="voorbeeldstad-theme"' in html
        assert "/static/themes/voorbeeldstad.css" in html and "themes/wijkkompas.css" not in html

    def test_every_theme_sets_its_basis_tokens_on_its_own_class(self):
        for name in ("wijkkompas", "voorbeeldstad"):
            css = (settings.BASE_DIR / "static" / "themes" / f"{name}.css").read_text()
            assert f".{name}-theme {{" in css
            assert "--basis-color-action-1-inverse-bg-default" in css and "--basis-text-font-family-default" in css

    def test_an_unknown_theme_stops_the_site_with_a_clear_message(self):
        with pytest.raises(ImproperlyConfigured, match="WIJKKOMPAS_THEME must name a file in static/themes/"):
            load_production_settings(WIJKKOMPAS_THEME="../geheim")


@pytest.mark.django_db
class TestIcons:
    def test_favicon_ico_is_served(self, client):
        response = client.get("/favicon.ico")
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file

    def test_the_touch_icon_is_a_180_px_png(self, client):
        response = client.get("/apple-touch-icon.png")
        assert response.status_code == 200
        png = b"".join(response.streaming_content)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == 180 and int.from_bytes(png[20:24], "big") == 180

    def test_pages_point_to_both(self, client):
        html = client.get("/begrippen/").content.decode()
        assert 'href="/favicon.ico"' in html and 'href="/apple-touch-icon.png"' in html

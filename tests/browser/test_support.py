"""The checks the browser tests rely on can fail: axe-core reports what it should."""

from __future__ import annotations

import pytest

from .support import assert_accessible, new_page


def test_the_accessibility_check_reports_violations_and_passes_a_clean_page(browser, axe):
    page = new_page(browser)
    page.set_content(
        '<html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1>'
        '<img src="kaart.png"><p style="color: #eee; background: #fff">Licht grijs</p></main></body></html>'
    )
    with pytest.raises(AssertionError) as found:
        assert_accessible(axe, page)
    assert "image-alt" in str(found.value) and "color-contrast" in str(found.value)

    page.set_content('<html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1></main></body></html>')
    assert_accessible(axe, page)
    page.context.close()

"""Helpers for the browser tests."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from tests.conftest import totp_code


def assert_accessible(axe, page) -> None:
    """No serious or critical WCAG 2.1 A/AA violation on the page as it is now."""
    # axe-core goes into a page once (checks at two widths share it), and only violations come
    # back: the details of every rule that passed double axe-core's time.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)
    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"],
    }
    results = page.evaluate("options => axe.run(document, options)", options)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == [], f"axe-core found on {page.url}:\n" + "\n".join(violations)


def login(page, live_server, email: str, password: str, totp_secret: str | None = None) -> None:
    """Log in as a person would; with `totp_secret`, also type the code from the authenticator app."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if totp_secret:
        page.locator("input[name=code]").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Inloggen").click()
    # Wait for the page after the login, not for the login page that is still loaded: a test
    # that goes on at once could otherwise send its next request before the login's cookie is in.
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/2fa/" not in url)


WIDTHS = [(390, 844), (1366, 900)]
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
# `make screenshots` sets this to save what the browser tests see; without it they only check.
TAKE_SCREENSHOTS = os.environ.get("WIJKKOMPAS_SCREENSHOTS") == "1"
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} at ${event.sourceFile}:${event.lineNumber}`);
});
"""
TOO_WIDE = """
[...document.querySelectorAll("body *")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-5)
  .map((element) => `${element.tagName}.${element.className} ${Math.round(element.getBoundingClientRect().right)}`)
"""


def watch(page, errors: list[str]) -> None:
    """Collect console errors (a Content-Security-Policy violation is one) and script errors."""
    page.on("console", lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))


def new_page(browser, errors: list[str] | None = None, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    # Chromium logs a CSP violation on the console; this also reports ones it would only count.
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    if errors is not None:
        watch(page, errors)
    return page


def check_at_both_widths(page, axe, name: str) -> None:
    """At 390x844 and 1366x900: no horizontal overflow, axe-core clean (and a screenshot, with
    `make screenshots`)."""
    before = page.viewport_size
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width}px is {overflow}px too wide: " + str(page.evaluate(TOO_WIDE))
        assert_accessible(axe, page)
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size(before)


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """Save the page as docs/screenshots/<name>.png, when screenshots are asked for."""
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

"""Helpers for the browser tests."""

from __future__ import annotations

from tests.conftest import totp_code


def assert_accessible(axe, page) -> None:
    """No serious or critical WCAG 2.1 A/AA violation on the page as it is now."""
    results = axe.run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == [], f"axe-core found on {page.url}:\n" + "\n".join(violations)


def login(page, live_server, email: str, password: str, totp_secret: str | None = None) -> None:
    """Log in as a person would; with `totp_secret`, also type the code from the authenticator app."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    if totp_secret:
        page.locator("input[name=code]").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_load_state()

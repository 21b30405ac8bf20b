"""A member turns on two-factor login from Mijn account, in a real Chromium with the
Content-Security-Policy in force."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.conftest import totp_code

from .support import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def member(django_user_model):
    user = django_user_model.objects.create_user(email="mila@example.org", password="wijk-wachtwoord-2026")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_a_member_turns_on_two_factor_login(page, live_server, member, axe):
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    login(page, live_server, "mila@example.org", "wijk-wachtwoord-2026")

    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    assert_accessible(axe, page)
    # "Uitloggen" is a button in the header: it must read like the header's links, not vanish
    # into the band in the colour of a link on white.
    link_colour = (
        page.locator(".site-nav")
        .get_by_role("link", name="Mijn account")
        .evaluate("link => getComputedStyle(link).color")
    )
    expect(page.get_by_role("button", name="Uitloggen")).to_have_css("color", link_colour)

    page.get_by_role("link", name="Inloggen in twee stappen instellen").click()
    page.get_by_role("link", name="Activeer").first.click()
    page.get_by_label("Wachtwoord").fill("wijk-wachtwoord-2026")  # allauth asks again before this step
    page.get_by_role("button", name="Bevestigen").click()

    qr = page.locator("img[src^='data:image/svg+xml']")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0  # the policy allows the data: image
    secret = qr.get_attribute("alt")  # allauth shows the secret as the QR code's text alternative
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("input[name=code]").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Herstelcodes")
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    assert blocked == []

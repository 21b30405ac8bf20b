"""People have names: signup asks for one, Mijn account changes it (and the weekly digest
opt-out), and the pages show it instead of the email address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User


@pytest.mark.django_db
class TestSignup:
    def post(self, client, **data):
        return client.post(
            reverse("account_signup"),
            {
                "email": "noor@example.org",
                "password1": "een-heel-lang-wachtwoord",
                "password2": "een-heel-lang-wachtwoord",
                **data,
            },
        )

    def test_it_asks_for_a_name_and_keeps_it(self, client):
        html = client.get(reverse("account_signup")).content.decode()
        assert "Voornaam" in html and "Achternaam" in html
        self.post(client, first_name=" Noor ", last_name="Bakker")
        user = User.objects.get(email="noor@example.org")
        assert (user.first_name, user.last_name, user.display_name) == ("Noor", "Bakker", "Noor Bakker")

    def test_without_a_name_nobody_signs_up(self, client):
        html = self.post(client, first_name="").content.decode()
        assert "Vul uw voornaam in." in html
        assert not User.objects.filter(email="noor@example.org").exists()


@pytest.mark.django_db
class TestMijnAccount:
    def test_a_user_changes_their_name_and_turns_the_digest_off(self, member_client, member):
        response = member_client.post(
            reverse("accounts:account"), {"first_name": "Mila", "last_name": "Jansen"}, follow=True
        )
        assert "Uw gegevens zijn opgeslagen." in response.content.decode()
        member.refresh_from_db()
        assert member.display_name == "Mila Jansen" and member.wants_digest is False

    def test_an_empty_name_changes_nothing(self, member_client, member):
        html = member_client.post(
            reverse("accounts:account"), {"first_name": " ", "wants_digest": "on"}
        ).content.decode()
        assert "Vul uw voornaam in." in html
        member.refresh_from_db()
        assert member.first_name == "Mila"

    def test_display_name_falls_back_to_the_email(self, db):
        assert User(email="x@example.org").display_name == "x@example.org"

"""A member: an ordinary user with a verified email address, who logs in with a password."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

MEMBER_PASSWORD = "wijk-wachtwoord-2026"


@pytest.fixture
def member(db, django_user_model):
    user = django_user_model.objects.create_user(
        email="mila.bewoner@example.org", password=MEMBER_PASSWORD, first_name="Mila", last_name="de Vries"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(client: Client, email: str, password: str) -> None:
    """Through allauth's login form, as a person would."""
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


def confirm_password(client: Client, password: str) -> None:
    """allauth asks for the password again before sensitive steps (export, delete, two-factor)."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def member_client(member) -> Client:
    """The member, who has just entered the password again."""
    client = Client()
    log_in(client, member.email, MEMBER_PASSWORD)
    confirm_password(client, MEMBER_PASSWORD)
    return client

"""{% cachedfragment %}: parts of a page cached as HTML, with each visitor's own CSRF token."""

from __future__ import annotations

import re

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FRAGMENT = Template(
    '{% load fragments %}{% cachedfragment "greeting" name %}'
    "<form>{% csrf_token %}Hallo {{ name }} {{ other }}</form>{% endcachedfragment %}"
)


def render(**context) -> str:
    return FRAGMENT.render(RequestContext(RequestFactory().get("/"), context))


def test_a_fragment_is_rendered_once_per_value_it_varies_on():
    assert "Hallo Anna 1" in render(name="Anna", other=1)
    assert "Hallo Anna 1" in render(name="Anna", other=2)  # `other` is not among its values: cached
    assert "Hallo Bram 2" in render(name="Bram", other=2)


def test_every_visitor_gets_their_own_csrf_token():
    first, second = render(name="Anna"), render(name="Anna")
    assert TOKEN.findall(first) and TOKEN.findall(second)
    assert TOKEN.findall(first) != TOKEN.findall(second)
    assert "placeholder" not in first + second


def test_a_missing_value_turns_caching_off():
    assert "Hallo  1" in render(other=1)
    assert "Hallo  2" in render(other=2)


def test_without_a_request_the_placeholder_is_left_for_the_outer_cache():
    html = FRAGMENT.render(Context({"name": "Anna"}))
    assert "__csrf_token_placeholder__" in html


@pytest.mark.django_db
def test_the_site_header_follows_the_login(client, editor):
    assert "Inloggen" in client.get(reverse("navigator:overview")).content.decode()
    client.force_login(editor)
    html = client.get(reverse("navigator:overview")).content.decode()
    assert "Inloggen" not in html and "Uitloggen" in html and "Beheer" in html

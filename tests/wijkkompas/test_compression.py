"""Pages travel gzipped when the client accepts it, and plain when it does not."""

from __future__ import annotations

import gzip

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_overview(kompas):
    kompas.add_many(48)
    return reverse("navigator:overview")


def test_a_large_page_is_gzipped_when_the_client_accepts_it(client, large_overview):
    plain = client.get(large_overview)
    compressed = client.get(large_overview, headers={"accept-encoding": "gzip, deflate, br"})

    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    html = gzip.decompress(compressed.content).decode()
    assert "Knooppunt 6.57" in html and html.rstrip().endswith("</html>")
    assert len(compressed.content) < len(plain.content) / 4


def test_a_page_is_sent_plain_to_a_client_that_does_not_accept_gzip(client, large_overview):
    for headers in ({}, {"accept-encoding": "identity"}):
        response = client.get(large_overview, headers=headers)
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding")
        assert "Knooppunt 6.57" in response.content.decode()
        assert "Accept-Encoding" in response["Vary"]  # a shared cache keeps the two apart


def test_compression_sits_outside_the_middleware_that_writes_pages_and_after_whitenoise():
    middleware = settings.MIDDLEWARE
    gzip_at = middleware.index("django.middleware.gzip.GZipMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip_at
    assert gzip_at < middleware.index("csp.middleware.CSPMiddleware")
    assert gzip_at < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")

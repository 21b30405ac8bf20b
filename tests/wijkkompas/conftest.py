from __future__ import annotations

import pytest

from .support import production_settings


@pytest.fixture(scope="session")
def production() -> dict:
    """Settings as production sees them with only the required variables set."""
    return production_settings(
        "DATABASES",
        "CACHES",
        "STORAGES",
        "MEDIA_ROOT",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        WIJKKOMPAS_MEDIA_ROOT="/srv/wijkkompas/uploads",
    )

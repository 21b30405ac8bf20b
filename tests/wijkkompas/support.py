"""Wijkkompas with production environment variables, in this process.

Settings are read once at import. `load_production_settings` executes the settings module afresh
with production variables, which leaves this process's own settings alone; `as_production` then
puts its values in force with override_settings, for deploy checks and real requests. Only what
a test process must keep of its own (its database, caches, static files, logging) is kept.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from django.conf import settings
from django.test import override_settings

BASE_DIR = Path(settings.BASE_DIR)
HOST = "wijkkompas.example.nl"

# Variables that may be set on a developer's machine or in CI and would change the outcome.
ISOLATED = (
    "DATABASE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests set it in this process
)


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ISOLATED}
    env.update(
        DJANGO_SETTINGS_MODULE="wijkkompas.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL="postgres://wijkkompas@127.0.0.1:5432/wijkkompas",
        PYTHONPATH=os.pathsep.join(filter(None, [str(BASE_DIR), os.environ.get("PYTHONPATH")])),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@contextmanager
def environment(variables: dict[str, str]) -> Iterator[None]:
    """Exactly these environment variables in this process for the duration."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(variables)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def load_production_settings(**env: str | None) -> ModuleType:
    """wijkkompas/settings.py executed afresh with production_env(**env), as a production process
    reads it at start-up. Raises what the settings raise (ImproperlyConfigured)."""
    with environment(production_env(**env)):
        spec = importlib.util.spec_from_file_location("production_settings", BASE_DIR / "wijkkompas" / "settings.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def production_settings(*names: str, **env: str | None) -> dict:
    """The values of some settings as production would see them."""
    module = load_production_settings(**env)
    return {name: getattr(module, name, None) for name in names}


# What a test process keeps of its own: its test database and caches, its static files
# (production's manifest is made by collectstatic), where it writes and logs, and its apps.
KEPT = {
    "BASE_DIR",
    "VAR_DIR",
    "DATABASES",
    "CACHES",
    "STORAGES",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "LOGGING",
    "INSTALLED_APPS",
}


@contextmanager
def as_production(**env: str | None) -> Iterator[ModuleType]:
    """Every setting that production (production_env(**env)) gives another value than this test
    process has, except KEPT, and the production environment variables, in force for the duration."""
    production = load_production_settings(**env)
    missing = object()
    changed = {
        name: getattr(production, name)
        for name in dir(production)
        if name.isupper() and name not in KEPT and getattr(settings, name, missing) != getattr(production, name)
    }
    assert {"SECRET_KEY", "ALLOWED_HOSTS"} <= set(changed)  # production is really in force
    # Some checks read the environment too (async.E001: DJANGO_ALLOW_ASYNC_UNSAFE).
    with environment(production_env(**env)), override_settings(**changed):
        yield production

"""Run Wijkkompas in a fresh Python process with production environment variables.

Settings are read once at import, so production behaviour (DEBUG off, HSTS, secure cookies)
can only be seen honestly in a process of its own.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

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


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def production_settings(*names: str, prelude: str = "", **env: str | None) -> dict:
    """The values of some settings as production would see them."""
    code = (
        f"{prelude}\n"
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}, default=str))\n"
    )
    result = run_python(code, production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])

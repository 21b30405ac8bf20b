"""`manage.py wait_for_db` runs before gunicorn in `make serve`: an unreachable database
gives a clear message and a non-zero exit, not a hang."""

from __future__ import annotations

import os
import time

import pytest
from django.core.management import call_command

from .support import run_manage


def test_an_unreachable_database_stops_the_start_with_a_clear_message():
    env = {**os.environ, "DATABASE_URL": "postgres://wijkkompas@127.0.0.1:9/wijkkompas"}
    started = time.monotonic()
    result = run_manage("wait_for_db", "--timeout", "1", env=env)
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert "The database wijkkompas at 127.0.0.1:9 is not reachable after 1 seconds." in result.stderr
    assert "Check DATABASE_URL and whether PostgreSQL is running." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_a_reachable_database_is_reported(capsys):
    call_command("wait_for_db", timeout=1)
    assert "is reachable" in capsys.readouterr().out

from __future__ import annotations

import pytest
from django.core.management import call_command

from apk.demo import DEMO_TITLE
from apk.models import ApkSession, State

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_one_closed_apk_session_once(kompas, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    session = ApkSession.objects.get()
    assert (session.title, session.state, session.project.name) == (DEMO_TITLE, State.GESLOTEN, "Bloemenbuurt")
    questions = session.snapshot.data["questions"]
    assert len(questions) == 6 and all(len(q["votes"]) == 10 for q in questions)
    assert session.actions.count() == 1

"""A closed demo APK session, so a new installation shows a real report (used by seed_demo).

Every name here is fictional. Running it again changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from knooppunten.models import Knooppunt
from projects.models import Project

from . import services
from .models import ApkSession, Score, Trend, Variant

DEMO_TITLE = "APK voorjaar (demo)"

# (name, party) of the demo participants; an empty name is someone who joined anonymously.
PEOPLE = [
    ("Anna", "bewoners"),
    ("", "bewoners"),
    ("Bram", "gemeente"),
    ("Chris", "woningcorporatie"),
    ("", "netbeheerder"),
    ("Dewi", "bewonersinitiatief"),
    ("", ""),
    ("Eva", "gemeente"),
    ("Farid", "bewoners"),
    ("", "woningcorporatie"),
]
GR, OR, RD = Score.GROEN, Score.ORANJE, Score.ROOD
# Scores per spoor A..F, one per person above: A goes well, B and D are split, F is worrying.
SCORES = {
    "A": [GR, GR, GR, OR, GR, GR, OR, GR, GR, GR],
    "B": [GR, RD, OR, GR, OR, RD, GR, OR, RD, GR],
    "C": [OR, OR, GR, OR, OR, OR, GR, OR, RD, OR],
    "D": [RD, RD, OR, GR, OR, RD, RD, OR, RD, GR],
    "E": [OR, OR, OR, GR, OR, RD, OR, OR, OR, GR],
    "F": [RD, OR, RD, OR, RD, RD, OR, RD, OR, OR],
}
TRENDS = [Trend.BETER, Trend.GELIJK, Trend.GELIJK, Trend.SLECHTER, Trend.BETER]
COMMENTS = {
    ("A", 0): "De bewonersavond was goed bezocht.",
    ("B", 1): "Van de verhuurders horen we weinig.",
    ("B", 3): "De corporatie doet actief mee.",
    ("D", 0): "Veel buren vragen wat het hen gaat kosten.",
    ("F", 4): "Het net in de wijk is nog niet klaar voor meer warmtepompen.",
}


@transaction.atomic
def seed_apk_demo(project: Project, *, by) -> ApkSession | None:
    if ApkSession.objects.filter(project=project, title=DEMO_TITLE).exists():
        return None
    session = services.apk_session_create(
        project=project,
        title=DEMO_TITLE,
        date=timezone.localdate() - timedelta(days=14),
        variant=Variant.APK,
        by=by,
    )
    session = services.apk_session_open(session=session, by=by)
    participants = [
        services.apk_participant_join(session=session, display_name=name, party=party) for name, party in PEOPLE
    ]
    for question in session.questions.select_related("spoor"):
        letter = question.spoor.letter if question.spoor else "A"
        services.apk_round_open(question=question, by=by)
        for i, participant in enumerate(participants):
            services.apk_vote_cast(
                participant=participant,
                question_id=question.pk,
                score=SCORES.get(letter, SCORES["A"])[i],
                trend=TRENDS[i % len(TRENDS)],
                comment=COMMENTS.get((letter, i), ""),
            )
        services.apk_round_reveal(question=question, by=by)
    services.apk_action_record(
        session=session,
        title="Informatieavond over de kosten van de overstap",
        owner=by,
        due_date=timezone.localdate() + timedelta(days=45),
        knooppunt=Knooppunt.objects.published().filter(code="1.04").first(),
        by=by,
    )
    services.apk_session_close(session=session, by=by)
    return session

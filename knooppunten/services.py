"""Workflows of the kompas content that touch several models or send email. Forms validate;
these functions execute.

"Deel uw ervaring": a logged-in user shares a practice story (`verhaal_submit`); it waits in
the editors' queue in the admin as ingediend, an editor takes it up, edits it and publishes or
refuses it. The submitter gets an email for both decisions, once the decision is committed.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Bron, Knooppunt, Praktijkverhaal, Tip, VerhaalStatus

SUBMISSION_WINDOW = timedelta(hours=1)


def _content(row: Tip | Bron) -> dict:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name != "updated_at"}


@transaction.atomic
def knooppunt_restore_children(*, knooppunt: Knooppunt, at: datetime) -> None:
    """Puts a knooppunt's tips and bronnen back as they were at `at`, from their own history
    tables. A row with no history before `at` is removed only when its history says it was
    added after `at`: rows made before history was kept stay."""
    for model in (Tip, Bron):
        then = {row.pk: row for row in model.history.as_of(at).filter(knooppunt_id=knooppunt.pk)}
        now = {row.pk: row for row in model.objects.filter(knooppunt_id=knooppunt.pk)}
        added_later = set(
            model.history.filter(knooppunt_id=knooppunt.pk, history_type="+", history_date__gt=at).values_list(
                "id", flat=True
            )
        )
        for pk in (now.keys() - then.keys()) & added_later:
            now[pk].delete()
        for pk, row in then.items():
            if pk not in now or _content(row) != _content(now[pk]):
                row.save()


def submission_slug(title: str) -> str:
    """A slug that shipped content never uses: the random tail keeps load_kompas, which finds
    shipped stories by slug, from ever taking over a shared story."""
    return f"{slugify(title)[:70].strip('-') or 'verhaal'}-{secrets.token_hex(3)}"


@transaction.atomic
def verhaal_submit(
    *,
    by,
    title: str,
    place: str,
    story: str,
    lessons: str,
    knooppunten: list[Knooppunt],
    author_name: str = "",
) -> Praktijkverhaal:
    """Put a shared story in the editors' queue, unless the user shared the maximum this hour
    (settings.ERVARINGEN_PER_UUR). The user's row is locked while counting, so two submissions
    at the same moment cannot both slip under the limit."""
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()
    now = timezone.now()
    limit = settings.ERVARINGEN_PER_UUR
    if Praktijkverhaal.objects.submitted_since(by, now - SUBMISSION_WINDOW).count() >= limit:
        raise ValidationError(
            ngettext(
                "U heeft in het afgelopen uur al %(limit)s verhaal gedeeld. Probeer het over een uur opnieuw.",
                "U heeft in het afgelopen uur al %(limit)s verhalen gedeeld. Probeer het over een uur opnieuw.",
                limit,
            )
            % {"limit": limit}
        )
    verhaal = Praktijkverhaal(
        slug=submission_slug(title),
        title=title,
        place=place,
        story=story,
        lessons=lessons,
        status=VerhaalStatus.INGEDIEND,
        submitted_by=by,
        submitted_at=now,
        author_name=author_name,
    )
    verhaal._history_user = by
    verhaal.save(force_insert=True)
    verhaal.knooppunten.set(knooppunten)
    return verhaal


def _set_status(verhaal: Praktijkverhaal, status: str, *, by, decided: bool, also: tuple[str, ...] = ()) -> None:
    verhaal.status = status
    fields = ["status", "updated_at", *also]
    if decided:
        verhaal.decided_at = timezone.now()
        fields.append("decided_at")
    verhaal._history_user = by  # simple-history: who made this change
    verhaal.save(update_fields=fields)


@transaction.atomic
def verhaal_take_up(*, verhaal: Praktijkverhaal, by) -> Praktijkverhaal:
    """An editor starts on the story; a published story goes off the site until it is published again."""
    if verhaal.status == VerhaalStatus.IN_BEHANDELING:
        raise ValidationError(_("Dit verhaal is al in behandeling."))
    _set_status(verhaal, VerhaalStatus.IN_BEHANDELING, by=by, decided=False)
    return verhaal


@transaction.atomic
def verhaal_publish(*, verhaal: Praktijkverhaal, by) -> Praktijkverhaal:
    if verhaal.status == VerhaalStatus.GEPUBLICEERD:
        raise ValidationError(_("Dit verhaal staat al op de site."))
    _set_status(verhaal, VerhaalStatus.GEPUBLICEERD, by=by, decided=True)
    Praktijkverhaal.objects.filter(pk=verhaal.pk).update_search_vector()
    if verhaal.submitted_by_id:
        _mail_after_commit(
            verhaal,
            subject=_("Uw praktijkverhaal staat op Wijkkompas"),
            template="knooppunten/email/verhaal_gepubliceerd.txt",
        )
    return verhaal


@transaction.atomic
def verhaal_refuse(*, verhaal: Praktijkverhaal, reason: str, by) -> Praktijkverhaal:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Schrijf waarom u het verhaal afwijst. De inzender krijgt deze reden per e-mail."))
    if verhaal.status in (VerhaalStatus.GEPUBLICEERD, VerhaalStatus.AFGEWEZEN):
        raise ValidationError(
            _("Alleen een verhaal dat ingediend of in behandeling is, kunt u afwijzen. Dit verhaal is: %(status)s.")
            % {"status": verhaal.get_status_display().lower()}
        )
    verhaal.refusal_reason = reason
    _set_status(verhaal, VerhaalStatus.AFGEWEZEN, by=by, decided=True, also=("refusal_reason",))
    if verhaal.submitted_by_id:
        _mail_after_commit(
            verhaal,
            subject=_("Uw praktijkverhaal is niet geplaatst"),
            template="knooppunten/email/verhaal_afgewezen.txt",
        )
    return verhaal


def _mail_after_commit(verhaal: Praktijkverhaal, *, subject: str, template: str) -> None:
    """Send once the decision is stored: a failing mail server neither undoes the decision nor
    shows the editor an error page (robust: the failure is logged)."""
    context = {
        "verhaal": verhaal,
        "verhaal_url": settings.SITE_URL.rstrip("/") + verhaal.get_absolute_url(),
        "account_url": settings.SITE_URL.rstrip("/") + reverse("accounts:account"),
    }
    message = render_to_string(template, context)
    recipient = verhaal.submitted_by.email

    def send() -> None:
        send_mail(subject=subject, message=message, from_email=None, recipient_list=[recipient])

    transaction.on_commit(send, robust=True)

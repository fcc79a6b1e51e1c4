"""Reminders about commitments not submitted: the department's board after
ATAGANDE_REMINDER_DATE, the area's coordinator after ATAGANDE_ESCALATION_DATE.

Each (department, year, kind) is claimed by inserting a Paminnelse row first, so running
the task twice (or on two workers) sends each reminder once.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from avdelningar.access import BOARD_ROLES
from avdelningar.models import Avdelning, Deltagande, Roll, Uppdrag

from .models import Atagande, Paminnelse


def parse_mm_dd(value, year, name):
    try:
        month, day = (int(p) for p in value.split("-"))
        return datetime.date(year, month, day)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"{name}={value!r}: expected MM-DD, e.g. 02-15.") from None


def pending_departments(year):
    """Departments in the project this year with nothing submitted: no commitment at all,
    or one still in draft or returned."""
    nuts_ids = [d.nuts_omrade_id for d in Deltagande.objects.all() if d.covers_year(year)]
    done = set(
        Atagande.objects.filter(year=year, avdelning__isnull=False)
        .exclude(status__in=[Atagande.Status.DRAFT, Atagande.Status.RETURNED])
        .values_list("avdelning_id", flat=True)
    )
    open_ = set(
        Atagande.objects.filter(
            year=year, status__in=[Atagande.Status.DRAFT, Atagande.Status.RETURNED]
        ).values_list("avdelning_id", flat=True)
    )
    return [
        a
        for a in Avdelning.objects.filter(nuts_omrade_id__in=nuts_ids).select_related("nuts_omrade")
        if a.pk in open_ or a.pk not in done
    ]


def _emails(qs, on):
    out = set()
    for u in qs.current(on).select_related("person__user"):
        email = u.person.email or (u.person.user.email if u.person.user_id else "")
        if email:
            out.add(email)
    return sorted(out)


def _claim(avdelning, year, kind):
    try:
        with transaction.atomic():
            return Paminnelse.objects.create(avdelning=avdelning, year=year, kind=kind)
    except IntegrityError:
        return None  # already sent (or being sent by another run)


def atagande_send_reminders(*, today=None):
    """Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    year = today.year
    remind = parse_mm_dd(settings.ATAGANDE_REMINDER_DATE, year, "ATAGANDE_REMINDER_DATE")
    escalate = parse_mm_dd(settings.ATAGANDE_ESCALATION_DATE, year, "ATAGANDE_ESCALATION_DATE")
    if today < remind:
        return 0
    sent = 0
    for avd in pending_departments(year):
        board = _emails(Uppdrag.objects.filter(avdelning=avd, role__in=list(BOARD_ROLES)), today)
        if board:
            claim = _claim(avd, year, Paminnelse.Kind.REMINDER)
            if claim:
                send_mail(
                    f"Påminnelse: åtaganden {year} för {avd.name}",
                    f"Avdelningens åtaganden för {year} är inte inskickade. Logga in i "
                    f"Regionalsamverkan och skicka in dem för granskning.\n\n"
                    f"{settings.SITE_URL}/mal/avdelning/{avd.pk}/{year}/",
                    None,
                    board,
                )
                Paminnelse.objects.filter(pk=claim.pk).update(recipients=len(board))
                sent += 1
        if today >= escalate:
            coordinators = _emails(
                Uppdrag.objects.filter(role=Roll.SAMORDNARE, nuts_omrade_id=avd.nuts_omrade_id),
                today,
            )
            if coordinators:
                claim = _claim(avd, year, Paminnelse.Kind.ESCALATION)
                if claim:
                    send_mail(
                        f"{avd.name} har inte skickat in sina åtaganden för {year}",
                        f"{avd.name} har fått en påminnelse men har ännu inte skickat in "
                        f"sina åtaganden för {year}.\n\n"
                        f"{settings.SITE_URL}/mal/omrade/{avd.nuts_omrade.code}/{year}/",
                        None,
                        coordinators,
                    )
                    Paminnelse.objects.filter(pk=claim.pk).update(recipients=len(coordinators))
                    sent += 1
    return sent

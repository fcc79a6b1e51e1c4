"""Reminders e-mailed by the daily beat tasks (docs/atagande.md, "Påminnelser").

- Commitments not submitted: the department's board after ATAGANDE_REMINDER_DATE, the
  area's coordinator after ATAGANDE_ESCALATION_DATE.
- Approved commitments not followed up in a period: the board UPPFOLJNING_REMINDER_DAYS
  before the period closes for the department, the coordinator UPPFOLJNING_ESCALATION_DAYS
  before (while the department can still act).

Each (department, year or period, kind) is claimed by inserting a Paminnelse row in the same
transaction as the send, so running a task twice (or on two workers) sends each reminder
once, and a send that fails leaves no claim behind: the next run tries again.

Each mail is rendered from its templates, ``epost/paminnelse_*.subject.txt``, ``.txt`` and
``.html`` (avdelningar.mail.render_mail), and goes to the board's (or the coordinators')
addresses together: a reminder is the department's, one claim for all of them.
"""

import calendar
import datetime
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from avdelningar.access import BOARD_ROLES
from avdelningar.mail import render_mail
from avdelningar.models import Avdelning, Deltagande, Roll, Uppdrag

from .models import Atagande, Paminnelse, Uppfoljningsperiod


def parse_mm_dd(value, year, name):
    try:
        month, day = (int(p) for p in value.split("-"))
        if (month, day) == (2, 29) and not calendar.isleap(year):
            day = 28  # settings accept 02-29; in other years it means the last day of February
        return datetime.date(year, month, day)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"{name}={value!r}: expected MM-DD, e.g. 02-15.") from None


def followup_days():
    """(reminder, escalation) days before a period closes. Checked here as well as at
    start-up, because settings can be overridden after it."""
    remind, escalate = settings.UPPFOLJNING_REMINDER_DAYS, settings.UPPFOLJNING_ESCALATION_DAYS
    for name, value in (
        ("UPPFOLJNING_REMINDER_DAYS", remind),
        ("UPPFOLJNING_ESCALATION_DAYS", escalate),
    ):
        if not isinstance(value, int) or value < 0:
            raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number of days ≥ 0.")
    if escalate > remind:
        raise ImproperlyConfigured(
            f"UPPFOLJNING_ESCALATION_DAYS={escalate} is more than UPPFOLJNING_REMINDER_DAYS="
            f"{remind}: the coordinator would be told before the board is reminded."
        )
    return remind, escalate


def pending_departments(year):
    """Departments in the project this year with nothing submitted: no commitment at all,
    or one still in draft or returned."""
    nuts_ids = Deltagande.objects.nuts_ids(year)
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


def followups_missing(period):
    """{department: [approved commitments without a follow-up in period]}, for departments
    whose area takes part in the project in the period's year."""
    rows = (
        Atagande.objects.not_followed_up(period)
        .filter(avdelning__nuts_omrade_id__in=Deltagande.objects.nuts_ids(period.year))
        .select_related("avdelning__nuts_omrade", "verksamhetsmal")
        .order_by("avdelning__name", "verksamhetsmal__number", "title")
    )
    out = defaultdict(list)
    for a in rows:
        out[a.avdelning].append(a)
    return out


def _emails(qs, on):
    out = set()
    for u in qs.current(on).select_related("person__user"):
        email = u.person.email or (u.person.user.email if u.person.user_id else "")
        if email:
            out.add(email)
    return sorted(out)


def board_emails(avdelning, on):
    return _emails(Uppdrag.objects.filter(avdelning=avdelning, role__in=list(BOARD_ROLES)), on)


def coordinator_emails(avdelning, on):
    qs = Uppdrag.objects.filter(role=Roll.SAMORDNARE, nuts_omrade_id=avdelning.nuts_omrade_id)
    return _emails(qs, on)


def _url(name, *args):
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _send_once(*, avdelning, year, kind, period=None, template, context, to):
    """Claim the reminder and send it in one transaction. A concurrent run inserting the same
    claim waits for this one and then fails on the unique constraint: it sends nothing. If
    sending raises, the claim is rolled back with it and the next run tries again."""
    if not to:
        return False  # nobody to tell yet; no claim, so it goes out once someone is there
    subject, text, html = render_mail(template, {"avdelning": avdelning, **context})
    try:
        with transaction.atomic():
            Paminnelse.objects.create(
                avdelning=avdelning, year=year, period=period, kind=kind, recipients=len(to)
            )
            message = EmailMultiAlternatives(subject, text, None, to)
            message.attach_alternative(html, "text/html")
            message.send()
    except IntegrityError:
        return False  # already sent, or being sent by another run
    return True


def atagande_send_reminders(*, today: datetime.date | None = None) -> int:
    """Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    year = today.year
    remind = parse_mm_dd(settings.ATAGANDE_REMINDER_DATE, year, "ATAGANDE_REMINDER_DATE")
    escalate = parse_mm_dd(settings.ATAGANDE_ESCALATION_DATE, year, "ATAGANDE_ESCALATION_DATE")
    if today < remind:
        return 0
    sent = 0
    for avd in pending_departments(year):
        sent += _send_once(
            avdelning=avd,
            year=year,
            kind=Paminnelse.Kind.REMINDER,
            template="paminnelse_atagande",
            context={"year": year, "url": _url("mal:avdelning_ar", avd.pk, year)},
            to=board_emails(avd, today),
        )
        if today >= escalate:
            sent += _send_once(
                avdelning=avd,
                year=year,
                kind=Paminnelse.Kind.ESCALATION,
                template="paminnelse_atagande_samordnare",
                context={
                    "year": year,
                    "deadline": remind,
                    "url": _url("mal:omrade_ar", avd.nuts_omrade.code, year),
                },
                to=coordinator_emails(avd, today),
            )
    return sent


def _deadlines(period):
    """{department id: last day of a reopening of period}, the latest per department."""
    return dict(
        period.oppningar.values("avdelning_id")
        .annotate(until=Max("open_until"))
        .values_list("avdelning_id", "until")
    )


def uppfoljning_send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind boards whose approved commitments lack a follow-up for a period that closes
    soon, and tell the coordinator closer to the deadline. A department's deadline is the
    period's closing date, or the end of the project leader's reopening for it if later; a
    period already closed for a department sends nothing (it could not act on it).
    Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    remind_days, escalate_days = followup_days()
    # Only periods whose closing date, or some reopening's end, falls inside the window.
    window = (today, today + datetime.timedelta(days=remind_days))
    periods = Uppfoljningsperiod.objects.filter(
        Q(closes_on__range=window) | Q(oppningar__open_until__range=window)
    ).distinct()
    sent = 0
    for period in periods:
        reopened = _deadlines(period)
        for avd, commitments in followups_missing(period).items():
            deadline = max(period.closes_on, reopened.get(avd.pk, period.closes_on))
            days_left = (deadline - today).days
            if days_left < 0 or days_left > remind_days:
                continue
            context = {
                "period": period,
                "deadline": deadline,
                "commitments": [(a, _url("mal:uppfoljning", a.pk, period.pk)) for a in commitments],
                "page": _url("mal:avdelning_ar", avd.pk, period.year),
            }
            sent += _send_once(
                avdelning=avd,
                year=period.year,
                period=period,
                kind=Paminnelse.Kind.REMINDER,
                template="paminnelse_uppfoljning",
                context=context,
                to=board_emails(avd, today),
            )
            if days_left <= escalate_days:
                sent += _send_once(
                    avdelning=avd,
                    year=period.year,
                    period=period,
                    kind=Paminnelse.Kind.ESCALATION,
                    template="paminnelse_uppfoljning_samordnare",
                    context=context,
                    to=coordinator_emails(avd, today),
                )
    return sent

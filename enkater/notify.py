"""The questionnaire's mail (docs/epost.md): the invitation when it is sent, and a
reminder before the deadline to recipients that have not submitted. Both go through
``avdelningar.mail.utskick_send``: each address once per (kind, key), however often the
task runs, and not to people who turned questionnaire mail off (``Epost.ENKAT``).

Who gets it: a department's answer goes to its board (chair, board members, the
labour-market officer), who answer together; an area's answer to its coordinator(s).
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from avdelningar.access import BOARD_ROLES
from avdelningar.mail import absolute_url, holders, utskick_send
from avdelningar.models import Epost, Roll

from .models import Enkat, Svar

# Days before the deadline when recipients that have not submitted are reminded.
REMINDER_DAYS = 7


def recipients_of(svar):
    if svar.avdelning_id:
        return holders(roles=BOARD_ROLES, avdelning_id=svar.avdelning_id)
    return holders(roles=[Roll.SAMORDNARE], nuts_omrade_id=svar.nuts_omrade_id)


def _send(svar, *, key, template):
    return utskick_send(
        kind=Epost.ENKAT,
        key=key,
        recipients=recipients_of(svar),
        template=template,
        context={
            "enkat": svar.enkat,
            "svar": svar,
            "url": absolute_url(reverse("enkater:svar", args=[svar.pk])),
        },
    )


def enkat_notify_sent(*, enkat_id: int) -> int:
    """Mail the invitation to every recipient of a sent questionnaire. Returns the number
    of mails sent (0 on a second run)."""
    svar = Svar.objects.filter(enkat_id=enkat_id, enkat__status=Enkat.Status.SENT)
    sent = 0
    for s in svar.select_related("enkat", "avdelning", "nuts_omrade"):
        sent += _send(s, key=f"enkat:{s.pk}", template="enkat_utskick")
    return sent


def enkat_send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the recipients that have not submitted, REMINDER_DAYS before the deadline
    (and on each later day up to it, but each address once per answer: the Utskick row
    is the claim). Returns the number of mails sent."""
    today = today or timezone.localdate()
    window_end = today + datetime.timedelta(days=REMINDER_DAYS)
    svar = (
        Svar.objects.filter(
            enkat__status=Enkat.Status.SENT,
            enkat__deadline__gte=today,
            enkat__deadline__lte=window_end,
        )
        .filter(~Q(status=Svar.Status.SUBMITTED))
        .select_related("enkat", "avdelning", "nuts_omrade")
    )
    sent = 0
    for s in svar:
        sent += _send(s, key=f"enkat-paminnelse:{s.pk}", template="enkat_paminnelse")
    return sent

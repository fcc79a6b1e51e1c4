"""Workflow mail (docs/epost.md): who receives it, and sending each mail once.

The apps above decide when a mail goes out and to whom (mal.notify, rapporter.notify);
their Celery tasks call ``utskick_send``. Each mail is rendered from three templates,
``epost/<name>.subject.txt``, ``epost/<name>.txt`` and ``epost/<name>.html``, with an
absolute link from SITE_URL. Each address gets its own mail (no one sees who else got it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Epostval, Person, Roll, Uppdrag, Utskick

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# (person id or None, address): one recipient of a workflow mail.
Recipient = tuple[int | None, str]


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def person_address(person: Person) -> str:
    """A person's address: the person's own, else the login's."""
    return person.email or (person.user.email if person.user_id else "")


def user_recipient(user: User | None) -> Recipient | None:
    """(person id, address) of a login: the login's address, else the person's (the
    login's is often empty). None when there is no address at all."""
    if user is None:
        return None
    try:
        person = user.person
    except ObjectDoesNotExist:
        person = None
    email = user.email or (person.email if person else "")
    return (person.pk if person else None, email) if email else None


def holders(
    *,
    roles: Iterable[str],
    nuts_omrade_id: int | None = None,
    avdelning_id: int | None = None,
    on: datetime.date | None = None,
    exclude_user_id: int | None = None,
) -> list[Recipient]:
    """[(person id, address)] of the people holding one of the roles now, in the scope."""
    qs = Uppdrag.objects.filter(role__in=list(roles)).current(on).select_related("person__user")
    if nuts_omrade_id is not None:
        qs = qs.filter(nuts_omrade_id=nuts_omrade_id)
    if avdelning_id is not None:
        qs = qs.filter(avdelning_id=avdelning_id)
    return [
        (u.person_id, person_address(u.person))
        for u in qs
        if not (exclude_user_id and u.person.user_id == exclude_user_id)
    ]


def project_leaders(**kwargs: Any) -> list[Recipient]:
    return holders(roles=[Roll.PROJEKTLEDARE], **kwargs)


def render_mail(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) from the three templates of ``name``."""
    subject = " ".join(render_to_string(f"epost/{name}.subject.txt", context).split())
    text = render_to_string(f"epost/{name}.txt", context)
    html = render_to_string(f"epost/{name}.html", context)
    return subject, text, html


def utskick_send(
    *, kind: str, key: str, recipients: Sequence[Recipient], template: str, context: dict[str, Any]
) -> int:
    """Send the mail to each recipient [(person id or None, address)] once for this
    (kind, key): the Utskick row is the claim, inserted in the transaction that sends, so
    a second run (or a concurrent one) sends nothing and a failed send leaves no claim
    (the task's retry tries again). People who turned the kind off are skipped.
    Returns the number of mails sent."""
    off = set(
        Epostval.objects.filter(
            kind=kind, person_id__in=[p for p, _ in recipients if p]
        ).values_list("person_id", flat=True)
    )
    addresses = sorted({email for person_id, email in recipients if email and person_id not in off})
    if not addresses:
        return 0
    context = {**context, "settings_url": absolute_url(reverse("epost"))}
    subject, text, html = render_mail(template, context)
    sent = 0
    for email in addresses:
        try:
            with transaction.atomic():
                Utskick.objects.create(kind=kind, key=key[:100], email=email)
                message = EmailMultiAlternatives(subject, text, None, [email])
                message.attach_alternative(html, "text/html")
                message.send()
        except IntegrityError:
            continue  # sent already, or being sent by another run
        sent += 1
    return sent

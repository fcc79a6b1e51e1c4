"""Questionnaires for tests: built straight in the database (the services are tested on
their own), with one section and one question of each kind unless told otherwise."""

import datetime

from django.utils import timezone

from enkater.models import Avsnitt, Enkat, Fraga, Svar

KINDS = [
    ("scale", "Hur väl har ni kommit igång?", "", None, None),
    ("single", "Nya relationer?", "Ja\nNej", None, None),
    ("multiple", "Vilka mål?", "Mål 1\nMål 2\nMål 3", None, None),
    ("number", "Hur många aktiviteter?", "", 0, 100),
    ("text", "Vilka lärdomar?", "", None, None),
]


def make_enkat(*, year=2026, deadline=None, title="Enkät", required=True, kinds=KINDS):
    """A draft with one section and a question of each kind (required unless told)."""
    deadline = deadline or timezone.localdate() + datetime.timedelta(days=14)
    e = Enkat.objects.create(title=title, year=year, deadline=deadline, version=1)
    section = Avsnitt.objects.create(enkat=e, title="Avsnitt 1", order=1)
    for n, (kind, text, choices, low, high) in enumerate(kinds, 1):
        Fraga.objects.create(
            enkat=e,
            avsnitt=section,
            text=text,
            kind=kind,
            choices=choices,
            min_value=low,
            max_value=high,
            required=required,
            order=n,
        )
    return e


def send(enkat, *, avdelningar=(), areas=()):
    """Mark sent and create the answer rows (as services.enkat_send does, without mail)."""
    enkat.status = Enkat.Status.SENT
    enkat.sent_at = timezone.now()
    if areas:
        enkat.recipients = Enkat.Mottagare.COORDINATORS
    enkat.save()
    rows = [
        Svar(enkat=enkat, avdelning=a, nuts_omrade_id=a.nuts_omrade_id, version=1)
        for a in avdelningar
    ]
    rows += [Svar(enkat=enkat, nuts_omrade=n, version=1) for n in areas]
    Svar.objects.bulk_create(rows)
    return enkat


def sent_to(avdelning, **kwargs):
    return send(make_enkat(**kwargs), avdelningar=[avdelning])


def question(enkat, kind):
    return enkat.fragor.get(kind=kind)


def give_addresses(cast):
    """Mail addresses for the cast's people (the factories give none): username@example.org."""
    for user in (cast.board, cast.neighbour, cast.outsider, cast.coordinator, cast.changeleader):
        user.person.email = f"{user.username}@example.org"
        user.person.save(update_fields=["email"])

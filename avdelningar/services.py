"""Personal data: a register extract for a person, and anonymisation when a person leaves.

Both record themselves in the audit trail inside the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from historik.models import Handelse
from historik.services import diff, handelse_record, save_versioned, snapshot, tenant_of

from . import personal_data
from .access import BESLUT_READ_ONLY, records_beslut, require
from .models import (
    Deltagande,
    Epost,
    Epostval,
    KommitteLedamot,
    NutsOmrade,
    Person,
    Projektbeslut,
    ProjektbeslutLank,
    Uppdrag,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest


def _text(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds") if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def person_register_extract(
    *, person: Person, user: User, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Everything the system holds that names the person (GDPR art. 15), as plain data.

    Sections: the person, their login, assignments, committee seats, areas they
    coordinate, and the audit rows about them or done by them. Recorded as an export.
    """
    login = person.user
    audit = Handelse.objects.filter(
        Q(model="avdelningar.Person", object_id=str(person.pk))
        | Q(user=login) & Q(user__isnull=False)
        | Q(model__in=["auth.User"], object_id=str(login.pk) if login else "-")
    ).order_by("at", "id")
    data = {
        "person": {
            "id": person.pk,
            "namn": person.name,
            "e-post": person.email,
            "telefon": person.phone,
            "anonymiserad": _text(person.anonymized_at),
        },
        "inloggning": {
            "användarnamn": login.get_username(),
            "förnamn": login.first_name,
            "efternamn": login.last_name,
            "e-post": login.email,
            "aktiv": login.is_active,
            "senast inloggad": _text(login.last_login),
            "skapad": _text(login.date_joined),
        }
        if login
        else {},
        "uppdrag": [
            {
                "roll": u.get_role_display(),
                "omfattning": u.scope_label,
                "från": _text(u.start),
                "till": _text(u.end),
            }
            for u in Uppdrag.objects.filter(person=person).select_related(
                "avdelning", "nuts_omrade"
            )
        ],
        "kommittéuppdrag": [
            {
                "kommitté": str(k.kommitte),
                "roll": k.get_role_display(),
                "från": _text(k.start),
                "till": _text(k.end),
            }
            for k in KommitteLedamot.objects.filter(person=person).select_related("kommitte")
        ],
        "samordnare för": [
            {"område": str(d.nuts_omrade), "med sedan": _text(d.joined_on)}
            for d in Deltagande.objects.filter(samordnare=person).select_related("nuts_omrade")
        ],
        "historik": [
            {
                "tidpunkt": _text(h.at),
                "användare": h.username,
                "händelse": h.get_action_display(),
                "typ": h.model,
                "objekt": h.object_repr,
                "ändringar": h.changes,
                "anteckning": h.note,
                "adress": h.ip_address or "",
            }
            for h in audit
        ],
        # What the apps on higher floors hold about the person (avdelningar.personal_data).
        **personal_data.extract_sections(person),
    }
    handelse_record(
        user=user,
        action=Handelse.Action.EXPORT,
        obj=person,
        note="Registerutdrag",
        request=request,
    )
    return data


def person_anonymize(*, person: Person, user: User, request: HttpRequest | None = None) -> Person:
    """The person has left: their name and contact details go, their history stays.

    Assignments and committee seats are kept (the organisation's history) but ended; the
    login is deactivated and stripped of names and password. The audit trail is not
    rewritten: it says who did what, and only the project leader and admins read it.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.anonymized_at:
            return person
        today = timezone.localdate()
        cleared = [f for f in ("name", "email", "phone") if getattr(person, f)]
        person.name = f"Anonymiserad person {person.pk}"
        person.email = ""
        person.phone = ""
        person.anonymized_at = timezone.now()
        person.save(update_fields=["name", "email", "phone", "anonymized_at"])
        for model in (Uppdrag, KommitteLedamot):
            for row in model.objects.filter(person=person, end__isnull=True):
                row.end = max(today, row.start)
                row.save(update_fields=["end"])
                _record_ended(row, user=user, request=request)
        login = person.user
        if login is not None:
            login.is_active = False
            login.first_name = login.last_name = login.email = ""
            login.username = f"anonymiserad-{person.pk}"
            login.set_unusable_password()
            login.save()
        personal_data.anonymize_sections(person=person, user=user, request=request)
        handelse_record(
            user=user,
            action=Handelse.Action.UPDATE,
            obj=person,
            # Which fields were cleared, not their old values: the trail must not keep the name.
            changes={name: ["(borttaget)", getattr(person, name)] for name in cleared},
            note="Anonymiserad: namn och kontaktuppgifter borttagna, inloggning avstängd.",
            request=request,
        )
    return person


def _record_ended(row, *, user, request):
    """An assignment or committee seat ended by the anonymisation, on its own history."""
    nuts_omrade_id, avdelning_id = tenant_of(row)
    handelse_record(
        user=user,
        action=Handelse.Action.UPDATE,
        obj=row,
        changes={"end": [None, row.end.isoformat()]},
        note="Avslutat när personen anonymiserades.",
        nuts_omrade_id=nuts_omrade_id,
        avdelning_id=avdelning_id,
        request=request,
    )


def epostval_save(
    *, person: Person, wanted: Iterable[str], user: User, request: HttpRequest | None = None
) -> None:
    """Which kinds of workflow mail the person wants (the rest are turned off)."""
    wanted = set(wanted) & set(Epost.values)
    with transaction.atomic():
        before = set(Epost.values) - set(
            Epostval.objects.filter(person=person).values_list("kind", flat=True)
        )
        Epostval.objects.filter(person=person, kind__in=wanted).delete()
        Epostval.objects.bulk_create(
            [Epostval(person=person, kind=k) for k in sorted(set(Epost.values) - wanted)],
            ignore_conflicts=True,
        )
        if before != wanted:
            handelse_record(
                user=user,
                action=Handelse.Action.UPDATE,
                obj=person,
                changes={"epost": [sorted(before), sorted(wanted)]},
                note="E-postval",
                request=request,
            )


# --- The decision log (beslutslogg) ---------------------------------------------------------
# Recording and editing the project's decisions. Other apps call these (the candidate
# assessment records the national board's decision to let an area take part): the right
# is asked here, the trail is written here, and the decision and its links are saved
# together or not at all.

BESLUT_FIELDS = [
    "kind",
    "body",
    "decided_on",
    "title",
    "description",
    "paragraph",
    "nuts_omrade",
]


def _beslut_links(links) -> list[ProjektbeslutLank]:
    """The links as unsaved rows, each validated: pairs (label, url) or mappings with
    "label" and "url"; a pair with neither is skipped (an empty form row)."""
    rows = []
    for link in links:
        if isinstance(link, Mapping):
            label, url = link.get("label", ""), link.get("url", "")
        else:
            label, url = link
        label, url = (label or "").strip(), (url or "").strip()
        if not label and not url:
            continue
        row = ProjektbeslutLank(label=label, url=url)
        row.full_clean(exclude=["beslut"])
        rows.append(row)
    return rows


LINK_FIELDS = ["label", "url"]


def _beslut_links_save(beslut, rows, *, user, request):
    """Save the decision's new link rows, each with its own trail row (as admin records an
    inline row); the decision's own row lists them too."""
    for row in rows:
        row.pk, row.beslut = None, beslut
        row.save()
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE,
            obj=row,
            changes=diff({}, snapshot(row, LINK_FIELDS)),
            nuts_omrade_id=beslut.nuts_omrade_id,
            request=request,
        )


def _beslut_check(beslut: Projektbeslut) -> None:
    for name in ("title", "description", "paragraph"):
        if "\x00" in (getattr(beslut, name) or ""):
            raise ValidationError({name: "Texten innehåller ett otillåtet tecken (NUL)."})
    if beslut.decided_on and beslut.decided_on > timezone.localdate():
        raise ValidationError(
            {
                "decided_on": "Beslutsdatumet kan inte ligga i framtiden: för in beslutet när det "
                "är fattat."
            }
        )
    beslut.full_clean(exclude=["created_by", "updated_by", "version"])


def _beslut_snapshot(beslut: Projektbeslut, links: Iterable[ProjektbeslutLank]) -> dict:
    data = snapshot(beslut, BESLUT_FIELDS)
    data["lankar"] = [str(link) for link in links]
    return data


def projektbeslut_record(
    *,
    user: User,
    kind: str,
    body: str,
    decided_on: datetime.date,
    title: str,
    description: str = "",
    paragraph: str = "",
    nuts_omrade: NutsOmrade | None = None,
    links: Iterable = (),
    request: HttpRequest | None = None,
) -> Projektbeslut:
    """Record a decision in the log, with its links (pairs (label, url) or mappings).
    Raises PermissionDenied (only the project leader records) or ValidationError (an
    unknown kind, an expansion not decided by the national board, a date in the future,
    a link that is neither a path in the app nor an https:// address)."""
    require(records_beslut(user), BESLUT_READ_ONLY)
    beslut = Projektbeslut(
        kind=kind,
        body=body,
        decided_on=decided_on,
        title=(title or "").strip(),
        description=description or "",
        paragraph=(paragraph or "").strip(),
        nuts_omrade=nuts_omrade,
        created_by=user,
        updated_by=user,
    )
    _beslut_check(beslut)
    rows = _beslut_links(links)
    with transaction.atomic():
        beslut.save()
        _beslut_links_save(beslut, rows, user=user, request=request)
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE,
            obj=beslut,
            changes=diff({}, _beslut_snapshot(beslut, rows)),
            nuts_omrade_id=beslut.nuts_omrade_id,
            request=request,
        )
    return beslut


def projektbeslut_update(
    *,
    beslut: Projektbeslut,
    user: User,
    expected_version: int,
    kind: str,
    body: str,
    decided_on: datetime.date,
    title: str,
    description: str = "",
    paragraph: str = "",
    nuts_omrade: NutsOmrade | None = None,
    links: Iterable | None = None,
    request: HttpRequest | None = None,
) -> Projektbeslut:
    """Change a decision (a typo, a paragraph added when the minutes are signed). links
    replaces the decision's links (None keeps them). Optimistic lock: expected_version is
    the version the form was loaded at; someone else's save in between raises
    historik.services.ConflictError and nothing is written. A report compiled earlier
    keeps the decision as it was (the snapshot is frozen)."""
    require(records_beslut(user), BESLUT_READ_ONLY)
    current = Projektbeslut.objects.select_related("nuts_omrade").get(pk=beslut.pk)
    old_links = list(current.lankar.all())
    before = _beslut_snapshot(current, old_links)
    beslut.kind, beslut.body, beslut.decided_on = kind, body, decided_on
    beslut.title, beslut.description = (title or "").strip(), description or ""
    beslut.paragraph, beslut.nuts_omrade = (paragraph or "").strip(), nuts_omrade
    beslut.updated_by = user
    _beslut_check(beslut)
    rows = old_links if links is None else _beslut_links(links)
    with transaction.atomic():
        save_versioned(
            beslut,
            expected_version=expected_version,
            update_fields=[*BESLUT_FIELDS, "updated_by"],
        )
        if links is not None:
            for old in old_links:
                handelse_record(
                    user=user,
                    action=Handelse.Action.DELETE,
                    obj=old,
                    changes=diff(snapshot(old, LINK_FIELDS), {}),
                    nuts_omrade_id=beslut.nuts_omrade_id,
                    request=request,
                )
            ProjektbeslutLank.objects.filter(beslut=beslut).delete()
            _beslut_links_save(beslut, rows, user=user, request=request)
        changes = diff(before, _beslut_snapshot(beslut, rows))
        handelse_record(
            user=user,
            action=Handelse.Action.UPDATE,
            obj=beslut,
            changes=changes,
            nuts_omrade_id=beslut.nuts_omrade_id,
            request=request,
        )
    return beslut

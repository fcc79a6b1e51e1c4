"""Building, sending, copying and answering questionnaires. Each function checks the same
predicate as the view (avdelningar/access.py, the questionnaires' section) and records the
change in the trail in its transaction.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from avdelningar.access import builds_enkater, can_answer_enkat, require, scope_for
from avdelningar.models import Avdelning, NutsOmrade
from historik.models import Handelse
from historik.services import diff, handelse_record, save_versioned, snapshot

from .models import Avsnitt, Enkat, Fraga, Svar, Svarsvarde

BUILD_DENIED = "Bara projektledaren bygger och skickar enkäter."
ANSWER_DENIED = (
    "Avdelningens svar skrivs av dess styrelse (ordförande, ledamöter, "
    "arbetsmarknadsansvarig), ett områdes svar av dess samordnare."
)
LOCKED = "Enkäten är utskickad: avsnitt och frågor kan inte längre ändras."
CLOSED = "Sista dag för svar har passerat: svaret kan läsas men inte ändras."
NOT_SENT = "Enkäten är inte utskickad ännu."
# What may still change once a questionnaire is sent: the questions are what the recipients
# answer, so they stay as they were; the deadline may move and the intro be corrected.
LOCKED_AFTER_SENDING = ["title", "year"]
EDITABLE_AFTER_SENDING = ["intro", "deadline"]
ENKAT_FIELDS = ["title", "year", "intro", "deadline"]
FRAGA_FIELDS = [
    "text",
    "help_text",
    "kind",
    "required",
    "order",
    "choices",
    "min_value",
    "max_value",
]


def _require_builder(user):
    require(builds_enkater(scope_for(user)), BUILD_DENIED)


def enkat_create(
    *, user: AbstractBaseUser, values: dict, request: HttpRequest | None = None
) -> Enkat:
    _require_builder(user)
    with transaction.atomic():
        enkat = Enkat(created_by=user, updated_by=user, version=1, **values)
        enkat.full_clean(exclude=["created_by", "updated_by", "copied_from"])
        enkat.save()
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE,
            obj=enkat,
            changes=diff({}, snapshot(enkat, ENKAT_FIELDS)),
            request=request,
        )
    return enkat


def enkat_update(
    *,
    enkat: Enkat,
    user: AbstractBaseUser,
    values: dict,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Enkat:
    """Change the questionnaire's own fields; once sent only EDITABLE_AFTER_SENDING.
    Raises PermissionDenied, ValidationError or ConflictError."""
    _require_builder(user)
    fields = EDITABLE_AFTER_SENDING if enkat.is_sent else ENKAT_FIELDS
    with transaction.atomic():
        before = snapshot(enkat, ENKAT_FIELDS)
        for name in fields:
            if name in values:
                setattr(enkat, name, values[name])
        enkat.updated_by = user
        enkat.full_clean(exclude=["created_by", "updated_by", "copied_from"])
        save_versioned(
            enkat, expected_version=expected_version, update_fields=[*fields, "updated_by"]
        )
        changes = diff(before, snapshot(enkat, ENKAT_FIELDS))
        if changes:
            handelse_record(
                user=user,
                action=Handelse.Action.UPDATE,
                obj=enkat,
                changes=changes,
                request=request,
            )
    return enkat


def structure_save(*, enkat: Enkat, formset, user: AbstractBaseUser, request=None) -> None:
    """Save a validated formset of the questionnaire's sections or of a section's
    questions (views.avsnitt, views.fragor); refused once the questionnaire is sent."""
    from historik.services import formset_save_recorded

    _require_builder(user)
    with transaction.atomic():
        locked = Enkat.objects.select_for_update().get(pk=enkat.pk)
        if locked.is_sent:
            raise ValidationError(LOCKED)
        formset_save_recorded(formset, user=user, request=request)
        Enkat.objects.filter(pk=enkat.pk).update(updated_at=timezone.now())


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def enkat_copy(
    *, source: Enkat, user: AbstractBaseUser, year: int, request: HttpRequest | None = None
) -> Enkat:
    """A new draft for ``year`` with the source's sections and questions. Each question
    keeps its lineage (``linje``), so the years can be compared question by question."""
    _require_builder(user)
    with transaction.atomic():
        copy = Enkat(
            title=source.title.replace(str(source.year), str(year)),
            year=year,
            intro=source.intro,
            deadline=_shift_year(source.deadline, year - source.year),
            copied_from=source,
            created_by=user,
            updated_by=user,
            version=1,
        )
        copy.full_clean(exclude=["created_by", "updated_by", "copied_from"])
        copy.save()
        sections = {}
        for avsnitt in source.avsnitt.all():
            sections[avsnitt.pk] = Avsnitt.objects.create(
                enkat=copy,
                title=avsnitt.title,
                description=avsnitt.description,
                order=avsnitt.order,
            )
        Fraga.objects.bulk_create(
            Fraga(
                enkat=copy,
                avsnitt=sections[f.avsnitt_id],
                linje=f.linje,
                **{name: getattr(f, name) for name in FRAGA_FIELDS},
            )
            for f in source.fragor.all()
        )
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE,
            obj=copy,
            changes=diff({}, snapshot(copy, ENKAT_FIELDS)),
            note=f"kopierad från {source} (id {source.pk})",
            request=request,
        )
    return copy


def enkat_send(
    *,
    enkat: Enkat,
    user: AbstractBaseUser,
    recipients: str,
    avdelningar: list[Avdelning] = (),
    areas: list[NutsOmrade] = (),
    expected_version: int,
    request: HttpRequest | None = None,
) -> int:
    """Send the questionnaire: one answer row per department (its board answers) or per
    area (its coordinator answers), created at version 1 so a form opened before sending
    meets a conflict, and the invitation mailed once per address after commit. Locks the
    sections and questions. Returns the number of recipients."""
    _require_builder(user)
    if recipients == Enkat.Mottagare.BOARDS:
        rows = [Svar(avdelning=a, nuts_omrade_id=a.nuts_omrade_id) for a in avdelningar]
    else:
        rows = [Svar(nuts_omrade=n) for n in areas]
    if not rows:
        raise ValidationError("Välj minst en mottagare.")
    if enkat.deadline < timezone.localdate():
        raise ValidationError("Sista dag har redan passerat: flytta den innan enkäten skickas.")
    with transaction.atomic():
        locked = Enkat.objects.select_for_update().get(pk=enkat.pk)
        if locked.is_sent:
            raise ValidationError("Enkäten är redan utskickad.")
        if not locked.fragor.exists():
            raise ValidationError("Enkäten har inga frågor.")
        enkat.status = Enkat.Status.SENT
        enkat.recipients = recipients
        enkat.sent_at = timezone.now()
        enkat.updated_by = user
        save_versioned(
            enkat,
            expected_version=expected_version,
            update_fields=["status", "recipients", "sent_at", "updated_by"],
        )
        for row in rows:
            row.enkat = enkat
            row.version = 1
        Svar.objects.bulk_create(rows)
        handelse_record(
            user=user,
            action=Handelse.Action.TRANSITION,
            obj=enkat,
            changes={"status": ["draft", "sent"]},
            note="till " + ", ".join(r.respondent for r in rows),
            request=request,
        )
        from .tasks import notify_enkat_sent

        notify_enkat_sent.delay_on_commit(enkat.pk)
    return len(rows)


def _value_fields(fraga: Fraga, value) -> dict:
    """The Svarsvarde columns for a form value of the question."""
    if fraga.kind in (Fraga.Kind.SCALE, Fraga.Kind.NUMBER):
        return {"number": value, "text": "", "chosen": []}
    if fraga.kind == Fraga.Kind.MULTIPLE:
        return {"number": None, "text": "", "chosen": list(value or [])}
    return {"number": None, "text": value or "", "chosen": []}


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def svar_save(
    *,
    svar: Svar,
    user: AbstractBaseUser,
    values: dict[int, object],
    submit: bool,
    expected_version: int,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> Svar:
    """Save the answer's values ({question id: the form's cleaned value}) as a draft, or
    submit it (a submitted answer stays submitted when changed again before the deadline).
    Raises PermissionDenied, ValidationError (closed, a required question unanswered on
    submit) or ConflictError (someone else saved since the form was loaded)."""
    require(can_answer_enkat(scope_for(user), svar), ANSWER_DENIED)
    enkat = svar.enkat
    if not enkat.is_sent:
        raise ValidationError(NOT_SENT)
    if not enkat.is_open(today):
        raise ValidationError(CLOSED)
    fragor = {f.pk: f for f in enkat.fragor.all()}
    submit = submit or svar.is_submitted
    if submit:
        missing = [f.text for f in fragor.values() if f.required and _empty(values.get(f.pk))]
        if missing:
            raise ValidationError("Obligatoriska frågor saknar svar: " + "; ".join(missing))
    with transaction.atomic():
        existing = {v.fraga_id: v for v in Svarsvarde.objects.filter(svar=svar)}
        changes = {}
        for pk, value in values.items():
            fraga = fragor.get(pk)
            if fraga is None:
                continue
            columns = _value_fields(fraga, value)
            row = existing.get(pk)
            old = row.display() if row else ""
            if _empty(value):
                if row:
                    row.delete()
                    changes[f"fråga {pk}"] = [old, ""]
                continue
            if row is None:
                row = Svarsvarde(svar=svar, fraga=fraga)
            for name, v in columns.items():
                setattr(row, name, v)
            row.save()
            row.refresh_from_db(fields=["number"])
            if row.display() != old:
                changes[f"fråga {pk}"] = [old, row.display()]
        before_status = svar.status
        svar.status = Svar.Status.SUBMITTED if submit else Svar.Status.DRAFT
        svar.updated_by = user
        fields = ["status", "updated_by"]
        if submit and before_status != Svar.Status.SUBMITTED:
            svar.submitted_at = timezone.now()
            svar.submitted_by = user
            fields += ["submitted_at", "submitted_by"]
        save_versioned(svar, expected_version=expected_version, update_fields=fields)
        if before_status != svar.status:
            changes["status"] = [before_status, svar.status]
        if changes:
            handelse_record(
                user=user,
                action=Handelse.Action.TRANSITION
                if "status" in changes
                else Handelse.Action.UPDATE,
                obj=svar,
                changes=changes,
                nuts_omrade_id=svar.nuts_omrade_id,
                avdelning_id=svar.avdelning_id,
                request=request,
            )
    return svar

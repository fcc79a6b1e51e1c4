"""Recording an analysis meeting's material and actions, following the actions to done,
and writing an area's lessons. Each service asks ``avdelningar.access`` (the larande
section) itself, whoever calls it, and records the change in the audit trail.
"""

import zipfile

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from aktiviteter.models import Aktivitet
from avdelningar.access import (
    larande_closes_action,
    larande_reads_action,
    larande_reads_area,
    larande_writes_area,
    require,
    scope_for,
)
from avdelningar.models import Avdelning, NutsOmrade, Person, Uppdrag
from enkater.models import Enkat
from historik.models import Handelse
from historik.services import handelse_record, save_versioned, snapshot
from mal.models import Atagande
from mal.services import MAX_ATTACHMENT_BYTES, sniff_type

from .models import OPEN_STATUSES, Analysmote, Atgard, AtgardStatus, Lardom

WRITE_REFUSAL = "Mötets underlag och åtgärder läggs in av områdets samordnare och projektledaren."
CLOSE_REFUSAL = (
    "Åtgärden markeras som klar av den som är ansvarig för den, områdets samordnare "
    "eller projektledaren."
)
LESSONS_REFUSAL = "Områdets lärdomar skrivs av områdets samordnare och projektledaren."
NOT_ANALYSIS = "Bara ett analysmöte har beslut och åtgärder."
# The meeting's material: pdf and office files (the attachments' check, and slides).
MATERIAL_TYPES = {"pdf", "docx", "xlsx", "pptx"}
MATERIAL_LABEL = "pdf, docx, xlsx eller pptx, högst 5 MB"
ATGARD_FIELDS = ["what", "person", "avdelning", "due", "status", "done_on", "ataganden"]
LARDOM_FIELDS = ["worked", "did_not_work", "to_spread"]


# --- what may be chosen -------------------------------------------------------------


def linkable_ataganden(mote_or_aktivitet):
    """Commitments an action of the meeting may be linked to: the meeting's area's (its
    departments' and the area's own) and the national ones, from the meeting's year on."""
    aktivitet = getattr(mote_or_aktivitet, "aktivitet", mote_or_aktivitet)
    national = Q(avdelning__isnull=True, nuts_omrade__isnull=True)
    nuts_id = aktivitet.nuts_omrade_id
    owners = national
    if nuts_id is not None:
        owners |= Q(avdelning__nuts_omrade_id=nuts_id) | Q(nuts_omrade_id=nuts_id)
    return (
        Atagande.objects.filter(owners, year__gte=aktivitet.date.year)
        .select_related("avdelning", "nuts_omrade", "verksamhetsmal")
        .order_by("year", "verksamhetsmal__number", "title")
    )


def owner_avdelningar(aktivitet):
    """Departments that may own an action: the area's (every one for a national meeting)."""
    if aktivitet.nuts_omrade_id is None:
        return Avdelning.objects.all()
    return Avdelning.objects.filter(nuts_omrade_id=aktivitet.nuts_omrade_id)


def owner_personer(aktivitet):
    """People who may own an action: those with a current assignment in the area (as its
    coordinator or in one of its departments), or nationally for a national meeting."""
    current = Uppdrag.objects.current()
    if aktivitet.nuts_omrade_id is None:
        current = current.filter(nuts_omrade__isnull=True, avdelning__isnull=True)
    else:
        nuts_id = aktivitet.nuts_omrade_id
        current = current.filter(Q(nuts_omrade_id=nuts_id) | Q(avdelning__nuts_omrade_id=nuts_id))
    return Person.objects.filter(pk__in=current.values("person_id")).order_by("name")


# --- the meeting ----------------------------------------------------------------------


def _check_analysis(aktivitet):
    if aktivitet.typ != Aktivitet.Typ.ANALYS:
        raise ValidationError(NOT_ANALYSIS)


def check_material(upload: UploadedFile) -> str:
    """The upload's real type (pdf or an office file), or ValidationError: the attachments'
    size limit and content check (mal.services), and a slide deck's own."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("Filen är för stor (högst 5 MB).")
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in MATERIAL_TYPES:
        raise ValidationError("Tillåtna filtyper för underlaget är pdf, docx, xlsx och pptx.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if ext != "pptx":
        return sniff_type(upload.name, head, upload)
    ok = False
    if head.startswith(b"PK\x03\x04"):
        try:
            ok = any(n.startswith("ppt/") for n in zipfile.ZipFile(upload).namelist())
        except zipfile.BadZipFile:
            ok = False
        upload.seek(0)
    if not ok:
        raise ValidationError("Filens innehåll stämmer inte med filtypen .pptx.")
    return ext


def _mote_for(aktivitet):
    """The meeting record of the activity, created (version 0) when it has none yet."""
    mote, _ = Analysmote.objects.select_for_update().get_or_create(aktivitet=aktivitet)
    mote.aktivitet = aktivitet
    return mote


def enkater_for(aktivitet: Aktivitet):
    """The questionnaires a meeting can have analysed: sent ones, of the meeting's year or
    the year before (the 2021 questionnaire was answered in the winter before the March
    meetings)."""
    year = aktivitet.date.year
    return Enkat.objects.filter(status=Enkat.Status.SENT, year__in=[year - 1, year]).order_by(
        "-year", "title"
    )


def analysmote_save(
    *,
    aktivitet: Aktivitet,
    summary: str,
    upload: UploadedFile | None,
    remove_file: bool,
    user: AbstractBaseUser,
    expected_version: int,
    enkat: Enkat | None = None,
    request: HttpRequest | None = None,
) -> Analysmote:
    """Save the meeting's material: the questionnaire it analysed, the text, and a new file
    (replacing the old one) or none (remove_file). Optimistic lock on the record's version
    (0 before it exists)."""
    require(larande_writes_area(scope_for(user), aktivitet.nuts_omrade_id), WRITE_REFUSAL)
    _check_analysis(aktivitet)
    if upload is not None:
        check_material(upload)
    if enkat is not None and not enkater_for(aktivitet).filter(pk=enkat.pk).exists():
        raise ValidationError({"enkat": "Välj en utskickad enkät från mötets år eller året före."})
    with transaction.atomic():
        mote = _mote_for(aktivitet)
        before = snapshot(mote, ["summary", "material_name", "enkat_id"])
        old_file = mote.material.name if mote.material else ""
        mote.summary = summary
        mote.enkat = enkat
        if upload is not None:
            mote.material.save(upload.name, upload, save=False)
            mote.material_name = upload.name[-200:]
            mote.material_size = upload.size
        elif remove_file:
            mote.material = ""
            mote.material_name = ""
            mote.material_size = None
        mote.updated_by = user
        save_versioned(
            mote,
            expected_version=expected_version,
            update_fields=[
                "summary",
                "material",
                "material_name",
                "material_size",
                "enkat",
                "updated_by",
            ],
        )
        changes = {
            k: [before[k], v]
            for k, v in snapshot(mote, ["summary", "material_name", "enkat_id"]).items()
            if before[k] != v
        }
        handelse_record(
            user=user,
            action=Handelse.Action.UPDATE,
            obj=mote,
            changes=changes,
            nuts_omrade_id=aktivitet.nuts_omrade_id,
            request=request,
        )
        if old_file and old_file != (mote.material.name if mote.material else ""):
            storage, name = mote.material.storage, old_file
            transaction.on_commit(lambda: storage.delete(name))
    return mote


def material_download(*, mote: Analysmote, user: AbstractBaseUser, request=None):
    """The material's file, opened, its download recorded in the trail."""
    scope = scope_for(user)
    if not larande_reads_area(scope, mote.aktivitet.nuts_omrade_id) and not (
        scope.avdelning_ids & set(mote.aktivitet.avdelningar.values_list("pk", flat=True))
    ):
        raise Http404("Underlaget finns inte.")
    if not mote.material:
        raise Http404("Mötet har inget uppladdat underlag.")
    handelse_record(
        user=user,
        action=Handelse.Action.DOWNLOAD,
        obj=mote,
        note=f"Underlag: {mote.material_name}",
        nuts_omrade_id=mote.aktivitet.nuts_omrade_id,
        request=request,
    )
    return mote.material.open("rb")


# --- actions --------------------------------------------------------------------------


def _check_atgard(aktivitet, values, today):
    """The rules a form may not be trusted with: owners and commitments within the
    meeting's area, and a done action's date (today when left empty)."""
    errors = {}
    if values.get("person") and values.get("avdelning"):
        errors["avdelning"] = "Välj en person eller en avdelning, inte båda."
    avd = values.get("avdelning")
    if avd is not None and not owner_avdelningar(aktivitet).filter(pk=avd.pk).exists():
        errors["avdelning"] = "Avdelningen hör inte till mötets område."
    person = values.get("person")
    if person is not None and not owner_personer(aktivitet).filter(pk=person.pk).exists():
        errors["person"] = "Personen har inget uppdrag i mötets område."
    chosen = [a.pk for a in values.get("ataganden", [])]
    if chosen and linkable_ataganden(aktivitet).filter(pk__in=chosen).count() != len(set(chosen)):
        errors["ataganden"] = (
            "Välj bara åtaganden för mötets områdes avdelningar eller nationella, "
            "från mötets år och framåt."
        )
    if values.get("status") == AtgardStatus.DONE:
        values["done_on"] = values.get("done_on") or today
        if values["done_on"] > today:
            errors["done_on"] = "En åtgärd kan inte bli klar i framtiden."
    else:
        values["done_on"] = None
    if errors:
        raise ValidationError(errors)
    return values


def _record_atgard(atgard, *, user, action, changes=None, note="", request=None):
    handelse_record(
        user=user,
        action=action,
        obj=atgard,
        changes=changes,
        note=note,
        nuts_omrade_id=atgard.mote.aktivitet.nuts_omrade_id,
        avdelning_id=atgard.avdelning_id,
        request=request,
    )


def atgard_create(
    *, aktivitet: Aktivitet, values: dict, user: AbstractBaseUser, request=None
) -> Atgard:
    """A new action of the meeting (its record is created with the first one)."""
    require(larande_writes_area(scope_for(user), aktivitet.nuts_omrade_id), WRITE_REFUSAL)
    _check_analysis(aktivitet)
    values = _check_atgard(aktivitet, dict(values), timezone.localdate())
    ataganden = values.pop("ataganden", [])
    with transaction.atomic():
        mote = _mote_for(aktivitet)
        atgard = Atgard(mote=mote, created_by=user, updated_by=user, **values)
        atgard.full_clean(exclude=["mote", "created_by", "updated_by"])
        atgard.save()
        atgard.ataganden.set(ataganden)
        _record_atgard(
            atgard,
            user=user,
            action=Handelse.Action.CREATE,
            changes={k: [None, v] for k, v in snapshot(atgard, ATGARD_FIELDS).items()},
            request=request,
        )
    return atgard


def atgard_update(
    *, atgard: Atgard, values: dict, user: AbstractBaseUser, expected_version: int, request=None
) -> Atgard:
    """Change the action (status too); refused (ConflictError) when someone saved it since
    the form was loaded."""
    aktivitet = atgard.mote.aktivitet
    require(larande_writes_area(scope_for(user), aktivitet.nuts_omrade_id), WRITE_REFUSAL)
    values = _check_atgard(aktivitet, dict(values), timezone.localdate())
    ataganden = values.pop("ataganden", [])
    with transaction.atomic():
        # From the database: a model form has already set its values on the caller's object.
        before = snapshot(Atgard.objects.get(pk=atgard.pk), ATGARD_FIELDS)
        for key, value in values.items():
            setattr(atgard, key, value)
        atgard.updated_by = user
        atgard.full_clean(exclude=["mote", "created_by", "updated_by"])
        fields = [
            "what",
            "person_id",
            "avdelning_id",
            "due",
            "status",
            "done_on",
            "updated_by_id",
        ]
        save_versioned(atgard, expected_version=expected_version, update_fields=fields)
        atgard.ataganden.set(ataganden)
        changes = {
            k: [before[k], v] for k, v in snapshot(atgard, ATGARD_FIELDS).items() if before[k] != v
        }
        transition = "status" in changes and len(changes) <= 2
        _record_atgard(
            atgard,
            user=user,
            action=Handelse.Action.TRANSITION if transition else Handelse.Action.UPDATE,
            changes=changes,
            request=request,
        )
    return atgard


def atgard_mark_done(*, atgard: Atgard, user: AbstractBaseUser, request=None) -> bool:
    """Mark an open action done today: its owner, the area's coordinator or the project
    leader. A conditional UPDATE, so a second click (or two people at once) changes
    nothing more: False when it was no longer open."""
    scope = scope_for(user)
    nuts_id = atgard.mote.aktivitet.nuts_omrade_id
    person_user_id = atgard.person.user_id if atgard.person_id else None
    if not larande_reads_action(
        scope, nuts_id=nuts_id, avdelning_id=atgard.avdelning_id, person_user_id=person_user_id
    ):
        raise Http404("Åtgärden finns inte.")
    require(
        larande_closes_action(
            scope, nuts_id=nuts_id, avdelning_id=atgard.avdelning_id, person_user_id=person_user_id
        ),
        CLOSE_REFUSAL,
    )
    today = timezone.localdate()
    with transaction.atomic():
        old_status = atgard.status
        claimed = Atgard.objects.filter(pk=atgard.pk, status__in=OPEN_STATUSES).update(
            status=AtgardStatus.DONE,
            done_on=today,
            updated_by=user,
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
        if not claimed:
            return False
        atgard.refresh_from_db()
        _record_atgard(
            atgard,
            user=user,
            action=Handelse.Action.TRANSITION,
            changes={"status": [old_status, AtgardStatus.DONE], "done_on": [None, str(today)]},
            request=request,
        )
    return True


# --- lessons --------------------------------------------------------------------------


def lardom_years(nuts: NutsOmrade, today=None) -> list[int]:
    """The years an area's lessons can be written for: its years in the project, up to
    this year."""
    today = today or timezone.localdate()
    rows = list(nuts.deltaganden.all())
    if not rows:
        return []
    first = min(d.joined_on.year for d in rows)
    return [y for y in range(first, today.year + 1) if any(d.covers_year(y) for d in rows)]


def lardom_save(
    *,
    nuts: NutsOmrade,
    year: int,
    values: dict,
    user: AbstractBaseUser,
    expected_version: int,
    request=None,
) -> Lardom:
    """Save an area's lessons of a year (version 0: there were none when the form loaded)."""
    require(larande_writes_area(scope_for(user), nuts.pk), LESSONS_REFUSAL)
    if year not in lardom_years(nuts):
        raise ValidationError(f"Området deltar inte i projektet {year}.")
    with transaction.atomic():
        obj, created = Lardom.objects.select_for_update().get_or_create(
            nuts_omrade=nuts, year=year, defaults={"updated_by": user}
        )
        before = snapshot(obj, LARDOM_FIELDS)
        for key in LARDOM_FIELDS:
            setattr(obj, key, values.get(key, ""))
        obj.updated_by = user
        obj.full_clean(exclude=["nuts_omrade", "updated_by"])
        save_versioned(
            obj, expected_version=expected_version, update_fields=[*LARDOM_FIELDS, "updated_by"]
        )
        changes = {
            k: [before[k], v] for k, v in snapshot(obj, LARDOM_FIELDS).items() if before[k] != v
        }
        if created or changes:
            handelse_record(
                user=user,
                action=Handelse.Action.CREATE if created else Handelse.Action.UPDATE,
                obj=obj,
                changes=changes,
                nuts_omrade_id=nuts.pk,
                request=request,
            )
    return obj

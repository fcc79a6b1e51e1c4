"""Commitment workflow: draft → submitted → approved, or returned → draft again; reopen
with a reason; follow-ups per period; comments and evidence. Every function checks the
user's right (rules on the model, from avdelningar.access), saves inside one transaction
and records the change on the commitment's history.

Each refusal below is said once: the view states it at its top (so the page answers 403
before anything else), and the service asks again, so another caller (a task, a command)
cannot skip it.
"""

import datetime
import zipfile
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.forms import BaseModelFormSet
from django.http import HttpRequest
from django.utils import timezone

from avdelningar.access import require, scope_for
from avdelningar.models import Avdelning, NutsOmrade
from historik.models import Handelse
from historik.services import (
    ConflictError,
    formset_save_recorded,
    handelse_record,
    save_versioned,
    snapshot,
)

from .models import (
    DUPLICATE_MESSAGE,
    Atagande,
    Bilaga,
    Kommentar,
    Malvarde,
    Periodoppning,
    Uppfoljning,
    Uppfoljningsperiod,
    Utfall,
    display_name,
)
from .notify import atagande_notify_on_commit
from .progress import latest_actuals

FIELDS = [
    "title",
    "verksamhetsmal_id",
    "action_plan",
    "resources_sek",
    "resources_hours",
    "resources_people",
    "responsible",
]
TARGET_FIELDS = [
    "indikator_id",
    "name",
    "unit",
    "split_by_gender",
    "baseline",
    "target",
    "target_women",
    "target_men",
]
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ALLOWED_TYPES = {"pdf", "docx", "xlsx", "png", "jpg", "jpeg"}

WRITE_REFUSAL = "Du kan inte skriva åtaganden här."
EDIT_REFUSAL = "Du kan läsa men inte ändra det här åtagandet."
SUBMIT_REFUSAL = "Du kan inte skicka in det här åtagandet."
APPROVE_REFUSAL = "Du kan inte godkänna det här åtagandet."
RETURN_REFUSAL = "Du kan inte återsända det här åtagandet."
REOPEN_REFUSAL = "Du kan inte öppna det här åtagandet igen."
FOLLOW_UP_REFUSAL = "Du kan läsa men inte följa upp det här åtagandet."
PERIOD_OPEN_REFUSAL = "Bara projektledaren kan öppna en stängd period för en avdelning."
COMMENT_REFUSAL = "Du kan läsa men inte kommentera det här åtagandet."
ATTACH_REFUSAL = "Du kan inte lägga till bilagor här."
DETACH_REFUSAL = "Du kan inte ta bort bilagor här."
GUIDELINES_REFUSAL = "Bara projektledaren ändrar riktlinjerna."
DOWNLOAD_REFUSAL = "Du kan inte ladda ned den här bilagan."


def _record(atagande, *, user, action, changes=None, note="", request=None):
    handelse_record(
        user=user,
        action=action,
        obj=atagande,
        changes=changes,
        note=note,
        nuts_omrade_id=atagande.area_id,
        avdelning_id=atagande.avdelning_id,
        request=request,
    )


def _check_targets(atagande, malvarden, kept=()):
    """The changed and new targets are valid, and every target the commitment keeps
    (changed or not: the goal may be what changed) is from its goal's catalogue."""
    for m in [*malvarden, *kept]:
        if m.indikator_id and m.indikator.verksamhetsmal_id != atagande.verksamhetsmal_id:
            raise ValidationError(
                f"Indikatorn ”{m.indikator.name}” hör till ett annat verksamhetsmål än åtagandet."
            )
    for m in malvarden:
        m.full_clean(exclude=["atagande"])


def _insert(atagande):
    """Save a new commitment; a twin saved meanwhile (a double click, a second tab, two
    copies at once) is a ValidationError, not an IntegrityError: the unique constraint
    decides, full_clean only saw the table before."""
    try:
        with transaction.atomic():
            atagande.save()
    except IntegrityError:
        atagande.pk = None
        raise ValidationError(DUPLICATE_MESSAGE) from None


def atagande_save(
    *,
    atagande: Atagande,
    malvarden: list[Malvarde],
    removed: Iterable[Malvarde] = (),
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Atagande:
    """Create or change a commitment with its targets (kept, new and removed ones)."""
    scope = scope_for(user)
    creating = atagande.pk is None
    if creating:
        require(atagande.may_write(scope), WRITE_REFUSAL)
        atagande.status = Atagande.Status.DRAFT
    else:
        # The rights on the commitment as saved, not as the form changed it.
        current = Atagande.objects.select_related("avdelning").get(pk=atagande.pk)
        require(current.may_write(scope), EDIT_REFUSAL)
        if not current.is_editable_status:
            raise ValidationError(
                f"Åtagandet är {current.get_status_display().lower()} och kan inte ändras."
            )
    atagande.full_clean()
    kept = []
    if not creating:
        listed = {m.pk for m in [*malvarden, *removed] if m.pk}
        kept = list(
            Malvarde.objects.filter(atagande=current)
            .exclude(pk__in=listed)
            .select_related("indikator")
        )
    _check_targets(atagande, malvarden, kept)
    with transaction.atomic():
        if creating:
            _insert(atagande)
            changes = {k: [None, v] for k, v in snapshot(atagande, FIELDS).items()}
            action = Handelse.Action.CREATE
        else:
            changes = {
                k: [v, snapshot(atagande, [k])[k]]
                for k, v in snapshot(current, FIELDS).items()
                if v != snapshot(atagande, [k])[k]
            }
            if atagande.status == Atagande.Status.RETURNED:
                atagande.status = Atagande.Status.DRAFT
                changes["status"] = ["returned", "draft"]
            atagande.updated_at = timezone.now()
            save_versioned(
                atagande,
                expected_version=expected_version,
                update_fields=[*FIELDS, "status", "updated_at"],
            )
            action = Handelse.Action.UPDATE
        for m in malvarden:
            before = snapshot(Malvarde.objects.get(pk=m.pk), TARGET_FIELDS) if m.pk else {}
            m.atagande = atagande
            m.save()
            after = snapshot(m, TARGET_FIELDS)
            if before != after:
                changes[f"målvärde {m.indicator_name}"] = [before or None, after]
        for m in removed:
            if m.pk and m.atagande_id == atagande.pk:
                changes[f"målvärde {m.indicator_name}"] = [snapshot(m, TARGET_FIELDS), None]
                m.delete()
        _record(atagande, user=user, action=action, changes=changes, request=request)
    return atagande


def _transition(atagande, *, user, to, expected_version, note="", extra=None, request=None):
    before = atagande.status
    atagande.status = to
    for name, value in (extra or {}).items():
        setattr(atagande, name, value)
    save_versioned(
        atagande, expected_version=expected_version, update_fields=["status", *(extra or {})]
    )
    _record(
        atagande,
        user=user,
        action=Handelse.Action.TRANSITION,
        changes={"status": [before, to]},
        note=note,
        request=request,
    )


def _version(atagande, expected_version):
    return atagande.version if expected_version is None else expected_version


def atagande_submit(
    *,
    atagande: Atagande,
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    require(atagande.may_write(scope_for(user)), SUBMIT_REFUSAL)
    if not atagande.is_editable_status:
        raise ValidationError("Bara ett utkast eller ett återsänt åtagande kan skickas in.")
    if not atagande.malvarden.exists():
        raise ValidationError("Lägg till minst ett mätbart målvärde innan du skickar in.")
    with transaction.atomic():
        _transition(
            atagande,
            user=user,
            to=Atagande.Status.SUBMITTED,
            expected_version=_version(atagande, expected_version),
            extra={"submitted_at": timezone.now(), "submitted_by": user},
            request=request,
        )
        atagande_notify_on_commit(atagande, "submitted", user)


def _review(atagande, *, user, to, note, expected_version, request):
    extra = {"reviewed_by": user, "reviewed_at": timezone.now(), "review_note": note}
    with transaction.atomic():
        _transition(
            atagande,
            user=user,
            to=to,
            expected_version=_version(atagande, expected_version),
            note=note,
            extra=extra,
            request=request,
        )
        atagande_notify_on_commit(
            atagande, "approved" if to == Atagande.Status.APPROVED else "returned", user
        )
        if note:
            prefix = "Godkänt" if to == Atagande.Status.APPROVED else "Återsänt"
            Kommentar.objects.create(
                atagande=atagande,
                author=user,
                author_name=_name(user),
                text=f"{prefix}: {note}",
            )


def check_text(text: str) -> str:
    """Typed text (a comment, a reason) straight from the request: PostgreSQL cannot store
    NUL, so refuse it with a message rather than fail at the save; and no longer than the
    forms' free text (settings.TEXT_MAX_LENGTH, regionalsamverkan.limits): a 2 MB comment
    was stored twice, as the comment and as the trail's note."""
    if "\x00" in text:
        raise ValidationError("Texten innehåller ett otillåtet tecken (NUL).")
    limit = settings.TEXT_MAX_LENGTH
    if limit and len(text) > limit:
        most, written = (f"{n:,}".replace(",", "\N{NO-BREAK SPACE}") for n in (limit, len(text)))
        raise ValidationError(f"Texten är för lång: högst {most} tecken, du skrev {written}.")
    return text


def atagande_approve(
    *,
    atagande: Atagande,
    user: User,
    note: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    scope = scope_for(user)
    require(atagande.may_review(scope), APPROVE_REFUSAL)
    refusal = atagande.approve_refusal(scope)  # four eyes
    require(refusal is None, refusal)
    check_text(note)
    if atagande.status != Atagande.Status.SUBMITTED:
        raise ValidationError("Bara ett inskickat åtagande kan godkännas.")
    # An approved commitment is followed up: make sure its year's periods exist (only
    # once the approval is allowed, and in one transaction with it, so a refused or
    # conflicting request writes nothing).
    with transaction.atomic():
        Uppfoljningsperiod.ensure_year(atagande.year)
        _review(
            atagande,
            user=user,
            to=Atagande.Status.APPROVED,
            note=note.strip(),
            expected_version=expected_version,
            request=request,
        )


def atagande_return(
    *,
    atagande: Atagande,
    user: User,
    note: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    require(atagande.may_review(scope_for(user)), RETURN_REFUSAL)
    check_text(note)
    if atagande.status != Atagande.Status.SUBMITTED:
        raise ValidationError("Bara ett inskickat åtagande kan återsändas.")
    if not note.strip():
        raise ValidationError("Skriv en kommentar: vad behöver avdelningen ändra?")
    _review(
        atagande,
        user=user,
        to=Atagande.Status.RETURNED,
        note=note.strip(),
        expected_version=expected_version,
        request=request,
    )


def atagande_reopen(
    *,
    atagande: Atagande,
    user: User,
    reason: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    """An approved commitment is locked; changing it takes a reopen with a stated reason."""
    require(atagande.may_review(scope_for(user)), REOPEN_REFUSAL)
    check_text(reason)
    if atagande.status != Atagande.Status.APPROVED:
        raise ValidationError("Bara ett godkänt åtagande kan öppnas igen.")
    if not reason.strip():
        raise ValidationError("Ange skälet till att åtagandet öppnas igen.")
    with transaction.atomic():
        _transition(
            atagande,
            user=user,
            to=Atagande.Status.DRAFT,
            expected_version=_version(atagande, expected_version),
            note=reason.strip(),
            request=request,
        )
        Kommentar.objects.create(
            atagande=atagande,
            author=user,
            author_name=_name(user),
            text=f"Öppnat igen: {reason.strip()}",
        )


def _copyable(year, avdelning, nuts_omrade):
    own = Atagande.objects.for_owner(avdelning=avdelning, nuts_omrade=nuts_omrade)
    source = own.filter(year__lt=year).order_by("-year").values_list("year", flat=True).first()
    if source is None:
        return None, own.none()
    existing = own.filter(
        year=year, verksamhetsmal_id=OuterRef("verksamhetsmal_id"), title=OuterRef("title")
    )
    return source, own.filter(year=source).exclude(Exists(existing))


def copy_source(
    *, year: int, avdelning: Avdelning | None = None, nuts_omrade: NutsOmrade | None = None
) -> tuple[int | None, int]:
    """(the year copy_candidates starts from, how many of its commitments are left to
    copy) in two small queries, for the page's button."""
    source, left = _copyable(year, avdelning, nuts_omrade)
    return source, left.count() if source else 0


def copy_candidates(
    *, year: int, avdelning: Avdelning | None = None, nuts_omrade: NutsOmrade | None = None
) -> tuple[int | None, list[Atagande]]:
    """(source year, [commitments not yet copied]): the owner's latest earlier year that
    has commitments (a year may have been skipped), and those of its commitments that
    are not in this year yet (same goal and title). Each target carries .next_baseline:
    its last actual, or its own baseline when it was never followed up."""
    source, left = _copyable(year, avdelning, nuts_omrade)
    old = list(
        left.select_related("verksamhetsmal")
        .prefetch_related("malvarden__indikator")
        .order_by("verksamhetsmal__number", "title")
    )
    actuals = latest_actuals([a.pk for a in old])
    for a in old:
        for m in a.malvarden.all():
            u = actuals.get(m.pk)
            m.next_baseline = u.actual if u else m.baseline
    return source, old


def atagande_copy_last_year(
    *,
    user: User,
    year: int,
    avdelning: Avdelning | None = None,
    nuts_omrade: NutsOmrade | None = None,
    ids: Iterable[int] | None = None,
    request: HttpRequest | None = None,
) -> list[Atagande]:
    """The chosen commitments (ids; None = all) of the owner's latest earlier year as this
    year's drafts, targets included, each baseline set to the target's last actual.
    Commitments already there (same goal and title) are left alone; returns the new ones."""
    probe = Atagande(avdelning=avdelning, nuts_omrade=nuts_omrade, year=year)
    require(probe.may_write(scope_for(user)), WRITE_REFUSAL)
    source, old = copy_candidates(year=year, avdelning=avdelning, nuts_omrade=nuts_omrade)
    if ids is not None:
        old = [a for a in old if a.pk in set(ids)]
    created = []
    with transaction.atomic():
        for a in old:
            copy = Atagande(
                avdelning=avdelning,
                nuts_omrade=nuts_omrade,
                year=year,
                **{f: getattr(a, f) for f in FIELDS},
            )
            copy.full_clean(validate_constraints=False)
            try:
                _insert(copy)
            except ValidationError:
                continue  # copied meanwhile (a second tab, a double click): theirs stays
            changes = {k: [None, v] for k, v in snapshot(copy, FIELDS).items()}
            for m in a.malvarden.all():
                m.pk = None
                m.atagande = copy
                m.baseline = m.next_baseline
                m.save()
                changes[f"målvärde {m.indicator_name}"] = [None, snapshot(m, TARGET_FIELDS)]
            _record(
                copy,
                user=user,
                action=Handelse.Action.CREATE,
                changes=changes,
                note=f"Kopierat från {source}; utgångsläget är förra årets utfall.",
                request=request,
            )
            created.append(copy)
    return created


def uppfoljning_save(
    *,
    atagande: Atagande,
    period: Uppfoljningsperiod,
    status: str,
    comment: str,
    values: dict,
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Uppfoljning:
    """values: {malvarde_id: (actual, actual_women, actual_men)} for the commitment's targets."""
    require(atagande.may_write(scope_for(user)), FOLLOW_UP_REFUSAL)
    if atagande.status != Atagande.Status.APPROVED:
        raise ValidationError("Bara ett godkänt åtagande följs upp.")
    if period.year != atagande.year:
        raise ValidationError("Perioden hör till ett annat år än åtagandet.")
    if not period.is_open_for(atagande.avdelning_id):
        raise ValidationError(
            f"Perioden {period} stängde {period.closes_on:%Y-%m-%d}; uppföljningen är låst."
        )
    targets = {m.pk: m for m in atagande.malvarden.all()}
    for mid in values:
        if mid not in targets:
            raise ValidationError("Målvärdet hör inte till åtagandet.")
    with transaction.atomic():
        uf = Uppfoljning.objects.filter(atagande=atagande, period=period).first()
        changes = {}
        if uf is None:
            try:
                with transaction.atomic():
                    # At version 1: a form opened before anyone followed up carries 0,
                    # so its save conflicts with this one instead of overwriting it.
                    uf = Uppfoljning.objects.create(
                        atagande=atagande,
                        period=period,
                        status=status,
                        comment=comment,
                        updated_by=user,
                        version=1,
                    )
            except IntegrityError:
                # Someone else created the follow-up after we looked: theirs stays.
                raise ConflictError(ConflictError.message) from None
            changes["läge"] = [None, status]
        else:
            if uf.status != status:
                changes["läge"] = [uf.status, status]
            if uf.comment != comment:
                changes["kommentar"] = [uf.comment, comment]
            uf.status, uf.comment, uf.updated_by = status, comment, user
            uf.updated_at = timezone.now()
            save_versioned(
                uf,
                expected_version=uf.version if expected_version is None else expected_version,
                update_fields=["status", "comment", "updated_by", "updated_at"],
            )
        old = {u.malvarde_id: u for u in uf.utfall.all()}
        for mid, (actual, women, men) in values.items():
            before = old.get(mid)
            prev = (before.actual, before.actual_women, before.actual_men) if before else None
            if prev == (actual, women, men):
                continue
            Utfall.objects.update_or_create(
                uppfoljning=uf,
                malvarde_id=mid,
                defaults={"actual": actual, "actual_women": women, "actual_men": men},
            )
            changes[f"utfall {targets[mid].indicator_name}"] = [
                [str(v) if v is not None else None for v in prev] if prev else None,
                [str(v) if v is not None else None for v in (actual, women, men)],
            ]
        _record(
            atagande,
            user=user,
            action=Handelse.Action.UPDATE,
            changes=changes,
            note=f"Uppföljning {period}",
            request=request,
        )
    return uf


def period_open(
    *,
    period: Uppfoljningsperiod,
    avdelning: Avdelning,
    open_until: datetime.date,
    reason: str,
    user: User,
    request: HttpRequest | None = None,
) -> Periodoppning:
    """The project leader opens a closed period for one department (Atagande.may_open_period)."""
    require(scope_for(user).opens_periods, PERIOD_OPEN_REFUSAL)
    check_text(reason)
    if not reason.strip():
        raise ValidationError("Ange skälet till att perioden öppnas.")
    if open_until < timezone.localdate():
        raise ValidationError("Datumet har redan passerat.")
    with transaction.atomic():
        row = Periodoppning.objects.create(
            period=period,
            avdelning=avdelning,
            open_until=open_until,
            reason=reason,
            created_by=user,
        )
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE,
            obj=row,
            note=reason,
            nuts_omrade_id=avdelning.nuts_omrade_id,
            avdelning_id=avdelning.pk,
            request=request,
        )
    return row


def _name(user):
    return display_name(user)


def kommentar_add(
    *, atagande: Atagande, user: User, text: str, request: HttpRequest | None = None
) -> Kommentar:
    require(atagande.may_comment(scope_for(user)), COMMENT_REFUSAL)
    check_text(text)
    if not text.strip():
        raise ValidationError("Kommentaren är tom.")
    with transaction.atomic():
        k = Kommentar.objects.create(
            atagande=atagande, author=user, author_name=_name(user), text=text.strip()
        )
        _record(
            atagande,
            user=user,
            action=Handelse.Action.UPDATE,
            note=f"Kommentar: {k.text}",
            request=request,
        )
    return k


def sniff_type(name: str, head: bytes, data_file) -> str:
    """The file's real type from its first bytes, checked against its extension."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise ValidationError("Tillåtna filtyper är pdf, docx, xlsx, png och jpg.")
    ok = {
        "pdf": head.startswith(b"%PDF-"),
        "png": head.startswith(b"\x89PNG\r\n\x1a\n"),
        "jpg": head.startswith(b"\xff\xd8\xff"),
        "jpeg": head.startswith(b"\xff\xd8\xff"),
    }.get(ext)
    if ext in ("docx", "xlsx"):
        ok = False
        if head.startswith(b"PK\x03\x04"):
            try:
                data_file.seek(0)
                names = zipfile.ZipFile(data_file).namelist()
                ok = any(n.startswith("word/" if ext == "docx" else "xl/") for n in names)
            except zipfile.BadZipFile:
                ok = False
            data_file.seek(0)
    if not ok:
        raise ValidationError(f"Filens innehåll stämmer inte med filtypen .{ext}.")
    return ext


def bilaga_add(
    *, atagande: Atagande, upload: UploadedFile, user: User, request: HttpRequest | None = None
) -> Bilaga:
    require(atagande.may_write(scope_for(user)), ATTACH_REFUSAL)
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("Filen är för stor (högst 5 MB).")
    if atagande.bilagor.count() >= MAX_ATTACHMENTS:
        raise ValidationError(f"Ett åtagande kan ha högst {MAX_ATTACHMENTS} bilagor.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    sniff_type(upload.name, head, upload)
    with transaction.atomic():
        b = Bilaga(
            atagande=atagande,
            original_name=upload.name[-200:],
            size=upload.size,
            uploaded_by=user,
        )
        b.file.save(upload.name, upload, save=False)
        b.save()
        _record(
            atagande,
            user=user,
            action=Handelse.Action.UPDATE,
            note=f"Bilaga: {b.original_name}",
            request=request,
        )
    return b


def bilaga_delete(*, bilaga: Bilaga, user: User, request: HttpRequest | None = None) -> None:
    atagande = bilaga.atagande
    require(atagande.may_write(scope_for(user)), DETACH_REFUSAL)
    with transaction.atomic():
        name = bilaga.original_name
        bilaga.file.delete(save=False)
        bilaga.delete()
        _record(
            atagande,
            user=user,
            action=Handelse.Action.DELETE,
            note=f"Bilaga borttagen: {name}",
            request=request,
        )


def bilaga_download(*, bilaga: Bilaga, user: User, request: HttpRequest | None = None) -> File:
    """The attachment's file, opened, its download recorded in the trail."""
    atagande = bilaga.atagande
    require(atagande.may_read(scope_for(user)), DOWNLOAD_REFUSAL)
    handelse_record(
        user=user,
        action=Handelse.Action.DOWNLOAD,
        obj=bilaga,
        nuts_omrade_id=atagande.area_id,
        avdelning_id=atagande.avdelning_id,
        request=request,
    )
    return bilaga.file.open("rb")


def atagande_export_record(
    *, user: User, filename: str, request: HttpRequest | None = None
) -> None:
    """Record in the trail that the user exported an overview's rows as filename (the file
    holds what the page shows, so the page's own right is the export's)."""
    handelse_record(user=user, action=Handelse.Action.EXPORT, note=filename, request=request)


def riktlinjer_save(
    *, formset: BaseModelFormSet, user: User, request: HttpRequest | None = None
) -> None:
    """Save the validated maturity-guidance formset, each row it creates, changes or
    deletes recorded with its diff."""
    require(scope_for(user).edits_guidelines, GUIDELINES_REFUSAL)
    with transaction.atomic():
        formset_save_recorded(formset, user=user, request=request)

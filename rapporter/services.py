"""Report workflows: request, compile (the job), approve, sweep; costs and narrative.

The compile job is safe to run twice and survives a worker that dies: it claims the version
with a conditional UPDATE (queued, or running with a stale heartbeat), gathers and renders
everything in memory, and only then writes snapshot, files and status "done" in one
transaction. A worker killed before that leaves the version "running" with a heartbeat that
goes stale; the periodic sweep re-queues it (or fails it after REPORT_MAX_ATTEMPTS).
Each step it reaches (gathering, charts, PDF, workbook) is written on the version at once
(``stage``, ``progress``), so the status page shows a progress bar while it runs.
"""

import datetime
import logging
import os
import socket
import time
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from avdelningar.access import require, scope_for
from avdelningar.models import Deltagande, NutsOmrade
from avdelningar.years import participation_span
from historik.models import Handelse
from historik.services import handelse_record, save_versioned, snapshot

from . import readiness, render
from .models import Berattelse, Beslut, Kostnad, Rapportversion
from .readiness import rapport_readiness
from .snapshot import compare, gather

log = logging.getLogger(__name__)
Status = Rapportversion.Status
Stage = Rapportversion.Stage


class ReportError(Exception):
    """A report request that cannot be carried out; the message is for the user."""


# The refusals (403), said the same by a view and by the service behind it: each service
# that changes data asks access.py's predicate itself, so a second caller cannot skip it.
# A service given no user is the system itself (the yearly schedule, the shell command).
REPORTS_DENIED = (
    "Rapporterna är för projektledningen, styrgruppen, "
    "förbundsstyrelsen och de regionala samordnarna."
)
COMPILE_DENIED = "Bara projektledaren kan sammanställa rapporten."
APPROVE_DENIED = "Bara styrgruppen godkänner rapporter."
DECIDE_DENIED = "Bara styrgruppen beslutar om rapporterna."
WITHDRAW_DENIED = "Bara projektledaren kan återkalla en version."
NARRATIVES_DENIED = "Berättelsen skrivs av projektledaren och samordnarna."
NARRATIVE_DENIED = "Du kan inte ändra den här texten."
COSTS_DENIED = "Kostnadsfördelningen visas för projektledningen och samordnarna."
COSTS_EDIT_DENIED = "Bara projektledaren lägger in projektets kostnader."


def _stale_before():
    return timezone.now() - datetime.timedelta(seconds=settings.REPORT_HEARTBEAT_STALE_SECONDS)


# --- requesting ---------------------------------------------------------------------


def report_years(*, today: datetime.date | None = None) -> list[int]:
    """The years a report can be compiled for, newest first: from the first year any area
    took part in the project through this year. Years are data: a new area that joined
    earlier, or an extension, changes them."""
    first, _ = participation_span()
    if first is None:
        return []
    return list(range((today or timezone.localdate()).year, first - 1, -1))


def years_message(years: list[int]) -> str:
    if not years:
        return "Inget område deltar i projektet än; det finns inget att rapportera."
    return f"Rapporten kan bara sammanställas för projektets år, {years[-1]}–{years[0]}."


def rapport_request(
    *,
    year: int,
    nuts_omrade: NutsOmrade | None = None,
    edition: str,
    user: AbstractBaseUser | None = None,
    enqueue: bool = True,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> Rapportversion:
    """A new queued version of the report; the compile task is sent after the commit.
    Only the project's years (a year to come would wait for the steering group for ever).
    ``user`` None is the system (the yearly schedule, ``manage.py compile_report``)."""
    if user is not None:
        require(scope_for(user).can_compile_reports, COMPILE_DENIED)
    years = report_years(today=today)
    if year not in years:
        raise ReportError(years_message(years))
    participating = Deltagande.objects.nuts_ids(year)
    if not participating:
        raise ReportError(
            f"Inget område deltar i projektet {year}; det finns inget att rapportera."
        )
    if nuts_omrade is not None and nuts_omrade.pk not in participating:
        raise ReportError(f"{nuts_omrade.name} deltar inte i projektet {year}.")
    if edition not in Rapportversion.Edition.values:
        raise ReportError("Okänd utgåva.")
    for _ in range(3):
        try:
            with transaction.atomic():
                same = Rapportversion.objects.same_report(
                    year=year,
                    nuts_omrade_id=nuts_omrade.pk if nuts_omrade else None,
                    edition=edition,
                )
                number = (same.aggregate(n=Max("number"))["n"] or 0) + 1
                version = Rapportversion.objects.create(
                    year=year,
                    nuts_omrade=nuts_omrade,
                    edition=edition,
                    number=number,
                    requested_by=user if user and user.is_authenticated else None,
                )
                handelse_record(
                    user=user,
                    action=Handelse.Action.CREATE,
                    obj=version,
                    nuts_omrade_id=version.nuts_omrade_id,
                    note="Sammanställning beställd",
                    request=request,
                )
                if enqueue:
                    from .tasks import compile_report_on_commit

                    compile_report_on_commit(version.pk)
            return version
        except IntegrityError:
            # Someone took the same version number at the same moment: take the next one.
            continue
    raise ReportError("Kunde inte skapa en ny version just nu; försök igen.")


# --- the job ------------------------------------------------------------------------


def _claim(version_id):
    """Take the job; returns the claim token, or None if it is not ours to run."""
    token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    now = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, heartbeat_at__lt=_stale_before())
    updated = (
        Rapportversion.objects.filter(pk=version_id, attempts__lt=settings.REPORT_MAX_ATTEMPTS)
        .filter(claimable)
        .update(
            status=Status.RUNNING,
            claimed_by=token,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            stage=Stage.GATHERING,
            progress=Rapportversion.STEP_PROGRESS[Stage.GATHERING],
        )
    )
    return token if updated == 1 else None


def _advance(version_id, token, stage):
    """The job has reached ``stage``: one UPDATE by pk, which is also its heartbeat. Only
    the worker holding the claim moves it (a job the sweep gave away stays where the new
    holder puts it)."""
    Rapportversion.objects.filter(pk=version_id, claimed_by=token).update(
        stage=stage, progress=Rapportversion.STEP_PROGRESS[stage], heartbeat_at=timezone.now()
    )


def rapport_compile(*, version_id: int) -> Rapportversion | None:
    """Compile a queued version. Returns the version if this call finished it, else None."""
    token = _claim(version_id)
    if token is None:
        log.info("rapportversion %s: not claimable (done, taken or out of attempts)", version_id)
        return None
    version = Rapportversion.objects.select_related("nuts_omrade", "requested_by").get(
        pk=version_id
    )
    ip = _requester_ip(version)
    try:
        snap = gather(year=version.year, nuts_omrade=version.nuts_omrade, edition=version.edition)
        previous = Rapportversion.objects.previous_approved(version)
        snap["changes"] = compare(snap, previous)
        snap["number"] = version.number
        # What was missing when it was compiled: the report says so (rapporter/_gaps.html).
        gaps = rapport_readiness(year=version.year, nuts_omrade=version.nuts_omrade)
        snap["gaps"] = [g.as_dict() for g in gaps]
        snap["gaps_summary"] = readiness.summary(snap["gaps"])
        _advance(version_id, token, Stage.CHARTS)
        if settings.TESTING and settings.REPORT_TEST_PAUSE_SECONDS:
            # Test-only: a window in which the worker-kill test kills the worker.
            time.sleep(settings.REPORT_TEST_PAUSE_SECONDS)
        version.snapshot = snap
        html = render.render_html(version)  # the charts are drawn here
        _advance(version_id, token, Stage.PDF)
        pdf = render.render_pdf(version, body=html)
        _advance(version_id, token, Stage.WORKBOOK)
        xlsx = render.render_xlsx(snap, version)
    except Exception as exc:
        log.exception("rapportversion %s failed", version_id)
        with transaction.atomic():
            n = Rapportversion.objects.filter(pk=version_id, claimed_by=token).update(
                status=Status.FAILED, failure_reason=str(exc)[:1000], finished_at=timezone.now()
            )
            if n:
                _record_status(version, Status.RUNNING, Status.FAILED, str(exc)[:1000], ip=ip)
        return None

    with transaction.atomic():
        row = Rapportversion.objects.order_by().select_for_update().filter(pk=version_id).first()
        if row is None or row.claimed_by != token or row.status != Status.RUNNING:
            # The sweep gave the job to another worker meanwhile; that one writes it.
            return None
        name = _file_name(row)
        row.snapshot = snap
        row.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        row.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
        row.status = Status.DONE
        row.failure_reason = ""
        row.finished_at = timezone.now()
        row.stage, row.progress = Stage.DONE, Rapportversion.STEP_PROGRESS[Stage.DONE]
        row.save(
            update_fields=[
                "snapshot",
                "pdf",
                "xlsx",
                "status",
                "failure_reason",
                "finished_at",
                "stage",
                "progress",
            ]
        )
        handelse_record(
            user=None,
            action=Handelse.Action.TRANSITION,
            obj=row,
            changes={"status": [Status.RUNNING, Status.DONE]},
            nuts_omrade_id=row.nuts_omrade_id,
            note=f"Sammanställd (försök {row.attempts})",
            ip_address=ip,
        )
        from .tasks import notify_report

        notify_report.delay_on_commit(row.pk, "compiled")
    return row


def _requester_ip(version):
    """The address the version was requested from (its "beställd" row), for the job's own
    rows: the job has no request of its own. None for the yearly schedule."""
    return (
        Handelse.objects.filter(
            model=Rapportversion._meta.label,
            object_id=str(version.pk),
            action=Handelse.Action.CREATE,
        )
        .values_list("ip_address", flat=True)
        .first()
    )


def rapport_sweep() -> tuple[list[int], list[int]]:
    """Re-queue versions whose worker vanished; fail those out of attempts.

    Returns (requeued ids, failed ids).
    """
    from .tasks import compile_report_on_commit

    stale = _stale_before()
    lost = Q(status=Status.RUNNING, heartbeat_at__lt=stale) | Q(
        status=Status.QUEUED, created_at__lt=stale
    ) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale))
    requeued, failed = [], []
    rows = Rapportversion.objects.filter(lost).values_list("pk", "attempts", "status")
    for pk, attempts, status in rows:
        with transaction.atomic():
            if attempts >= settings.REPORT_MAX_ATTEMPTS:
                n = Rapportversion.objects.filter(lost, pk=pk).update(
                    status=Status.FAILED,
                    failure_reason=(
                        f"Sammanställningen avbröts {attempts} gånger (arbetsprocessen "
                        "försvann); den har gett upp. Beställ en ny sammanställning."
                    ),
                    finished_at=timezone.now(),
                )
                if n:
                    failed.append(pk)
                    _record_status(pk, status, Status.FAILED, "Avbruten för många gånger")
                continue
            # Back to the queue; the fresh heartbeat keeps the next sweep from re-sending.
            # The progress starts again with the next attempt.
            n = Rapportversion.objects.filter(lost, pk=pk).update(
                status=Status.QUEUED,
                heartbeat_at=timezone.now(),
                stage=Stage.NOT_STARTED,
                progress=0,
            )
            if n:
                requeued.append(pk)
                _record_status(pk, status, Status.QUEUED, "Åter i kön (arbetsprocessen försvann)")
                compile_report_on_commit(pk)
    return requeued, failed


def _record_status(version, before, after, note, ip=None):
    """A status change made by the job machinery itself (no user) on the version's history."""
    if not isinstance(version, Rapportversion):
        version = Rapportversion.objects.select_related("nuts_omrade").get(pk=version)
    handelse_record(
        user=None,
        action=Handelse.Action.TRANSITION,
        obj=version,
        changes={"status": [before, after]},
        nuts_omrade_id=version.nuts_omrade_id,
        note=note,
        ip_address=ip,
    )


def rapport_schedule_previous_year(*, today: datetime.date | None = None) -> list[Rapportversion]:
    """The yearly job: compile last year's reports (both editions, whole project)."""
    year = (today or timezone.localdate()).year - 1
    # Beat can fire a yearly entry twice (a restart around the hour, two beat processes):
    # a version this job requested in the last hours is not requested again.
    recent = Rapportversion.objects.filter(
        year=year,
        nuts_omrade__isnull=True,
        requested_by__isnull=True,
        created_at__gte=timezone.now() - datetime.timedelta(hours=20),
    )
    made = []
    for edition in Rapportversion.Edition.values:
        if recent.filter(edition=edition).exists():
            log.info("scheduled report %s %s already requested today", year, edition)
            continue
        try:
            made.append(rapport_request(year=year, edition=edition, today=today))
        except ReportError as exc:
            log.warning("scheduled report %s %s not requested: %s", year, edition, exc)
    return made


def _approvable(row):
    """Refuse what cannot be approved: not finished, approved, sent back, or another
    version of the same report approved already."""
    if row.status != Status.DONE:
        raise ReportError("Bara en färdig sammanställning kan godkännas.")
    if row.is_approved:
        raise ReportError("Versionen är redan godkänd.")
    _undecided(row)
    other = (
        Rapportversion.objects.same_report(
            year=row.year, nuts_omrade_id=row.nuts_omrade_id, edition=row.edition
        )
        .approved()
        .exclude(pk=row.pk)
        .first()
    )
    if other is not None:
        raise ReportError(
            f"Version {other.number} är redan godkänd för samma rapport; "
            "en godkänd version är låst."
        )


def _undecided(row):
    """A version gets one decision: one sent back stays sent back (a new version is
    compiled instead), so the report's list of decisions never changes its mind."""
    earlier = Beslut.objects.filter(version_id=row.pk).first()
    if earlier is None:
        return
    if earlier.is_return:
        raise ReportError(
            f"Styrgruppen skickade tillbaka version {row.number} "
            f"{earlier.meeting_date.isoformat()}; sammanställ en ny version i stället."
        )
    raise ReportError("Styrgruppen har redan beslutat om den här versionen.")


def _file_name(row, suffix=""):
    where = row.nuts_omrade.code if row.nuts_omrade_id else "alla"
    return f"rapport-{row.year}-{where}-{row.edition}-v{row.number}{suffix}"


# --- the steering group's decision ---------------------------------------------------

PARAGRAPH_MAX = Beslut._meta.get_field("paragraph").max_length
COMMENT_MAX = 2000


def meeting_date_problem(
    version: Rapportversion, meeting_date: datetime.date | None, *, today: datetime.date | None
) -> str | None:
    """What is wrong with the meeting's date for a decision on the version, or None: it
    is required, not in the future and not before the version was compiled. The form
    says the same (forms.BeslutForm)."""
    if meeting_date is None:
        return "Ange datumet för styrgruppens möte."
    if meeting_date > (today or timezone.localdate()):
        return "Mötets datum kan inte ligga i framtiden."
    compiled = version.compiled_on
    if meeting_date < compiled:
        return (
            f"Mötet kan inte ha beslutat om versionen före {compiled.isoformat()}, "
            "då den sammanställdes."
        )
    return None


def normalize_paragraph(paragraph: str) -> str:
    """The protocol paragraph as the minutes write it: "12" becomes "§ 12"."""
    paragraph = " ".join(paragraph.split())
    if paragraph.isdecimal():
        return f"§ {paragraph}"
    return paragraph


def _decision_fields(version, meeting_date, paragraph, comment, today):
    problem = meeting_date_problem(version, meeting_date, today=today)
    if problem:
        raise ReportError(problem)
    paragraph = normalize_paragraph(paragraph)
    if len(paragraph) > PARAGRAPH_MAX:
        raise ReportError(f"Paragrafen får vara högst {PARAGRAPH_MAX} tecken, t.ex. § 12.")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ReportError(f"Kommentaren får vara högst {COMMENT_MAX} tecken.")
    return paragraph, comment


def _record_decision(beslut, *, request):
    """The decision's own row in the trail (what was decided, at which meeting)."""
    handelse_record(
        user=beslut.decided_by,
        action=Handelse.Action.CREATE,
        obj=beslut,
        changes={
            "kind": [None, beslut.kind],
            "meeting_date": [None, beslut.meeting_date.isoformat()],
            "paragraph": [None, beslut.paragraph],
            "comment": [None, beslut.comment],
        },
        nuts_omrade_id=beslut.version.nuts_omrade_id,
        request=request,
    )


def _meeting_note(beslut):
    where = f" {beslut.paragraph}" if beslut.paragraph else ""
    return f"Styrgruppens möte {beslut.meeting_date.isoformat()}{where}"


def _forget_report_pages(row, *, keep=None):
    """Every version of the report lists the report's decisions: drop their kept HTML
    (render.html_cache_key) once the decision has committed, so the next reader sees it."""
    versions = list(
        Rapportversion.objects.same_report(
            year=row.year, nuts_omrade_id=row.nuts_omrade_id, edition=row.edition
        ).exclude(pk=keep)
    )
    transaction.on_commit(lambda: cache.delete_many([render.html_cache_key(v) for v in versions]))


def rapport_decide(
    *,
    version: Rapportversion,
    user: AbstractBaseUser,
    kind: str,
    meeting_date: datetime.date | None,
    paragraph: str = "",
    comment: str = "",
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> Beslut:
    """Record the steering group's decision on a finished version, taken at a meeting:
    approve it (rapport_approve: locked, stamped, shown to the national board) or send it
    back to the project leader with a comment (rapport_return)."""
    require(scope_for(user).can_approve_reports, DECIDE_DENIED)
    # Required here, where the meeting is asked for; rapport_approve's older callers
    # (the demo, the shell) approve as of today.
    problem = meeting_date_problem(version, meeting_date, today=today)
    if problem:
        raise ReportError(problem)
    if kind == Beslut.Kind.APPROVE:
        row = rapport_approve(
            version=version,
            user=user,
            request=request,
            meeting_date=meeting_date,
            paragraph=paragraph,
            comment=comment,
            today=today,
        )
        return Beslut.objects.select_related("version").get(version=row)
    if kind == Beslut.Kind.RETURN:
        return rapport_return(
            version=version,
            user=user,
            meeting_date=meeting_date,
            paragraph=paragraph,
            comment=comment,
            request=request,
            today=today,
        )
    raise ReportError("Välj om styrgruppen godkänner versionen eller skickar tillbaka den.")


def rapport_return(
    *,
    version: Rapportversion,
    user: AbstractBaseUser,
    meeting_date: datetime.date | None,
    comment: str,
    paragraph: str = "",
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> Beslut:
    """The steering group sends a finished version back with a comment: it stays readable
    (with the comment), can no longer be approved, and the project leader compiles a new
    version of the same report. The requester and the project leader(s) are told."""
    require(scope_for(user).can_approve_reports, DECIDE_DENIED)
    if not comment.strip():
        raise ReportError("Skriv styrgruppens kommentar: vad ska ändras i en ny version?")
    with transaction.atomic():
        # The area is for the mail and the trail; only the version's row is locked
        # (PostgreSQL refuses to lock the nullable side of the outer join).
        row = (
            Rapportversion.objects.order_by()
            .select_for_update(of=("self",))
            .select_related("nuts_omrade")
            .get(pk=version.pk)
        )
        if row.status != Status.DONE:
            raise ReportError("Bara en färdig sammanställning kan skickas tillbaka.")
        if row.is_approved:
            raise ReportError("En godkänd version är låst och kan inte skickas tillbaka.")
        _undecided(row)
        paragraph, comment = _decision_fields(row, meeting_date, paragraph, comment, today)
        beslut = Beslut.objects.create(
            version=row,
            kind=Beslut.Kind.RETURN,
            meeting_date=meeting_date,
            paragraph=paragraph,
            comment=comment,
            decided_by=user,
        )
        _record_decision(beslut, request=request)
        handelse_record(
            user=user,
            action=Handelse.Action.TRANSITION,
            obj=row,
            changes={"beslut": [None, Beslut.Kind.RETURN]},
            nuts_omrade_id=row.nuts_omrade_id,
            note=f"Skickad tillbaka av styrgruppen ({_meeting_note(beslut)})",
            request=request,
        )
        _forget_report_pages(row)
        from .tasks import notify_report

        notify_report.delay_on_commit(row.pk, "returned")
    return beslut


def rapport_approve(
    *,
    version: Rapportversion,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
    meeting_date: datetime.date | None = None,
    paragraph: str = "",
    comment: str = "",
    today: datetime.date | None = None,
) -> Rapportversion:
    """Approve a finished version: it is locked and visible to the national board, and
    the decision (``Beslut``, at the meeting of ``meeting_date``, today when not given)
    is recorded with it.

    The PDF and the workbook are rendered again from the same snapshot with the approval
    stamp (who, when) on the cover: a reader who downloads an approved version must not
    read "ej godkänd". The rendering happens before the row is locked (it takes seconds);
    the checks are repeated under the lock, and files of an approval that did not commit
    are removed.
    """
    require(scope_for(user).can_approve_reports, APPROVE_DENIED)
    row = Rapportversion.objects.select_related("nuts_omrade").get(pk=version.pk)
    _approvable(row)
    meeting_date = meeting_date or today or timezone.localdate()
    paragraph, comment = _decision_fields(row, meeting_date, paragraph, comment, today)
    now = timezone.now()
    row.approved_by, row.approved_at = user, now
    beslut = Beslut(
        version=row,
        kind=Beslut.Kind.APPROVE,
        meeting_date=meeting_date,
        paragraph=paragraph,
        comment=comment,
        decided_by=user,
        decided_at=now,
    )
    # The stamped files list the report's decisions, this one among them.
    row.pending_decision = beslut
    html = render.render_html(row)
    pdf = render.render_pdf(row, body=html)
    xlsx = render.render_xlsx(row.snapshot, row)
    new_names = []
    try:
        with transaction.atomic():
            row = Rapportversion.objects.order_by().select_for_update().get(pk=version.pk)
            _approvable(row)
            old = [f.name for f in (row.pdf, row.xlsx) if f]
            name = _file_name(row, "-godkand")
            row.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
            row.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
            new_names = [row.pdf.name, row.xlsx.name]
            row.approved_by = user
            row.approved_at = now
            row.save(update_fields=["approved_by", "approved_at", "pdf", "xlsx"])
            beslut.version = row
            beslut.save()
            handelse_record(
                user=user,
                action=Handelse.Action.TRANSITION,
                obj=row,
                changes={"approved": [False, True]},
                nuts_omrade_id=row.nuts_omrade_id,
                note=_meeting_note(beslut),
                request=request,
            )
            _record_decision(beslut, request=request)
            storage = row.pdf.storage
            transaction.on_commit(lambda: [storage.delete(n) for n in old])
            _forget_report_pages(row, keep=row.pk)
            from .tasks import notify_report

            notify_report.delay_on_commit(row.pk, "approved")
    except IntegrityError:
        _remove(new_names)
        raise ReportError("En annan version av samma rapport godkändes samtidigt.") from None
    except Exception:
        _remove(new_names)
        raise
    # The page readers open next is the one just rendered.
    cache.set(render.html_cache_key(row), html, timeout=24 * 3600)
    return row


def _remove(names):
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def rapport_withdraw(
    *, version: Rapportversion, user: AbstractBaseUser, request: HttpRequest | None = None
) -> Rapportversion:
    """The project leader withdraws an unapproved version (a mistaken compile, a year
    compiled too early): it leaves the list of readable versions, its files are deleted,
    the trail keeps who and when. Its number is not used again."""
    require(scope_for(user).can_withdraw_reports, WITHDRAW_DENIED)
    with transaction.atomic():
        row = Rapportversion.objects.order_by().select_for_update().get(pk=version.pk)
        if row.is_approved:
            raise ReportError("En godkänd version kan inte återkallas; den är låst.")
        if row.status == Status.WITHDRAWN:
            raise ReportError("Versionen är redan återkallad.")
        before = row.status
        row.delete_files_on_commit()
        row.status = Status.WITHDRAWN
        row.pdf = row.xlsx = ""
        # A worker still compiling it no longer holds it: its result is not written.
        row.claimed_by = ""
        row.finished_at = timezone.now()
        row.save(update_fields=["status", "pdf", "xlsx", "claimed_by", "finished_at"])
        handelse_record(
            user=user,
            action=Handelse.Action.TRANSITION,
            obj=row,
            changes={"status": [before, Status.WITHDRAWN]},
            nuts_omrade_id=row.nuts_omrade_id,
            note="Återkallad",
            request=request,
        )
    return row


# --- costs and narrative -------------------------------------------------------------


def kostnad_save(
    *,
    year: int,
    user: AbstractBaseUser,
    expected_version: int,
    coordinators: int,
    project_leader: int,
    other: int,
    request: HttpRequest | None = None,
) -> Kostnad:
    """The year's costs, entered by the project leader (optimistic lock: ``expected_version``)."""
    require(scope_for(user).can_edit_costs, COSTS_EDIT_DENIED)
    with transaction.atomic():
        obj, created = Kostnad.objects.get_or_create(year=year, defaults={"updated_by": user})
        if created:
            expected_version = 0
        before = snapshot(obj, ["coordinators", "project_leader", "other"])
        obj.coordinators, obj.project_leader, obj.other = coordinators, project_leader, other
        obj.updated_by = user
        save_versioned(
            obj,
            expected_version=expected_version,
            update_fields=["coordinators", "project_leader", "other", "updated_by"],
        )
        after = snapshot(obj, ["coordinators", "project_leader", "other"])
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE if created else Handelse.Action.UPDATE,
            obj=obj,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
            request=request,
        )
    return obj


def berattelse_save(
    *,
    year: int,
    nuts_omrade: NutsOmrade | None,
    user: AbstractBaseUser,
    expected_version: int,
    text: str,
    request: HttpRequest | None = None,
) -> Berattelse:
    """The overall assessment (no area) or an area's text (optimistic lock, as kostnad_save)."""
    require(
        scope_for(user).can_edit_narrative(nuts_omrade.pk if nuts_omrade else None),
        NARRATIVE_DENIED,
    )
    with transaction.atomic():
        obj, created = Berattelse.objects.get_or_create(
            year=year, nuts_omrade=nuts_omrade, defaults={"updated_by": user}
        )
        if created:
            expected_version = 0
        before = obj.text
        obj.text, obj.updated_by = text, user
        save_versioned(obj, expected_version=expected_version, update_fields=["text", "updated_by"])
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE if created else Handelse.Action.UPDATE,
            obj=obj,
            changes={"text": [before, text]} if before != text else {},
            nuts_omrade_id=nuts_omrade.pk if nuts_omrade else None,
            request=request,
        )
    return obj


# --- reading and handing out: recorded in the trail ------------------------------------
# A version read on screen counts like a download (both are who saw the report); the views
# only serve what these record.


def rapport_read_record(
    *,
    version: Rapportversion,
    user: AbstractBaseUser,
    what: str,
    request: HttpRequest | None = None,
) -> None:
    """Record that the user read the version: ``what`` is "HTML" (on screen), "PDF" or
    "XLSX" (a download). Refused (404, as for a foreign id) for a version they may not see."""
    if not version.visible_to(scope_for(user)):
        raise Http404("Rapporten finns inte.")
    handelse_record(
        user=user,
        action=Handelse.Action.VIEW if what == "HTML" else Handelse.Action.DOWNLOAD,
        obj=version,
        note=what,
        nuts_omrade_id=version.nuts_omrade_id,
        request=request,
    )


def kostnad_export_record(
    *, year: int, user: AbstractBaseUser, fmt: str, request: HttpRequest | None = None
) -> None:
    """Record that the user exported the year's cost split (CSV or XLSX)."""
    require(scope_for(user).sees_costs, COSTS_DENIED)
    handelse_record(
        user=user,
        action=Handelse.Action.EXPORT,
        model="rapporter.Kostnad",
        object_id=str(year),
        object_repr=f"Kostnadsfördelning {year}",
        note=fmt.upper(),
        request=request,
    )

"""The annual status report: the year's costs, the narrative, and compiled report versions.

A compiled version is a frozen snapshot: every number is copied into ``snapshot`` (JSON)
and the rendered PDF and XLSX are stored files, so later edits of commitments or
activities never change it. Compiling again makes a new version.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from avdelningar.models import NutsOmrade
from historik.models import Versioned


class Kostnad(Versioned):
    """The project's costs for one year, in whole kronor, entered by the project leader."""

    year = models.PositiveSmallIntegerField("år", unique=True)
    coordinators = models.PositiveBigIntegerField("regionala samordnare (kr)", default=0)
    project_leader = models.PositiveBigIntegerField("projektledare (kr)", default=0)
    other = models.PositiveBigIntegerField("övrigt (kr)", default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ändrad av",
    )

    class Meta:
        verbose_name = "projektkostnad"
        verbose_name_plural = "projektkostnader"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(coordinators__gte=0, project_leader__gte=0, other__gte=0),
                name="kostnad_not_negative",
                violation_error_message="Kostnaderna kan inte vara negativa.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="kostnad_year_sane",
                violation_error_message="Året ska ligga mellan 2000 och 2100.",
            ),
        ]

    def __str__(self):
        return f"Projektkostnader {self.year}"

    def get_absolute_url(self):
        return reverse("rapporter:kostnad", args=[self.year])

    @property
    def total(self):
        return self.coordinators + self.project_leader + self.other


class Berattelse(Versioned):
    """Narrative for a year: the project leader's overall assessment (no area) or a
    coordinator's text for their area."""

    year = models.PositiveSmallIntegerField("år")
    nuts_omrade = models.ForeignKey(
        NutsOmrade,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="NUTS-område",
    )
    text = models.TextField("text", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ändrad av",
    )

    class Meta:
        verbose_name = "berättelse"
        verbose_name_plural = "berättelser"
        ordering = ["year", "nuts_omrade__code"]
        constraints = [
            # NULL areas are distinct in a plain unique constraint: two conditional ones.
            models.UniqueConstraint(
                fields=["year", "nuts_omrade"],
                condition=Q(nuts_omrade__isnull=False),
                name="berattelse_one_per_year_area",
                violation_error_message="Det finns redan en berättelse för området det året.",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(nuts_omrade__isnull=True),
                name="berattelse_one_overall_per_year",
                violation_error_message=(
                    "Det finns redan en berättelse för hela projektet det året."
                ),
            ),
        ]

    def __str__(self):
        where = self.nuts_omrade.code if self.nuts_omrade_id else "samlad bedömning"
        return f"Berättelse {self.year} ({where})"

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None


class RapportversionQuerySet(models.QuerySet):
    def same_report(self, *, year, nuts_omrade_id, edition):
        qs = self.filter(year=year, edition=edition)
        if nuts_omrade_id is None:
            return qs.filter(nuts_omrade__isnull=True)
        return qs.filter(nuts_omrade_id=nuts_omrade_id)

    def approved(self):
        return self.filter(approved_at__isnull=False)

    def visible_to(self, scope):
        """The versions the user may read: Rapportversion.visible_to for many rows, from the
        same role predicates of avdelningar.access (docs/rapport.md, "Vem ser vad")."""
        if scope.sees_unapproved_reports:
            return self
        own_area = Q(nuts_omrade_id__in=scope.coordinated_nuts_ids)
        approved = Q(approved_at__isnull=False)
        if scope.sees_approved_area_reports:
            return self.filter(approved | own_area)
        if scope.sees_reports:
            return self.filter(Q(nuts_omrade__isnull=True) & approved | own_area)
        return self.none()

    def previous_approved(self, version):
        """What a new version is compared with: the approved version of the same report,
        or, before that exists, the latest approved one of an earlier year (same area and
        edition), so the first compile of a year shows what changed since last year's."""
        series = self.approved().filter(
            edition=version.edition, nuts_omrade_id=version.nuts_omrade_id
        )
        return (
            series.filter(year=version.year).exclude(pk=version.pk).first()
            or series.filter(year__lt=version.year).order_by("-year", "-number").first()
        )


def _upload_to(instance, filename):
    return f"rapporter/{instance.year}/{filename}"


class Rapportversion(models.Model):
    """One compilation of the report for (year, area or whole project, edition)."""

    class Edition(models.TextChoices):
        STYRGRUPP = "styrgrupp", "Styrgruppens rapport (fullständig)"
        FORBUNDSSTYRELSE = "forbundsstyrelse", "Förbundsstyrelsens sammanfattning"

    class Status(models.TextChoices):
        QUEUED = "queued", "I kö"
        RUNNING = "running", "Sammanställs"
        DONE = "done", "Klar"
        FAILED = "failed", "Misslyckades"
        WITHDRAWN = "withdrawn", "Återkallad"

    class Stage(models.TextChoices):
        """The compile job's steps, in order (docs/rapport.md, "Förloppet")."""

        NOT_STARTED = "", "Inte startad"
        GATHERING = "gathering", "Hämtar uppgifterna"
        CHARTS = "charts", "Ritar diagrammen"
        PDF = "pdf", "Skapar PDF-filen"
        WORKBOOK = "workbook", "Skapar Excel-arbetsboken"
        DONE = "done", "Klar"

    year = models.PositiveSmallIntegerField("år")
    nuts_omrade = models.ForeignKey(
        NutsOmrade,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="NUTS-område",
        help_text="Tomt: hela projektet.",
    )
    edition = models.CharField("utgåva", max_length=20, choices=Edition.choices)
    number = models.PositiveIntegerField("versionsnummer")
    status = models.CharField("status", max_length=10, choices=Status.choices, default="queued")
    failure_reason = models.TextField("orsak", blank=True)
    snapshot = models.JSONField("ögonblicksbild", default=dict, blank=True)
    pdf = models.FileField("PDF", upload_to=_upload_to, blank=True)
    xlsx = models.FileField("XLSX", upload_to=_upload_to, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="beställd av",
    )
    created_at = models.DateTimeField("beställd", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="godkänd av",
    )
    approved_at = models.DateTimeField("godkänd", null=True, blank=True)
    # The job: which worker holds it, and when it last showed signs of life.
    attempts = models.PositiveSmallIntegerField("försök", default=0)
    claimed_by = models.CharField("arbetare", max_length=120, blank=True)
    heartbeat_at = models.DateTimeField("senaste livstecken", null=True, blank=True)
    started_at = models.DateTimeField("startad", null=True, blank=True)
    finished_at = models.DateTimeField("klar", null=True, blank=True)
    # How far the job has come, for the progress bar: set by the job at each step.
    stage = models.CharField(
        "steg", max_length=10, choices=Stage.choices, default=Stage.NOT_STARTED, blank=True
    )
    progress = models.PositiveSmallIntegerField("förlopp (%)", default=0)

    objects = RapportversionQuerySet.as_manager()

    class Meta:
        verbose_name = "rapportversion"
        verbose_name_plural = "rapportversioner"
        ordering = ["-year", "nuts_omrade__code", "edition", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed", "withdrawn"]),
                name="rapportversion_status_valid",
                violation_error_message="Okänd status.",
            ),
            models.CheckConstraint(
                condition=Q(edition__in=["styrgrupp", "forbundsstyrelse"]),
                name="rapportversion_edition_valid",
                violation_error_message="Okänd utgåva.",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["", "gathering", "charts", "pdf", "workbook", "done"]),
                name="rapportversion_stage_valid",
                violation_error_message="Okänt steg.",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="rapportversion_progress_percent",
                violation_error_message="Förloppet anges i procent, 0–100.",
            ),
            # Only a finished version can be approved.
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(status="done"),
                name="rapportversion_approved_only_when_done",
                violation_error_message="Bara en färdigsammanställd version kan godkännas.",
            ),
            models.UniqueConstraint(
                fields=["year", "nuts_omrade", "edition", "number"],
                condition=Q(nuts_omrade__isnull=False),
                name="rapportversion_number_unique_area",
                violation_error_message="Det versionsnumret finns redan.",
            ),
            models.UniqueConstraint(
                fields=["year", "edition", "number"],
                condition=Q(nuts_omrade__isnull=True),
                name="rapportversion_number_unique_project",
                violation_error_message="Det versionsnumret finns redan.",
            ),
            models.UniqueConstraint(
                fields=["year", "nuts_omrade", "edition"],
                condition=Q(approved_at__isnull=False, nuts_omrade__isnull=False),
                name="rapportversion_one_approved_area",
                violation_error_message="Det finns redan en godkänd version av rapporten.",
            ),
            models.UniqueConstraint(
                fields=["year", "edition"],
                condition=Q(approved_at__isnull=False, nuts_omrade__isnull=True),
                name="rapportversion_one_approved_project",
                violation_error_message="Det finns redan en godkänd version av rapporten.",
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"

    def get_absolute_url(self):
        return reverse("rapporter:detail", args=[self.pk])

    @property
    def title(self):
        where = self.nuts_omrade.name if self.nuts_omrade_id else "hela projektet"
        kind = "Lägesrapport" if self.edition == self.Edition.STYRGRUPP else "Sammanfattning"
        return f"{kind} {self.year}, {where}"

    @property
    def is_approved(self):
        return self.approved_at is not None

    def visible_to(self, scope):
        """May the user read this version (docs/rapport.md, "Vem ser vad")? Unapproved: those
        who see unapproved reports, and a coordinator their own area's edition. Approved: the
        whole project's for everyone who sees reports, an area's for its coordinator and
        those who see every area's. From the role predicates of avdelningar.access."""
        if scope.sees_unapproved_reports:
            return True
        if self.nuts_omrade_id is not None and self.nuts_omrade_id in scope.coordinated_nuts_ids:
            return True
        if not self.is_approved:
            return False
        if self.nuts_omrade_id is None:
            return scope.sees_reports
        return scope.sees_approved_area_reports

    @property
    def compiled_on(self):
        """The day the version was compiled (the job finished), else the day it was
        requested: a meeting cannot have decided on it before."""
        return timezone.localdate(self.finished_at or self.created_at)

    def decisions(self):
        """The steering group's decisions on every version of this report (year, area,
        edition), oldest meeting first: what the report lists. A decision being recorded
        (``pending_decision``, set while the approved files are rendered, before the row
        is written) is among them, so the stamped PDF lists its own approval."""
        rows = list(
            Beslut.objects.for_report(
                year=self.year, nuts_omrade_id=self.nuts_omrade_id, edition=self.edition
            )
        )
        pending = getattr(self, "pending_decision", None)
        if pending is not None and all(b.version_id != self.pk for b in rows):
            rows.append(pending)
        return sorted(rows, key=lambda b: (b.meeting_date, b.decided_at))

    def compile_again_url(self):
        """Where the project leader compiles a new version of the same report (year,
        edition, area): the compile form, filled in."""
        query = f"?ar={self.year}&utgava={self.edition}"
        if self.nuts_omrade_id:
            query += f"&omrade={self.nuts_omrade_id}"
        return reverse("rapporter:list") + query

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.WITHDRAWN)

    # The job's four visible steps, in order, and how far along (percent) the job is when
    # each starts: the shares follow the time each took on the demo data (gathering about
    # 0.2 s, the charts and HTML under 1 s, the PDF 5 s, the workbook 0.1 s).
    STEPS = (Stage.GATHERING, Stage.CHARTS, Stage.PDF, Stage.WORKBOOK)
    STEP_PROGRESS = {
        Stage.NOT_STARTED: 0,
        Stage.GATHERING: 5,
        Stage.CHARTS: 15,
        Stage.PDF: 30,
        Stage.WORKBOOK: 95,
        Stage.DONE: 100,
    }

    def steps(self):
        """[(label, state)] for the progress page, state "done", "current" or "waiting"; a
        failed job's step is "failed"."""
        current = self.STEPS.index(self.stage) if self.stage in self.STEPS else None
        if self.stage == self.Stage.DONE:
            current = len(self.STEPS)
        out = []
        for i, step in enumerate(self.STEPS):
            if current is None or i > current:
                state = "waiting"
            elif i < current:
                state = "done"
            elif self.status == self.Status.FAILED:
                state = "failed"
            else:
                state = "current"
            out.append((step.label, state))
        return out

    @property
    def step_key(self):
        """Changes whenever the progress page would show something new (the poll's key)."""
        return f"{self.status}.{self.stage}.{self.attempts}"

    @property
    def step_number(self):
        """The current step, 1–4 (0 before the job starts)."""
        return self.STEPS.index(self.stage) + 1 if self.stage in self.STEPS else 0

    def delete_files_on_commit(self):
        """Its PDF and workbook leave the disk once the row's delete has committed; a
        rolled-back delete keeps them, since the row still points at them."""
        names = [f.name for f in (self.pdf, self.xlsx) if f]
        storage = self.pdf.storage

        def remove():
            for name in names:
                storage.delete(name)

        transaction.on_commit(remove)

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None


class BeslutQuerySet(models.QuerySet):
    def for_report(self, *, year, nuts_omrade_id, edition):
        """The decisions on every version of one report (year, area or whole project,
        edition)."""
        qs = self.filter(version__year=year, version__edition=edition)
        if nuts_omrade_id is None:
            qs = qs.filter(version__nuts_omrade__isnull=True)
        else:
            qs = qs.filter(version__nuts_omrade_id=nuts_omrade_id)
        return qs.select_related("version").order_by("meeting_date", "decided_at")


class Beslut(models.Model):
    """The steering group's decision on a compiled version, taken at a meeting: approve
    it, or send it back to the project leader with a comment. One per version; a version
    sent back is replaced by compiling a new one, which gets its own decision."""

    class Kind(models.TextChoices):
        APPROVE = "approve", "Godkänd"
        RETURN = "return", "Skickad tillbaka"

    version = models.ForeignKey(
        Rapportversion, models.PROTECT, related_name="beslut", verbose_name="rapportversion"
    )
    kind = models.CharField("beslut", max_length=10, choices=Kind.choices)
    meeting_date = models.DateField("mötets datum")
    paragraph = models.CharField("protokollsparagraf", max_length=20, blank=True)
    comment = models.TextField("kommentar", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registrerat av",
    )
    decided_at = models.DateTimeField("registrerat", default=timezone.now)

    objects = BeslutQuerySet.as_manager()

    class Meta:
        verbose_name = "styrgruppsbeslut"
        verbose_name_plural = "styrgruppsbeslut"
        ordering = ["-meeting_date", "-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["approve", "return"]),
                name="beslut_kind_valid",
                violation_error_message=(
                    "Okänt beslut: styrgruppen godkänner eller skickar tillbaka."
                ),
            ),
            # Sending back without saying why leaves the project leader guessing.
            models.CheckConstraint(
                condition=Q(kind="approve") | ~Q(comment=""),
                name="beslut_return_has_comment",
                violation_error_message=(
                    "En version som skickas tillbaka ska ha styrgruppens kommentar."
                ),
            ),
            models.UniqueConstraint(
                fields=["version"],
                name="beslut_one_per_version",
                violation_error_message="Styrgruppen har redan beslutat om den här versionen.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.version} ({self.meeting_date.isoformat()})"

    @property
    def is_return(self):
        return self.kind == self.Kind.RETURN

    @property
    def audit_tenant(self):
        return self.version.nuts_omrade_id, None

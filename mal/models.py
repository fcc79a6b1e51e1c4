"""The project's three project goals, eight activity goals and the indicator catalogue.

Goals are reference data (data migration 0002); their titles are the union's own
names and fixed, their descriptions are editable in admin.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from avdelningar.models import SV, department_tenant
from historik.models import Versioned


class Projektmal(models.Model):
    number = models.PositiveSmallIntegerField("nummer", unique=True)
    title = models.CharField("rubrik", max_length=120)
    heading = models.CharField(
        "rubrik i planen",
        max_length=120,
        blank=True,
        help_text="Rubriken som målet står under i projektplanen, om den skiljer sig.",
    )

    class Meta:
        verbose_name = "projektmål"
        verbose_name_plural = "projektmål"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=9),
                name="projektmal_number_range",
                violation_error_message="Projektmålets nummer ska ligga mellan 1 och 9.",
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.number,)


class Verksamhetsmal(models.Model):
    number = models.PositiveSmallIntegerField("nummer", unique=True)
    projektmal = models.ForeignKey(
        Projektmal, models.PROTECT, related_name="verksamhetsmal", verbose_name="projektmål"
    )
    title = models.CharField("rubrik", max_length=120)
    summary = models.CharField("kort beskrivning", max_length=300, blank=True)
    description = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "verksamhetsmål"
        verbose_name_plural = "verksamhetsmål"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=99),
                name="verksamhetsmal_number_range",
                violation_error_message="Verksamhetsmålets nummer ska ligga mellan 1 och 99.",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def natural_key(self):
        return (self.number,)


class IndikatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Indikator(models.Model):
    """A measurable indicator in the catalogue of one activity goal."""

    verksamhetsmal = models.ForeignKey(
        Verksamhetsmal, models.PROTECT, related_name="indikatorer", verbose_name="verksamhetsmål"
    )
    name = models.CharField("namn", max_length=160, db_collation=SV)
    unit = models.CharField("enhet", max_length=40)
    split_by_gender = models.BooleanField(
        "uppdelat på kön",
        default=False,
        help_text="Räknas personer ska antalet kvinnor och män anges (kvinnors "
        "yrkesutveckling är en uttalad prioritering).",
    )
    is_active = models.BooleanField("aktiv", default=True)

    objects = IndikatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikatorer"
        ordering = ["verksamhetsmal__number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["verksamhetsmal", "name"],
                name="indikator_unique_name_per_goal",
                violation_error_message="Verksamhetsmålet har redan en indikator med det namnet.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


# --- commitments ---------------------------------------------------------------------


def today():
    return timezone.localdate()


def display_name(user):
    """A person's name as pages show it: their Person's name, else the login's full name,
    else the username (a login with no person)."""
    if user is None:
        return ""
    person = getattr(user, "person", None)  # no Person: RelatedObjectDoesNotExist
    return (person.name if person else "") or user.get_full_name() or user.get_username()


def gender_within(total, women, men):
    """A Q: women, men and women plus men each at most the total (where they are given)."""
    return (
        (Q(**{f"{women}__isnull": True}) | Q(**{f"{women}__lte": F(total)}))
        & (Q(**{f"{men}__isnull": True}) | Q(**{f"{men}__lte": F(total)}))
        & (
            Q(**{f"{women}__isnull": True})
            | Q(**{f"{men}__isnull": True})
            | Q(**{f"{total}__gte": F(women) + F(men)})
        )
    )


DUPLICATE_MESSAGE = (
    "Det finns redan ett åtagande med den rubriken under samma verksamhetsmål och år. "
    "Välj en annan rubrik eller ändra det som finns."
)
GENDER_MESSAGE = "Kvinnor och män kan tillsammans inte vara fler än totalen."


def _number(value):
    return f"{value.normalize():f}".replace(".", ",")


def gender_error(total, women, men):
    """The message when women plus men exceed the total (None when they do not)."""
    if total is None or (women is None and men is None):
        return None
    women, men = women or 0, men or 0
    if women + men > total:
        return (
            f"Kvinnor ({_number(Decimal(women))}) och män ({_number(Decimal(men))}) är "
            f"tillsammans fler än totalen ({_number(Decimal(total))})."
        )
    return None


class AtagandeQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """Rows the user may see: department rows to the department and its coordinator,
        area rows to the area's coordinator and departments, national rows to national readers.
        """
        return scope.filter_queryset(self, nuts_field="nuts_omrade", avdelning_field="avdelning")

    def awaiting_review(self, scope):
        """The review queue: submitted commitments this user may approve or return.
        Departments' commitments go to their area's coordinator; everything to the project
        leader (area and national commitments are reviewed by the project leader only)."""
        submitted = self.filter(status=Atagande.Status.SUBMITTED)
        if scope.is_project_leader:
            return submitted
        if scope.is_coordinator:
            return submitted.filter(avdelning__nuts_omrade_id__in=scope.coordinated_nuts_ids)
        return submitted.none()

    def not_followed_up(self, period):
        """Approved commitments of the period's year with no follow-up in that period
        (the start page counts them, the reminders list them)."""
        return self.filter(year=period.year, status=Atagande.Status.APPROVED).exclude(
            uppfoljningar__period=period
        )

    def status_counts(self):
        """[(status label, count)] in workflow order, statuses with no rows left out."""
        counts = dict(self.order_by().values_list("status").annotate(n=models.Count("pk")))
        return [(s.label, counts[s.value]) for s in Atagande.Status if counts.get(s.value)]

    def for_owner(self, *, avdelning=None, nuts_omrade=None):
        if avdelning is not None:
            return self.filter(avdelning=avdelning)
        if nuts_omrade is not None:
            return self.filter(nuts_omrade=nuts_omrade, avdelning__isnull=True)
        return self.filter(avdelning__isnull=True, nuts_omrade__isnull=True)


def owner_year_url(year, avdelning_id, nuts_code):
    """The year page of a commitment's owner: the department's, the area's, or the national."""
    if avdelning_id is not None:
        return reverse("mal:avdelning_ar", args=[avdelning_id, year])
    if nuts_code is not None:
        return reverse("mal:omrade_ar", args=[nuts_code, year])
    return reverse("mal:nationellt", args=[year])


class Atagande(Versioned):
    """A yearly commitment under one activity goal, owned by a department, an area or the
    national level (goal 1 speaks of every level)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        SUBMITTED = "submitted", "Inskickat"
        APPROVED = "approved", "Godkänt"
        RETURNED = "returned", "Återsänt"

    avdelning = models.ForeignKey(
        "avdelningar.Avdelning",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ataganden",
        verbose_name="avdelning",
    )
    nuts_omrade = models.ForeignKey(
        "avdelningar.NutsOmrade",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ataganden",
        verbose_name="NUTS-område",
    )
    year = models.PositiveSmallIntegerField("år")
    verksamhetsmal = models.ForeignKey(
        Verksamhetsmal, models.PROTECT, related_name="ataganden", verbose_name="verksamhetsmål"
    )
    title = models.CharField("rubrik", max_length=200, db_collation=SV)
    action_plan = models.TextField(
        "vad vi ska göra", help_text="Aktiviteter och handlingsplan: vad, hur och när."
    )
    resources_sek = models.DecimalField(
        "resurser, kronor", max_digits=12, decimal_places=0, null=True, blank=True
    )
    resources_hours = models.PositiveIntegerField("resurser, timmar", null=True, blank=True)
    resources_people = models.PositiveIntegerField("resurser, personer", null=True, blank=True)
    responsible = models.CharField("ansvarig", max_length=120, blank=True)
    status = models.CharField("status", max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("inskickat", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inskickat av",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="granskat av",
    )
    reviewed_at = models.DateTimeField("granskat", null=True, blank=True)
    review_note = models.TextField("granskarens kommentar", blank=True)
    created_at = models.DateTimeField("skapat", auto_now_add=True)

    objects = AtagandeQuerySet.as_manager()

    class Meta:
        verbose_name = "åtagande"
        verbose_name_plural = "åtaganden"
        ordering = ["year", "verksamhetsmal__number", "title"]
        indexes = [
            # The national overview (a year) and the review queue (submitted, oldest first).
            models.Index(fields=["year", "verksamhetsmal"], name="atagande_year_goal"),
            models.Index(fields=["status", "submitted_at"], name="atagande_status_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved", "returned"]),
                name="atagande_status_valid",
                violation_error_message="Okänd status.",
            ),
            # Exactly one owner: a department, an area, or national (neither).
            models.CheckConstraint(
                condition=Q(avdelning__isnull=True) | Q(nuts_omrade__isnull=True),
                name="atagande_one_owner",
                violation_error_message=(
                    "Ett åtagande har en ägare: en avdelning, ett NUTS-område eller nationell nivå."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="atagande_year_sane",
                violation_error_message="Året ska ligga mellan 2000 och 2100.",
            ),
            models.CheckConstraint(
                condition=Q(resources_sek__isnull=True) | Q(resources_sek__gte=0),
                name="atagande_resources_not_negative",
                violation_error_message="Resurserna kan inte vara negativa.",
            ),
            # The natural key, also what makes an import idempotent.
            models.UniqueConstraint(
                fields=["avdelning", "year", "verksamhetsmal", "title"],
                condition=Q(avdelning__isnull=False),
                name="atagande_unique_department",
                violation_error_message=DUPLICATE_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["nuts_omrade", "year", "verksamhetsmal", "title"],
                condition=Q(nuts_omrade__isnull=False),
                name="atagande_unique_area",
                violation_error_message=DUPLICATE_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["year", "verksamhetsmal", "title"],
                condition=Q(avdelning__isnull=True, nuts_omrade__isnull=True),
                name="atagande_unique_national",
                violation_error_message=DUPLICATE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.owner_label} {self.year})"

    def get_absolute_url(self):
        return reverse("mal:atagande", args=[self.pk])

    # --- owner ---

    @property
    def owner_type(self):
        if self.avdelning_id:
            return "avdelning"
        if self.nuts_omrade_id:
            return "omrade"
        return "nationell"

    @property
    def owner_label(self):
        if self.avdelning_id:
            return str(self.avdelning)
        if self.nuts_omrade_id:
            return str(self.nuts_omrade)
        return "Nationellt"

    @property
    def area_id(self):
        """The NUTS area the commitment belongs to (None for national ones)."""
        if self.avdelning_id:
            return self.avdelning.nuts_omrade_id
        return self.nuts_omrade_id

    def owner_url(self):
        nuts_code = self.nuts_omrade.code if self.nuts_omrade_id else None
        return owner_year_url(self.year, self.avdelning_id or None, nuts_code)

    def twin(self):
        """The saved commitment with this one's natural key (owner, year, goal, title)."""
        return (
            Atagande.objects.for_owner(avdelning=self.avdelning, nuts_omrade=self.nuts_omrade)
            .filter(year=self.year, verksamhetsmal_id=self.verksamhetsmal_id, title=self.title)
            .exclude(pk=self.pk)
            .first()
        )

    def clean(self):
        if self.avdelning_id and self.nuts_omrade_id:
            raise ValidationError(
                "Ett åtagande har en ägare: en avdelning, ett område eller nationellt."
            )
        if self.year and not year_in_project(
            self.year, self.area_id, national=self.owner_type == "nationell"
        ):
            # Not tied to the year field: the year comes from the page, not the form.
            raise ValidationError(
                f"Området deltar inte i projektet {self.year}. Välj ett annat år."
            )

    # --- what a user may do (rules from avdelningar.access) ---

    @property
    def is_editable_status(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def may_read(self, scope):
        """AtagandeQuerySet.visible_to for one commitment: a department's to the department
        and its coordinator, an area's to the area, national ones to national readers."""
        if self.avdelning_id:
            return scope.can_see_avdelning(self.avdelning)
        if self.nuts_omrade_id:
            return scope.can_see_nuts(self.nuts_omrade_id)
        return scope.reads_all

    def may_write(self, scope):
        """Owner rights, whatever the status: the department's board (and its coordinator),
        the area's coordinator for area commitments, the project leader for everything."""
        if self.avdelning_id:
            return scope.can_edit_avdelning(self.avdelning)
        if self.nuts_omrade_id:
            return scope.can_edit_nuts(self.nuts_omrade_id)
        return scope.is_project_leader

    def may_review(self, scope):
        """Approve, return or reopen: the department's coordinator, else the project leader.
        Nobody reviews their own area's or the national commitments but the project leader."""
        if scope.is_project_leader:
            return True
        return (
            bool(self.avdelning_id) and self.avdelning.nuts_omrade_id in scope.coordinated_nuts_ids
        )

    def may_comment(self, scope):
        """Those who write it and those who review it discuss it."""
        return self.may_write(scope) or self.may_review(scope)

    def may_open_period(self, scope):
        """A closed period opens again for a department, so only for its commitments."""
        return scope.opens_periods and bool(self.avdelning_id)

    def can_edit(self, scope):
        return self.is_editable_status and self.may_write(scope)

    def can_submit(self, scope):
        return self.is_editable_status and self.may_write(scope)

    def can_return(self, scope):
        return self.status == self.Status.SUBMITTED and self.may_review(scope)

    def can_approve(self, scope):
        """Return, and not the user's own submission (four eyes)."""
        return self.can_return(scope) and not scope.submitted_it(self.submitted_by_id)

    @property
    def reviewer_name(self):
        return display_name(self.reviewed_by) if self.reviewed_by_id else ""

    def approve_refusal(self, scope):
        """Why this reviewer may not approve (their own submission), or None."""
        if not (self.can_return(scope) and scope.submitted_it(self.submitted_by_id)):
            return None
        if self.avdelning_id and scope.is_project_leader:
            other = "områdets samordnare eller en annan projektledare"
        elif self.avdelning_id:
            other = "projektledaren (eller en annan samordnare i området)"
        else:
            other = "en annan projektledare"
        return (
            f"Du skickade in åtagandet och kan därför inte själv godkänna det: {other} "
            "gör det, så att två personer har sett det (fyra ögon). Du kan återsända det "
            "om något behöver ändras."
        )

    def can_reopen(self, scope):
        return self.status == self.Status.APPROVED and self.may_review(scope)

    def can_follow_up(self, scope):
        return self.status == self.Status.APPROVED and self.may_write(scope)

    @property
    def audit_tenant(self):
        return department_tenant(self.avdelning_id, self.nuts_omrade_id)


def year_in_project(year, nuts_id, *, national=False):
    """An area's commitments must lie in its participation; national ones in a year when
    some area takes part."""
    from avdelningar.models import Deltagande

    qs = Deltagande.objects.all() if national else Deltagande.objects.filter(nuts_omrade_id=nuts_id)
    return any(d.covers_year(year) for d in qs)


class Malvarde(models.Model):
    """A measurable target of a commitment: an indicator from the goal's catalogue or a
    free one, a baseline and a target, split by gender where the indicator asks for it."""

    atagande = models.ForeignKey(
        Atagande, models.CASCADE, related_name="malvarden", verbose_name="åtagande"
    )
    indikator = models.ForeignKey(
        Indikator,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="malvarden",
        verbose_name="indikator ur katalogen",
    )
    name = models.CharField(
        "egen indikator", max_length=160, blank=True, help_text="Om ingen i katalogen passar."
    )
    unit = models.CharField("enhet", max_length=40, blank=True)
    split_by_gender = models.BooleanField("uppdelat på kön", default=False)
    baseline = models.DecimalField(
        "utgångsläge", max_digits=12, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField("målvärde", max_digits=12, decimal_places=2)
    target_women = models.DecimalField(
        "målvärde kvinnor", max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_men = models.DecimalField(
        "målvärde män", max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "målvärde"
        verbose_name_plural = "målvärden"
        ordering = ["atagande", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indikator__isnull=False) | ~Q(name=""),
                name="malvarde_has_indicator",
                violation_error_message=(
                    "Ett målvärde behöver en indikator ur katalogen eller en egen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0)
                & (Q(baseline__isnull=True) | Q(baseline__gte=0))
                & (Q(target_women__isnull=True) | Q(target_women__gte=0))
                & (Q(target_men__isnull=True) | Q(target_men__gte=0)),
                name="malvarde_not_negative",
                violation_error_message="Värdena kan inte vara negativa.",
            ),
            models.CheckConstraint(
                condition=gender_within("target", "target_women", "target_men"),
                name="malvarde_gender_within_target",
                violation_error_message=GENDER_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.indicator_name}: {self.target} {self.unit_label}"

    @property
    def indicator_name(self):
        return self.indikator.name if self.indikator_id else self.name

    @property
    def unit_label(self):
        return self.unit or (self.indikator.unit if self.indikator_id else "")

    @property
    def gender_split(self):
        """Ask for women and men when the indicator says so or the target was split."""
        return bool(
            self.split_by_gender
            or (self.indikator_id and self.indikator.split_by_gender)
            or self.target_women is not None
            or self.target_men is not None
        )

    def clean(self):
        if not self.indikator_id and not self.name.strip():
            raise ValidationError("Välj en indikator ur katalogen eller skriv en egen.")
        error = gender_error(self.target, self.target_women, self.target_men)
        if error:
            raise ValidationError({"target": error})

    @property
    def audit_tenant(self):
        return self.atagande.audit_tenant


class Uppfoljningsperiod(models.Model):
    """Mid-year and full-year follow-up of a year; locked after its closing date."""

    class Kind(models.TextChoices):
        HALVAR = "halvar", "Halvår"
        HELAR = "helar", "Helår"

    year = models.PositiveSmallIntegerField("år")
    kind = models.CharField("period", max_length=8, choices=Kind.choices)
    closes_on = models.DateField("stänger")

    class Meta:
        verbose_name = "uppföljningsperiod"
        verbose_name_plural = "uppföljningsperioder"
        ordering = ["year", "kind"]  # "halvar" < "helar": halvår before helår
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["halvar", "helar"]),
                name="uppfoljningsperiod_kind_valid",
                violation_error_message="Okänd typ av uppföljningsperiod.",
            ),
            models.UniqueConstraint(
                fields=["year", "kind"],
                name="uppfoljningsperiod_unique",
                violation_error_message="Det året har redan en sådan uppföljningsperiod.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"

    @classmethod
    def ensure_year(cls, year):
        """The two periods of a year, created with default closing dates when missing."""
        defaults = {
            cls.Kind.HALVAR: datetime.date(year, 8, 31),
            cls.Kind.HELAR: datetime.date(year + 1, 2, 15),
        }
        return [
            cls.objects.get_or_create(year=year, kind=kind, defaults={"closes_on": closes})[0]
            for kind, closes in defaults.items()
        ]

    def open_until(self, avdelning_id=None, on=None):
        """The last day the department may follow up, if a reopening gives it a later one
        than the closing date and still holds; else None (the closing date applies)."""
        on = on or today()
        if avdelning_id is None:
            return None
        until = (
            self.oppningar.filter(avdelning_id=avdelning_id, open_until__gte=on)
            .order_by("-open_until")
            .values_list("open_until", flat=True)
            .first()
        )
        return until if until and until > self.closes_on else None

    def is_open_for(self, avdelning_id=None, on=None):
        on = on or today()
        if on <= self.closes_on:
            return True
        if avdelning_id is None:
            return False
        return self.oppningar.filter(avdelning_id=avdelning_id, open_until__gte=on).exists()


class Periodoppning(models.Model):
    """The project leader reopens a closed period for one department, until a date."""

    period = models.ForeignKey(
        Uppfoljningsperiod, models.CASCADE, related_name="oppningar", verbose_name="period"
    )
    avdelning = models.ForeignKey(
        "avdelningar.Avdelning", models.CASCADE, related_name="+", verbose_name="avdelning"
    )
    open_until = models.DateField("öppen till och med")
    reason = models.TextField("skäl")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "öppnad period"
        verbose_name_plural = "öppnade perioder"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.period} öppen för {self.avdelning} t.o.m. {self.open_until}"

    @property
    def audit_tenant(self):
        return department_tenant(self.avdelning_id)


class Uppfoljning(Versioned):
    """The follow-up of one approved commitment in one period: status, comment, actuals."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "Enligt plan"
        AT_RISK = "at_risk", "I riskzonen"
        ACHIEVED = "achieved", "Uppnått"
        NOT_ACHIEVED = "not_achieved", "Ej uppnått"

    atagande = models.ForeignKey(
        Atagande, models.CASCADE, related_name="uppfoljningar", verbose_name="åtagande"
    )
    period = models.ForeignKey(
        Uppfoljningsperiod, models.PROTECT, related_name="uppfoljningar", verbose_name="period"
    )
    status = models.CharField("läge", max_length=16, choices=Status.choices)
    comment = models.TextField("kommentar", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ändrad av",
    )

    class Meta:
        verbose_name = "uppföljning"
        verbose_name_plural = "uppföljningar"
        ordering = ["atagande", "period__year", "period__kind"]  # halvår before helår
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["on_track", "at_risk", "achieved", "not_achieved"]),
                name="uppfoljning_status_valid",
                violation_error_message="Okänd status.",
            ),
            models.UniqueConstraint(
                fields=["atagande", "period"],
                name="uppfoljning_one_per_period",
                violation_error_message="Åtagandet är redan uppföljt för den perioden.",
            ),
        ]

    def __str__(self):
        return f"{self.atagande.title}: {self.period}"

    @property
    def audit_tenant(self):
        return self.atagande.audit_tenant


class Utfall(models.Model):
    """The actual value of one target in one follow-up."""

    uppfoljning = models.ForeignKey(
        Uppfoljning, models.CASCADE, related_name="utfall", verbose_name="uppföljning"
    )
    malvarde = models.ForeignKey(
        Malvarde, models.CASCADE, related_name="utfall", verbose_name="målvärde"
    )
    actual = models.DecimalField("utfall", max_digits=12, decimal_places=2, null=True, blank=True)
    actual_women = models.DecimalField(
        "utfall kvinnor", max_digits=12, decimal_places=2, null=True, blank=True
    )
    actual_men = models.DecimalField(
        "utfall män", max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "utfall"
        verbose_name_plural = "utfall"
        constraints = [
            models.UniqueConstraint(
                fields=["uppfoljning", "malvarde"],
                name="utfall_unique",
                violation_error_message="Uppföljningen har redan ett utfall för det målvärdet.",
            ),
            models.CheckConstraint(
                condition=(Q(actual__isnull=True) | Q(actual__gte=0))
                & (Q(actual_women__isnull=True) | Q(actual_women__gte=0))
                & (Q(actual_men__isnull=True) | Q(actual_men__gte=0)),
                name="utfall_not_negative",
                violation_error_message="Utfallet kan inte vara negativt.",
            ),
            models.CheckConstraint(
                condition=Q(actual__isnull=True)
                | gender_within("actual", "actual_women", "actual_men"),
                name="utfall_gender_within_actual",
                violation_error_message=GENDER_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.malvarde.indicator_name}: {self.actual}"

    @property
    def audit_tenant(self):
        return self.uppfoljning.audit_tenant


class Kommentar(models.Model):
    atagande = models.ForeignKey(
        Atagande, models.CASCADE, related_name="kommentarer", verbose_name="åtagande"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField("skribent", max_length=150)
    text = models.TextField("kommentar")
    created_at = models.DateTimeField("skriven", auto_now_add=True)

    class Meta:
        verbose_name = "kommentar"
        verbose_name_plural = "kommentarer"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author_name}: {self.text[:40]}"

    @property
    def audit_tenant(self):
        return self.atagande.audit_tenant


def bilaga_path(instance, filename):
    # A random name on disk: the original name is kept in the row, never trusted as a path.
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"bilagor/{instance.atagande_id}/{uuid.uuid4().hex}.{ext}"


class Bilaga(models.Model):
    """Evidence attached to a commitment (pdf, docx, xlsx, png, jpg; at most 5 MB)."""

    atagande = models.ForeignKey(
        Atagande, models.CASCADE, related_name="bilagor", verbose_name="åtagande"
    )
    file = models.FileField("fil", upload_to=bilaga_path)
    original_name = models.CharField("filnamn", max_length=200)
    size = models.PositiveIntegerField("storlek")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("uppladdad", auto_now_add=True)

    class Meta:
        verbose_name = "bilaga"
        verbose_name_plural = "bilagor"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def audit_tenant(self):
        return self.atagande.audit_tenant


class Mognadsriktlinje(models.Model):
    """Guidance per year in the project: the minimum number of commitments a department
    should have under each project goal (goal group) in its area's n-th year."""

    maturity = models.PositiveSmallIntegerField("år i projektet")
    projektmal = models.ForeignKey(
        Projektmal, models.CASCADE, related_name="riktlinjer", verbose_name="projektmål"
    )
    min_commitments = models.PositiveSmallIntegerField("minst antal åtaganden")

    class Meta:
        verbose_name = "mognadsriktlinje"
        verbose_name_plural = "mognadsriktlinjer"
        ordering = ["maturity", "projektmal__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["maturity", "projektmal"],
                name="mognadsriktlinje_unique",
                violation_error_message=(
                    "Det finns redan en riktlinje för det året i projektet och det projektmålet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(maturity__gte=1),
                name="mognadsriktlinje_maturity_positive",
                violation_error_message="Året i projektet räknas från 1.",
            ),
        ]

    def __str__(self):
        return f"År {self.maturity}: minst {self.min_commitments} under {self.projektmal}"

    @classmethod
    def for_maturity(cls, maturity):
        """{projektmal id: minimum} for an area in its n-th year: each project goal's rule
        applies from the year it names until a rule for a later year takes over (a rule
        for year 3 still holds in year 8)."""
        if not maturity:
            return {}
        guidance = {}
        for g in cls.objects.filter(maturity__lte=maturity).order_by("maturity"):
            guidance[g.projektmal_id] = g.min_commitments
        return guidance


class Paminnelse(models.Model):
    """A reminder sent about a department: its unsubmitted commitments of a year (no period),
    or its commitments not followed up in a period. The row is the claim that makes the
    reminder tasks safe to run twice: one per department, year and kind for commitments, one
    per department, period and kind for follow-ups."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Påminnelse till styrelsen"
        ESCALATION = "escalation", "Påminnelse till samordnaren"

    avdelning = models.ForeignKey(
        "avdelningar.Avdelning", models.CASCADE, related_name="+", verbose_name="avdelning"
    )
    year = models.PositiveSmallIntegerField("år")
    # Empty: the year's commitments. Set: the follow-up of this period (year = period.year).
    period = models.ForeignKey(
        Uppfoljningsperiod,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uppföljningsperiod",
    )
    kind = models.CharField("slag", max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField("skickad", auto_now_add=True)
    recipients = models.PositiveSmallIntegerField("mottagare", default=0)

    class Meta:
        verbose_name = "påminnelse"
        verbose_name_plural = "påminnelser"
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["reminder", "escalation"]),
                name="paminnelse_kind_valid",
                violation_error_message="Okänd typ av påminnelse.",
            ),
            models.UniqueConstraint(
                fields=["avdelning", "year", "kind"],
                condition=Q(period__isnull=True),
                name="paminnelse_once_per_year",
                violation_error_message="Påminnelsen är redan skickad det året.",
            ),
            models.UniqueConstraint(
                fields=["avdelning", "period", "kind"],
                condition=Q(period__isnull=False),
                name="paminnelse_once_per_period",
                violation_error_message="Påminnelsen är redan skickad för den perioden.",
            ),
        ]

    def __str__(self):
        about = self.period if self.period_id else f"åtaganden {self.year}"
        return f"{self.get_kind_display()} {self.avdelning}, {about}"

    @property
    def audit_tenant(self):
        return department_tenant(self.avdelning_id)

"""Questionnaires (enkäter): the project leader builds one from sections and questions,
sends it to departments' boards or to the areas' coordinators, and each recipient answers
once (one answer per department, or per area for the coordinators).

- ``Enkat``: title, year, intro, deadline; a draft until sent. After sending its sections
  and questions are locked (services.LOCKED_AFTER_SENDING says what may still change).
- ``Avsnitt`` and ``Fraga``: the sections and their questions, in order. A question
  copied from last year's questionnaire keeps its ``linje`` (lineage), which is how the
  years are compared.
- ``Svar``: one recipient's answer (a department's, or an area's), created when the
  questionnaire is sent: not started, draft, submitted. ``Versioned``: two board members
  editing at once get a conflict instead of overwriting each other.
- ``Svarsvarde``: the value given to one question in one answer.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from avdelningar.models import Avdelning, NutsOmrade, department_tenant
from historik.models import Versioned

SCALE = range(1, 6)  # scale questions: 1 to 5


class Enkat(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        SENT = "sent", "Utskickad"

    class Mottagare(models.TextChoices):
        BOARDS = "boards", "Avdelningarnas styrelser"
        COORDINATORS = "coordinators", "Områdenas samordnare"

    title = models.CharField("titel", max_length=200)
    year = models.PositiveSmallIntegerField("år")
    intro = models.TextField("inledning", blank=True, help_text="Visas överst i enkäten.")
    deadline = models.DateField("sista dag", help_text="Svaren kan ändras till och med den dagen.")
    status = models.CharField("status", max_length=8, choices=Status.choices, default="draft")
    recipients = models.CharField(
        "mottagare", max_length=16, choices=Mottagare.choices, default="boards"
    )
    copied_from = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="kopierad från",
    )
    sent_at = models.DateTimeField("utskickad", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="skapad av",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ändrad av",
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "enkät"
        verbose_name_plural = "enkäter"
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "sent"]),
                name="enkat_status_valid",
                violation_error_message="Okänd status för enkäten.",
            ),
            models.CheckConstraint(
                condition=Q(recipients__in=["boards", "coordinators"]),
                name="enkat_recipients_valid",
                violation_error_message="Okänt slag av mottagare.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="enkat_year_sane",
                violation_error_message="Året ska ligga mellan 2000 och 2100.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_at__isnull=False),
                name="enkat_sent_has_time",
                violation_error_message="En utskickad enkät ska ha ett utskickstillfälle.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("enkater:enkat", args=[self.pk])

    @property
    def audit_tenant(self):
        return (None, None)  # national: the project leader's

    @property
    def is_sent(self):
        return self.status == self.Status.SENT

    def is_open(self, today=None):
        """Answers may be changed (sent, and the deadline has not passed)."""
        return self.is_sent and (today or timezone.localdate()) <= self.deadline


class Avsnitt(models.Model):
    enkat = models.ForeignKey(Enkat, models.CASCADE, related_name="avsnitt", verbose_name="enkät")
    title = models.CharField("rubrik", max_length=200)
    description = models.TextField("beskrivning", blank=True)
    order = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "avsnitt"
        verbose_name_plural = "avsnitt"
        ordering = ["enkat", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def audit_tenant(self):
        return (None, None)


class Fraga(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "Skala 1–5"
        SINGLE = "single", "Ett val"
        MULTIPLE = "multiple", "Flera val"
        NUMBER = "number", "Tal"
        TEXT = "text", "Fritext"

    CHOICE_KINDS = ("single", "multiple")

    enkat = models.ForeignKey(Enkat, models.CASCADE, related_name="fragor", verbose_name="enkät")
    avsnitt = models.ForeignKey(
        Avsnitt, models.CASCADE, related_name="fragor", verbose_name="avsnitt"
    )
    text = models.CharField("fråga", max_length=300)
    help_text = models.CharField("hjälptext", max_length=500, blank=True)
    kind = models.CharField("slag", max_length=8, choices=Kind.choices, default="scale")
    required = models.BooleanField("obligatorisk", default=True)
    order = models.PositiveSmallIntegerField("ordning", default=0)
    choices = models.TextField(
        "svarsalternativ",
        blank=True,
        help_text="Ett alternativ per rad (för Ett val och Flera val).",
    )
    min_value = models.DecimalField(
        "lägsta tal", max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        "högsta tal", max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The same question in another year's questionnaire (kept when copied): compared by it.
    linje = models.UUIDField("frågelinje", default=uuid.uuid4, editable=False, db_index=True)

    class Meta:
        verbose_name = "fråga"
        verbose_name_plural = "frågor"
        ordering = ["avsnitt__order", "avsnitt_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["scale", "single", "multiple", "number", "text"]),
                name="fraga_kind_valid",
                violation_error_message="Okänt slag av fråga.",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["single", "multiple"]) | ~Q(choices=""),
                name="fraga_choices_given",
                violation_error_message="En flervalsfråga behöver svarsalternativ.",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="fraga_range_ordered",
                violation_error_message="Lägsta tal kan inte vara större än högsta tal.",
            ),
            models.UniqueConstraint(
                fields=["enkat", "linje"],
                name="fraga_one_per_lineage",
                violation_error_message="Frågan finns redan i enkäten.",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def audit_tenant(self):
        return (None, None)

    def options(self):
        """The answer options of a choice question, in order, without empty lines."""
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Svar(Versioned):
    class Status(models.TextChoices):
        NEW = "new", "Ej påbörjad"
        DRAFT = "draft", "Utkast"
        SUBMITTED = "submitted", "Inskickad"

    enkat = models.ForeignKey(Enkat, models.CASCADE, related_name="svar", verbose_name="enkät")
    # A department's answer (its board), or an area's (its coordinator): one of them.
    avdelning = models.ForeignKey(
        Avdelning,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="enkatsvar",
        verbose_name="avdelning",
    )
    nuts_omrade = models.ForeignKey(
        NutsOmrade,
        models.PROTECT,
        related_name="enkatsvar",
        verbose_name="NUTS-område",
        help_text="Avdelningens område, eller området vars samordnare svarar.",
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default="new")
    submitted_at = models.DateTimeField("inskickat", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inskickat av",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ändrat av",
    )

    class Meta:
        verbose_name = "enkätsvar"
        verbose_name_plural = "enkätsvar"
        ordering = ["enkat", "nuts_omrade__code", "avdelning__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "draft", "submitted"]),
                name="svar_status_valid",
                violation_error_message="Okänd status för svaret.",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="svar_submitted_has_time",
                violation_error_message="Ett inskickat svar ska ha en tidpunkt.",
            ),
            models.UniqueConstraint(
                fields=["enkat", "avdelning"],
                condition=Q(avdelning__isnull=False),
                name="svar_one_per_department",
                violation_error_message="Avdelningen har redan ett svar på enkäten.",
            ),
            models.UniqueConstraint(
                fields=["enkat", "nuts_omrade"],
                condition=Q(avdelning__isnull=True),
                name="svar_one_per_area",
                violation_error_message="Området har redan ett svar på enkäten.",
            ),
        ]

    def __str__(self):
        return f"{self.respondent} – {self.enkat}"

    def get_absolute_url(self):
        return reverse("enkater:svar", args=[self.pk])

    @property
    def respondent(self):
        """Who answers: the department, or the area's coordinator."""
        return self.avdelning.name if self.avdelning_id else f"Samordnaren, {self.nuts_omrade}"

    @property
    def audit_tenant(self):
        if self.avdelning_id:
            return department_tenant(self.avdelning_id, self.nuts_omrade_id)
        return (self.nuts_omrade_id, None)

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


class Svarsvarde(models.Model):
    svar = models.ForeignKey(Svar, models.CASCADE, related_name="varden", verbose_name="svar")
    fraga = models.ForeignKey(Fraga, models.CASCADE, related_name="varden", verbose_name="fråga")
    # Scale (1–5) and number questions.
    number = models.DecimalField("tal", max_digits=12, decimal_places=2, null=True, blank=True)
    # Free text, and the chosen option of a single-choice question.
    text = models.TextField("text", blank=True)
    # The chosen options of a multiple-choice question.
    chosen = models.JSONField("valda alternativ", default=list, blank=True)

    class Meta:
        verbose_name = "svarsvärde"
        verbose_name_plural = "svarsvärden"
        ordering = ["svar", "fraga"]
        constraints = [
            models.UniqueConstraint(
                fields=["svar", "fraga"],
                name="svarsvarde_one_per_question",
                violation_error_message="Frågan har redan ett värde i svaret.",
            ),
        ]

    def __str__(self):
        return f"{self.fraga}: {self.display()}"

    @property
    def audit_tenant(self):
        return self.svar.audit_tenant

    def display(self):
        if self.chosen:
            return ", ".join(self.chosen)
        if self.number is not None:
            return f"{self.number.normalize():f}"
        return self.text

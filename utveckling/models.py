"""Assessing a candidate area (the plan's §4.3.3, "Utveckling av geografiskt område").

A candidate (``Kandidat``) is a NUTS area not taking part and the year it would start. The
project leader answers the plan's three questions, scores it on six criteria
(``Kriteriebedomning``), names a candidate coordinator and assesses them against the
requirement profile (``Krav``, ``Kravbedomning``), then proposes it; the steering group
recommends it or not; the national board decides; on a yes the area takes part
(``services.kandidat_delta`` creates its participation). Every change is in the trail.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from avdelningar.models import Deltagande, NutsOmrade, Person
from historik.models import Versioned


class Status(models.TextChoices):
    BEDOMS = "bedoms", "Under bedömning"
    FORESLAGEN = "foreslagen", "Föreslagen av projektledaren"
    TILLSTYRKT = "tillstyrkt", "Tillstyrkt av styrgruppen"
    AVSTYRKT = "avstyrkt", "Avstyrkt av styrgruppen"
    AVSLAGEN = "avslagen", "Nej från förbundsstyrelsen"
    DELTAR = "deltar", "Deltar i projektet"


# Where the steering group's and the national board's decisions are recorded.
SG_DECIDED = [Status.TILLSTYRKT, Status.AVSTYRKT, Status.AVSLAGEN, Status.DELTAR]
FS_DECIDED = [Status.AVSLAGEN, Status.DELTAR]
PROPOSED = [Status.FORESLAGEN, *SG_DECIDED]


class Kriterium(models.TextChoices):
    """The plan's criteria for choosing a new area, in the plan's order."""

    STRUKTUR = "struktur", "Närings- och arbetsmarknadsstruktur"
    GEOGRAFI = "geografi", "Geografi"
    SAMARBETE = "samarbete", "Tidigare samarbete mellan avdelningarna"
    VILJA = "vilja", "Viljan som framkommit vid styrelsemöten"
    SAMORDNARE = "samordnare", "En samordnare som avdelningarna är överens om"
    RESURSER = "resurser", "Resurser som avdelningarna avsätter"


SCORE_MIN, SCORE_MAX = 1, 5


class KandidatQuerySet(models.QuerySet):
    def of_year(self, year):
        return self.filter(year=year).select_related("nuts_omrade").order_by("nuts_omrade__code")


class Kandidat(Versioned):
    nuts_omrade = models.ForeignKey(
        NutsOmrade, models.PROTECT, related_name="kandidaturer", verbose_name="NUTS-område"
    )
    year = models.PositiveSmallIntegerField("startår", help_text="Året området skulle börja.")
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.BEDOMS
    )
    # The plan's three questions.
    nytta = models.TextField(
        "nyttan för projektet", blank=True, help_text="Vad skulle området tillföra projektet?"
    )
    forutsattningar = models.TextField(
        "förutsättningar och vilja till en kort startsträcka",
        blank=True,
        help_text="Vilka förutsättningar finns, och hur stor är avdelningarnas vilja?",
    )
    syften = models.TextField(
        "stöd för projektets och förbundets syften",
        blank=True,
        help_text="Varför stödjer just det här området projektets och förbundets syften bäst?",
    )
    samordnare = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="föreslagen samordnare",
    )
    # The project leader's proposal.
    proposal = models.TextField("förslag", blank=True)
    proposed_on = models.DateField("föreslagen", null=True, blank=True)
    # The steering group's decision.
    sg_recommended = models.BooleanField("styrgruppen tillstyrker", null=True, blank=True)
    sg_decided_on = models.DateField("styrgruppens beslutsdatum", null=True, blank=True)
    sg_paragraph = models.CharField("protokollsparagraf", max_length=60, blank=True)
    # The national board's decision.
    fs_yes = models.BooleanField("förbundsstyrelsen beslutar ja", null=True, blank=True)
    fs_decided_on = models.DateField("förbundsstyrelsens beslutsdatum", null=True, blank=True)
    deltagande = models.OneToOneField(
        Deltagande,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="kandidat",
        verbose_name="deltagande",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    objects = KandidatQuerySet.as_manager()

    class Meta:
        verbose_name = "kandidatområde"
        verbose_name_plural = "kandidatområden"
        ordering = ["-year", "nuts_omrade__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["nuts_omrade", "year"],
                name="kandidat_one_per_area_year",
                violation_error_message="Området är redan kandidat för det året.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="kandidat_year_sane",
                violation_error_message="Året ska ligga mellan 2000 och 2100.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="kandidat_status_valid",
                violation_error_message="Okänd status.",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.BEDOMS)
                | (~Q(proposal="") & Q(proposed_on__isnull=False)),
                name="kandidat_proposed_has_text",
                violation_error_message="Ett förslag har en text och ett datum.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=SG_DECIDED)
                    & Q(sg_recommended__isnull=False, sg_decided_on__isnull=False)
                    & ~Q(sg_paragraph="")
                )
                | (~Q(status__in=SG_DECIDED) & Q(sg_recommended__isnull=True)),
                name="kandidat_sg_decision_complete",
                violation_error_message=(
                    "Styrgruppens beslut har ett ställningstagande, ett datum och en "
                    "protokollsparagraf."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=Status.TILLSTYRKT, sg_recommended=True)
                | Q(status=Status.AVSTYRKT, sg_recommended=False)
                | ~Q(status__in=[Status.TILLSTYRKT, Status.AVSTYRKT]),
                name="kandidat_sg_status_matches",
                violation_error_message="Statusen stämmer inte med styrgruppens beslut.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=FS_DECIDED) & Q(fs_yes__isnull=False, fs_decided_on__isnull=False)
                )
                | (~Q(status__in=FS_DECIDED) & Q(fs_yes__isnull=True)),
                name="kandidat_fs_decision_complete",
                violation_error_message=(
                    "Förbundsstyrelsens beslut har ett ja eller nej och ett datum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DELTAR, fs_yes=True, deltagande__isnull=False)
                | Q(status=Status.AVSLAGEN, fs_yes=False, deltagande__isnull=True)
                | (~Q(status__in=FS_DECIDED) & Q(deltagande__isnull=True)),
                name="kandidat_taking_part_has_participation",
                violation_error_message=(
                    "Ett område som deltar har ett deltagande och förbundsstyrelsens ja."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.nuts_omrade} från {self.year}"

    def get_absolute_url(self):
        return reverse("utveckling:kandidat", args=[self.pk])

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None

    @property
    def open_for_assessment(self):
        """The assessment (answers, criteria, coordinator) changes until it is proposed."""
        return self.status == Status.BEDOMS


class Kriteriebedomning(models.Model):
    kandidat = models.ForeignKey(
        Kandidat, models.CASCADE, related_name="kriterier", verbose_name="kandidat"
    )
    kriterium = models.CharField("kriterium", max_length=16, choices=Kriterium.choices)
    score = models.PositiveSmallIntegerField("poäng (1–5)", null=True, blank=True)
    comment = models.TextField("kommentar", blank=True)
    evidence = models.TextField("underlag", blank=True)

    class Meta:
        verbose_name = "bedömning av kriterium"
        verbose_name_plural = "bedömningar av kriterier"
        ordering = ["kandidat", "kriterium"]
        constraints = [
            models.UniqueConstraint(
                fields=["kandidat", "kriterium"],
                name="kriteriebedomning_one_per_criterion",
                violation_error_message="Kriteriet är redan bedömt för kandidaten.",
            ),
            models.CheckConstraint(
                condition=Q(kriterium__in=Kriterium.values),
                name="kriteriebedomning_kriterium_valid",
                violation_error_message="Okänt kriterium.",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="kriteriebedomning_score_1_5",
                violation_error_message="Poängen ska vara 1–5.",
            ),
        ]

    def __str__(self):
        return f"{self.kandidat}: {self.get_kriterium_display()}"

    @property
    def audit_tenant(self):
        return self.kandidat.audit_tenant


class Krav(models.Model):
    """One requirement of the requirement profile for regional coordinators."""

    text = models.CharField("krav", max_length=300)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    active = models.BooleanField(
        "gäller", default=True, help_text="Ett krav som inte längre gäller finns kvar i historiken."
    )

    class Meta:
        verbose_name = "krav på regional samordnare"
        verbose_name_plural = "kravprofil för regionala samordnare"
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    @property
    def audit_tenant(self):
        return None, None


class Kravbedomning(models.Model):
    """A candidate coordinator (a person) assessed against one requirement, for one
    candidate area. Personal data: seen by the project leader and the steering group, in
    the person's register extract, deleted when the person is anonymised."""

    kandidat = models.ForeignKey(
        Kandidat, models.CASCADE, related_name="kravbedomningar", verbose_name="kandidat"
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="kravbedomningar", verbose_name="person"
    )
    krav = models.ForeignKey(Krav, models.PROTECT, related_name="bedomningar", verbose_name="krav")
    score = models.PositiveSmallIntegerField("poäng (1–5)", null=True, blank=True)
    comment = models.TextField("kommentar", blank=True)

    class Meta:
        verbose_name = "samordnarbedömning"
        verbose_name_plural = "samordnarbedömningar"
        ordering = ["kandidat", "krav__position", "krav_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kandidat", "person", "krav"],
                name="kravbedomning_one_per_requirement",
                violation_error_message="Personen är redan bedömd mot kravet.",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="kravbedomning_score_1_5",
                violation_error_message="Poängen ska vara 1–5.",
            ),
        ]

    def __str__(self):
        return f"{self.person} mot {self.krav}"

    @property
    def audit_tenant(self):
        return self.kandidat.audit_tenant

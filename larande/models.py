"""The learning loop (issue 17 §2): what an analysis meeting decided, followed to done, and
what each area learnt in a year.

- ``Analysmote``: the meeting record of an activity of type Analysmöte (one to one): its
  material, a text and/or an uploaded file (pdf or office file).
- ``Atgard``: a decision or action of the meeting: what, who (a person or a department,
  at most one), by when, status; linked to the commitments it led to.
- ``Lardom``: an area's lessons for a year: what worked, what did not, what to spread.

Who may read and change them is ``avdelningar.access`` (the larande section); the
services ask it again.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from aktiviteter.models import Aktivitet
from avdelningar.models import Avdelning, NutsOmrade, Person
from historik.models import Versioned
from mal.models import Atagande


def material_path(instance, filename):
    # A random name on disk: the original name is kept in the row, never trusted as a path.
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"analysmoten/{instance.aktivitet_id}/{uuid.uuid4().hex}.{ext}"


class Analysmote(Versioned):
    aktivitet = models.OneToOneField(
        Aktivitet, models.CASCADE, related_name="analysmote", verbose_name="aktivitet"
    )
    summary = models.TextField(
        "mötets underlag",
        blank=True,
        help_text="Underlaget till mötet i korthet: vad avdelningarna svarade, vad som lyftes.",
    )
    material = models.FileField("underlag (fil)", upload_to=material_path, blank=True)
    # The questionnaire whose answers the meeting analysed (§3.2.2: answers, then material,
    # then the meeting); its results per area are the meeting's printable material.
    enkat = models.ForeignKey(
        "enkater.Enkat",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="analysmoten",
        verbose_name="enkät",
    )
    material_name = models.CharField("filnamn", max_length=200, blank=True)
    material_size = models.PositiveIntegerField("storlek", null=True, blank=True)
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
        verbose_name = "analysmöte"
        verbose_name_plural = "analysmöten"
        ordering = ["-aktivitet__date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(material="") | ~Q(material_name=""),
                name="analysmote_material_named",
                violation_error_message="En uppladdad fil har ett filnamn.",
            ),
        ]

    def __str__(self):
        return f"Analysmöte {self.aktivitet}"

    def get_absolute_url(self):
        return reverse("larande:mote", args=[self.aktivitet_id])

    @property
    def nuts_omrade_id(self):
        return self.aktivitet.nuts_omrade_id

    @property
    def audit_tenant(self):
        return self.aktivitet.nuts_omrade_id, None


class AtgardStatus(models.TextChoices):
    OPEN = "open", "Öppen"
    IN_PROGRESS = "in_progress", "Pågår"
    DONE = "done", "Klar"
    DROPPED = "dropped", "Struken"


OPEN_STATUSES = (AtgardStatus.OPEN, AtgardStatus.IN_PROGRESS)


class AtgardQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def owned_by(self, user, board_avdelning_ids):
        """The user's own actions: theirs as a person, or their board's department's."""
        return self.filter(Q(person__user=user) | Q(avdelning_id__in=board_avdelning_ids))

    def in_year(self, year):
        """Actions of the year's meetings (the meeting's date decides)."""
        return self.filter(mote__aktivitet__date__year=year)


class Atgard(Versioned):
    """A decision or action of an analysis meeting."""

    Status = AtgardStatus

    mote = models.ForeignKey(
        Analysmote, models.CASCADE, related_name="atgarder", verbose_name="analysmöte"
    )
    what = models.CharField("vad", max_length=300)
    person = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="atgarder",
        verbose_name="ansvarig person",
    )
    avdelning = models.ForeignKey(
        Avdelning,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="atgarder",
        verbose_name="ansvarig avdelning",
    )
    due = models.DateField("senast")
    status = models.CharField(
        "status", max_length=16, choices=AtgardStatus.choices, default=AtgardStatus.OPEN
    )
    done_on = models.DateField("klar", null=True, blank=True)
    ataganden = models.ManyToManyField(
        Atagande,
        blank=True,
        related_name="atgarder",
        verbose_name="ledde till åtagandena",
        help_text="Åtaganden som åtgärden ledde till: områdets avdelningars eller nationella.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inlagd av",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ändrad av",
    )
    created_at = models.DateTimeField("inlagd", auto_now_add=True)

    objects = AtgardQuerySet.as_manager()

    class Meta:
        verbose_name = "åtgärd"
        verbose_name_plural = "åtgärder"
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"], name="atgard_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AtgardStatus.values),
                name="atgard_status_valid",
                violation_error_message="Välj ett av alternativen i listan.",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(avdelning__isnull=True),
                name="atgard_one_owner_at_most",
                violation_error_message=(
                    "En åtgärd har högst en ansvarig: en person eller en avdelning, inte båda."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=AtgardStatus.DONE, done_on__isnull=False)
                | (~Q(status=AtgardStatus.DONE) & Q(done_on__isnull=True)),
                name="atgard_done_has_date",
                violation_error_message="En klar åtgärd har ett datum då den blev klar; "
                "en åtgärd som inte är klar har inget.",
            ),
        ]

    def __str__(self):
        return self.what[:80]

    def get_absolute_url(self):
        return reverse("larande:atgard", args=[self.pk])

    @property
    def owner_label(self):
        if self.person_id:
            return str(self.person)
        if self.avdelning_id:
            return str(self.avdelning)
        return "–"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue(self, today):
        return self.is_open and self.due < today

    @property
    def nuts_omrade_id(self):
        return self.mote.aktivitet.nuts_omrade_id

    @property
    def audit_tenant(self):
        return self.mote.aktivitet.nuts_omrade_id, self.avdelning_id


class Lardom(Versioned):
    """An area's lessons of a year (lärdomar): written by its coordinator and the project
    leader, read by the steering group and quoted by the report."""

    nuts_omrade = models.ForeignKey(
        NutsOmrade, models.PROTECT, related_name="lardomar", verbose_name="NUTS-område"
    )
    year = models.PositiveSmallIntegerField("år")
    worked = models.TextField("det här fungerade", blank=True)
    did_not_work = models.TextField("det här fungerade inte", blank=True)
    to_spread = models.TextField(
        "det här ska spridas",
        blank=True,
        help_text="Nya arbetsmetoder och lösningar som andra områden och avdelningar har nytta av.",
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
        verbose_name = "lärdom"
        verbose_name_plural = "lärdomar"
        ordering = ["nuts_omrade__code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["nuts_omrade", "year"],
                name="lardom_one_per_area_year",
                violation_error_message="Området har redan lärdomar för det året.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="lardom_year_sane",
                violation_error_message="Året ska ligga mellan 2000 och 2100.",
            ),
        ]

    def __str__(self):
        return f"Lärdomar {self.nuts_omrade.code} {self.year}"

    def get_absolute_url(self):
        return reverse("larande:lardom", args=[self.nuts_omrade.code, self.year])

    @property
    def is_empty(self):
        return not (self.worked or self.did_not_work or self.to_spread)

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None

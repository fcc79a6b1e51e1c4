"""The project's three project goals, eight activity goals and the indicator catalogue.

Goals are reference data (data migration 0002); their titles are the union's own
names and fixed, their descriptions are editable in admin.
"""

from django.db import models
from django.db.models import Q

from avdelningar.models import SV


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
                condition=Q(number__gte=1, number__lte=9), name="projektmal_number_range"
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
                condition=Q(number__gte=1, number__lte=99), name="verksamhetsmal_number_range"
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
                fields=["verksamhetsmal", "name"], name="indikator_unique_name_per_goal"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"

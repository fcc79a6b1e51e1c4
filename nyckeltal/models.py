"""A department's key figures for a year: the few the register cannot know, entered once a
year by the department (or, outside the pilot, by the working-life unit).

Figures the register knows are never stored here: ``nyckeltal.reporting`` computes them
(members on 1 January, the labour-market committee, the labour-market officer, change
leaders, forum seats, fund projects). Workplaces and clubs are in the register but have
no dates, so this year's are counted there; a year that has passed keeps the count the
register had when that year's figures were last saved during the year (services capture
it), or the number entered for it later. The rest (workplaces where change work has
started, workers in skills development) only the department knows.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from avdelningar.models import Avdelning, Deltagande, department_tenant
from avdelningar.years import project_years
from historik.models import Versioned

# The entered figures, in the form's order.
ENTERED = ["workplaces", "clubs", "workplaces_change_started", "skills_women", "skills_men"]
# Entered only for a year that has passed: this year's are the register's count.
COUNTED_THIS_YEAR = ["workplaces", "clubs"]
# Far above any department (the largest has some 20 000 members), far below the column.
MAX_FIGURE = 1_000_000


def entry_years(today: datetime.date | None = None) -> range:
    """The years a department's figures can be entered for: from the project's first year
    (the year before the first area joined, a baseline) to this year. Next year has no
    figures yet."""
    today = today or timezone.localdate()
    return range(project_years(today).start, today.year + 1)


class Pilot:
    """Which areas take part in the project in which year, from one read of the
    participations (an import asks for many departments and years)."""

    def __init__(self):
        self.rows = list(Deltagande.objects.only("nuts_omrade_id", "joined_on", "left_on"))

    def covers(self, nuts_id: int, year: int) -> bool:
        return any(d.nuts_omrade_id == nuts_id and d.covers_year(year) for d in self.rows)


class Nyckeltal(Versioned):
    avdelning = models.ForeignKey(
        Avdelning, models.CASCADE, related_name="nyckeltal", verbose_name="avdelning"
    )
    year = models.PositiveSmallIntegerField("år")
    workplaces = models.PositiveIntegerField("arbetsplatser", null=True, blank=True)
    clubs = models.PositiveIntegerField("klubbar", null=True, blank=True)
    workplaces_change_started = models.PositiveIntegerField(
        "arbetsplatser där förändringsarbete startat",
        null=True,
        blank=True,
        help_text="Förändringsarbete efter förbundets strategi Hållbart arbete.",
    )
    skills_women = models.PositiveIntegerField(
        "arbetare i kompetensutveckling, kvinnor", null=True, blank=True
    )
    skills_men = models.PositiveIntegerField(
        "arbetare i kompetensutveckling, män", null=True, blank=True
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
        verbose_name = "nyckeltal"
        verbose_name_plural = "nyckeltal"
        ordering = ["avdelning__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["avdelning", "year"],
                name="nyckeltal_one_per_department_year",
                violation_error_message="Avdelningen har redan nyckeltal för det året.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="nyckeltal_year_sane",
                violation_error_message="Året ska ligga mellan 2000 och 2100.",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(workplaces__isnull=True) | Q(workplaces__gte=0))
                    & (Q(clubs__isnull=True) | Q(clubs__gte=0))
                    & (
                        Q(workplaces_change_started__isnull=True)
                        | Q(workplaces_change_started__gte=0)
                    )
                    & (Q(skills_women__isnull=True) | Q(skills_women__gte=0))
                    & (Q(skills_men__isnull=True) | Q(skills_men__gte=0))
                ),
                name="nyckeltal_not_negative",
                violation_error_message="Nyckeltalen kan inte vara negativa.",
            ),
            models.CheckConstraint(
                condition=Q(workplaces__isnull=True)
                | Q(workplaces_change_started__isnull=True)
                | Q(workplaces_change_started__lte=F("workplaces")),
                name="nyckeltal_change_within_workplaces",
                violation_error_message=(
                    "Arbetsplatserna där förändringsarbete har startat kan inte vara fler "
                    "än avdelningens arbetsplatser."
                ),
            ),
        ]

    def __str__(self):
        return f"Nyckeltal {self.avdelning} {self.year}"

    def get_absolute_url(self):
        return reverse("nyckeltal:ar", args=[self.avdelning_id, self.year])

    @property
    def audit_tenant(self):
        return department_tenant(self.avdelning_id)

"""The organisation: NUTS 2 areas, counties, departments, people and their assignments.

Names sort the Swedish way (… Z, Å, Ä, Ö): name columns use the collation ``swedish``,
which migration 0001 creates on PostgreSQL from ICU's Swedish locale and which
``avdelningar.apps`` registers on each SQLite connection.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from historik.models import Versioned

SV = "swedish"


def today():
    return timezone.localdate()


class NutsOmradeQuerySet(models.QuerySet):
    def in_project(self, on=None):
        """Areas with a participation that covers the given day (default: today)."""
        on = on or today()
        return self.filter(
            deltaganden__joined_on__lte=on,
        ).filter(Q(deltaganden__left_on__isnull=True) | Q(deltaganden__left_on__gte=on))


class NutsOmrade(models.Model):
    code = models.CharField("kod", max_length=4, unique=True)
    name = models.CharField("namn", max_length=100, db_collation=SV)

    objects = NutsOmradeQuerySet.as_manager()

    class Meta:
        verbose_name = "NUTS-område"
        verbose_name_plural = "NUTS-områden"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("omrade", args=[self.code])

    def natural_key(self):
        return (self.code,)


class AfRegion(models.Model):
    """Arbetsförmedlingen's six regions (since 2019-07-01); they do not follow NUTS."""

    name = models.CharField("namn", max_length=100, unique=True, db_collation=SV)

    class Meta:
        verbose_name = "Arbetsförmedlingsregion"
        verbose_name_plural = "Arbetsförmedlingsregioner"
        ordering = ["name"]

    def __str__(self):
        return f"Arbetsförmedlingen {self.name}"


class Lan(models.Model):
    code = models.CharField("länskod", max_length=2, unique=True)
    name = models.CharField("namn", max_length=100, db_collation=SV)
    region_name = models.CharField("regionens namn", max_length=100, db_collation=SV)
    nuts_omrade = models.ForeignKey(
        NutsOmrade, models.PROTECT, related_name="lan", verbose_name="NUTS-område"
    )
    af_region = models.ForeignKey(
        AfRegion, models.PROTECT, related_name="lan", verbose_name="Arbetsförmedlingsregion"
    )

    class Meta:
        verbose_name = "län"
        verbose_name_plural = "län"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}$"),
                name="lan_code_two_digits",
                violation_error_message="Länskoden ska vara två siffror.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None


class DeltagandeQuerySet(models.QuerySet):
    def covering(self, year):
        """Participations covering some part of the year (as covers_year, in SQL)."""
        return self.filter(joined_on__year__lte=year).filter(
            Q(left_on__isnull=True) | Q(left_on__year__gte=year)
        )

    def nuts_ids(self, year):
        """Ids of the areas in the project some time during the year, sorted."""
        return sorted(set(self.covering(year).values_list("nuts_omrade_id", flat=True)))


class Deltagande(models.Model):
    """An area's participation in the project: since when, until when, with which coordinator.

    Years and areas are data: the project may be extended or grow to new areas.
    """

    nuts_omrade = models.ForeignKey(
        NutsOmrade, models.PROTECT, related_name="deltaganden", verbose_name="NUTS-område"
    )
    joined_on = models.DateField("med sedan")
    left_on = models.DateField("lämnade", null=True, blank=True)
    samordnare = models.ForeignKey(
        "Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="regional samordnare",
    )

    objects = DeltagandeQuerySet.as_manager()

    class Meta:
        verbose_name = "deltagande i projektet"
        verbose_name_plural = "deltaganden i projektet"
        ordering = ["nuts_omrade__code", "joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="deltagande_left_after_joined",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
            models.UniqueConstraint(
                fields=["nuts_omrade"],
                condition=Q(left_on__isnull=True),
                name="deltagande_one_open_per_area",
                violation_error_message=(
                    "Området har redan ett pågående deltagande. Avsluta det först."
                ),
            ),
        ]

    def __str__(self):
        until = f"–{self.left_on}" if self.left_on else "–"
        return f"{self.nuts_omrade} {self.joined_on}{until}"

    def clean(self):
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "Slutdatum kan inte ligga före startdatum."})
        if not self.nuts_omrade_id or not self.joined_on:
            return
        others = Deltagande.objects.filter(nuts_omrade_id=self.nuts_omrade_id).exclude(pk=self.pk)
        end = self.left_on or datetime.date.max
        overlapping = others.filter(joined_on__lte=end).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=self.joined_on)
        )
        if overlapping.exists():
            raise ValidationError(
                "Området deltar redan i projektet under en del av den perioden. "
                "Avsluta det tidigare deltagandet först."
            )

    def samordnare_uppdrag_missing(self):
        """True when the coordinator named here holds no coordinator assignment for the
        area that runs to the participation's end (or today): access follows assignments,
        so without one the coordinator would not see their own area."""
        if self.samordnare_id is None:
            return False
        until = min(self.left_on, today()) if self.left_on else today()
        held = Uppdrag.objects.filter(
            person_id=self.samordnare_id, role=Roll.SAMORDNARE, nuts_omrade_id=self.nuts_omrade_id
        ).filter(Q(end__isnull=True) | Q(end__gte=until))
        return not held.exists()

    def samordnare_uppdrag_new(self, *, added):
        """The coordinator assignment that goes with this participation (unsaved): from
        the day the area joined for a new participation, from today (within the
        participation) when the coordinator of an existing one is changed."""
        start = self.joined_on
        if not added:
            start = max(self.joined_on, min(today(), self.left_on or today()))
        return Uppdrag(
            person_id=self.samordnare_id,
            role=Roll.SAMORDNARE,
            nuts_omrade_id=self.nuts_omrade_id,
            start=start,
            end=self.left_on,
        )

    def covers_year(self, year):
        return self.joined_on.year <= year and (self.left_on is None or self.left_on.year >= year)

    def maturity(self, year):
        """The area's year in the project (1 = the year it joined), or None before it joined."""
        if year < self.joined_on.year:
            return None
        return year - self.joined_on.year + 1

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None


def department_tenant(avdelning_id, nuts_omrade_id=None):
    """(area, department) for the audit trail of a row that belongs to a department: the
    department's area unless the row names one itself. Each audited model states its own
    tenant (``audit_tenant``), so the trail at the ground floor knows no app's fields."""
    if nuts_omrade_id is None and avdelning_id:
        nuts_omrade_id = (
            Avdelning.objects.filter(pk=avdelning_id)
            .values_list("nuts_omrade_id", flat=True)
            .first()
        )
    return nuts_omrade_id, avdelning_id


class Avdelning(models.Model):
    name = models.CharField("namn", max_length=120, unique=True, db_collation=SV)
    number = models.PositiveIntegerField("avdelningsnummer", null=True, blank=True, unique=True)
    nuts_omrade = models.ForeignKey(
        NutsOmrade, models.PROTECT, related_name="avdelningar", verbose_name="NUTS-område"
    )
    lan = models.ManyToManyField(Lan, related_name="avdelningar", verbose_name="län")
    is_example = models.BooleanField(
        "exempel",
        default=False,
        help_text="Påhittad avdelning i demodata (inte en verklig avdelning).",
    )

    class Meta:
        verbose_name = "avdelning"
        verbose_name_plural = "avdelningar"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("avdelning", args=[self.pk])

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, self.pk


class Medlemsantal(models.Model):
    """Active members on 1 January of a year: the key for the departments' cost share."""

    avdelning = models.ForeignKey(
        Avdelning, models.CASCADE, related_name="medlemsantal", verbose_name="avdelning"
    )
    year = models.PositiveSmallIntegerField("år")
    active_members = models.PositiveIntegerField("aktiva medlemmar 1 januari")

    class Meta:
        verbose_name = "medlemsantal"
        verbose_name_plural = "medlemsantal"
        ordering = ["avdelning__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["avdelning", "year"],
                name="medlemsantal_one_per_department_year",
                violation_error_message="Avdelningen har redan ett medlemsantal för det året.",
            ),
            models.CheckConstraint(
                condition=Q(active_members__gte=0),
                name="medlemsantal_not_negative",
                violation_error_message="Medlemsantalet kan inte vara negativt.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="medlemsantal_year_sane",
                violation_error_message="Året ska ligga mellan 2000 och 2100.",
            ),
        ]

    def __str__(self):
        return f"{self.avdelning} {self.year}: {self.active_members}"

    @property
    def audit_tenant(self):
        return department_tenant(self.avdelning_id)


class Arbetsplats(models.Model):
    avdelning = models.ForeignKey(
        Avdelning, models.CASCADE, related_name="arbetsplatser", verbose_name="avdelning"
    )
    name = models.CharField("namn", max_length=160, db_collation=SV)
    municipality = models.CharField("kommun", max_length=80, blank=True, db_collation=SV)
    employees = models.PositiveIntegerField("antal anställda", null=True, blank=True)

    class Meta:
        verbose_name = "arbetsplats"
        verbose_name_plural = "arbetsplatser"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["avdelning", "name"],
                name="arbetsplats_unique_name_in_department",
                violation_error_message="Avdelningen har redan en arbetsplats med det namnet.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_tenant(self):
        return department_tenant(self.avdelning_id)


class Klubb(models.Model):
    avdelning = models.ForeignKey(
        Avdelning, models.CASCADE, related_name="klubbar", verbose_name="avdelning"
    )
    arbetsplats = models.OneToOneField(
        Arbetsplats,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="klubb",
        verbose_name="arbetsplats",
    )
    name = models.CharField("namn", max_length=160, db_collation=SV)

    class Meta:
        verbose_name = "klubb"
        verbose_name_plural = "klubbar"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["avdelning", "name"],
                name="klubb_unique_name_in_department",
                violation_error_message="Avdelningen har redan en klubb med det namnet.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.arbetsplats_id and self.arbetsplats.avdelning_id != self.avdelning_id:
            raise ValidationError({"arbetsplats": "Arbetsplatsen hör till en annan avdelning."})

    @property
    def audit_tenant(self):
        return department_tenant(self.avdelning_id)


class Person(models.Model):
    """Someone who holds assignments. Keep no more about them than the work needs (GDPR)."""

    name = models.CharField("namn", max_length=120, db_collation=SV)
    email = models.EmailField("e-post", blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="inloggning",
    )
    anonymized_at = models.DateTimeField("anonymiserad", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["name"]
        # Admin's actions on people: seeing a person's page (view_person) is not enough.
        permissions = [
            ("anonymize_person", "Kan anonymisera personer"),
            ("extract_register", "Kan ta ut registerutdrag (med granskningsloggens rader)"),
        ]

    def __str__(self):
        return self.name

    def copy_to_login(self):
        """The person's name and e-mail are the source; the login carries a copy (admin
        shows the login's read-only). Returns the login fields that changed, saved."""
        login = self.user
        if login is None:
            return {}
        first, _, last = self.name.partition(" ")
        wanted = {"first_name": first[:150], "last_name": last[:150], "email": self.email}
        changed = {
            name: [getattr(login, name), value]
            for name, value in wanted.items()
            if getattr(login, name) != value
        }
        if changed:
            for name, (_old, value) in changed.items():
                setattr(login, name, value)
            login.save(update_fields=list(changed))
        return changed


class Roll(models.TextChoices):
    PROJEKTLEDARE = "projektledare", "Projektledare"
    STYRGRUPP = "styrgrupp", "Ledamot i styrgruppen"
    FORBUNDSSTYRELSE = "forbundsstyrelse", "Ledamot i förbundsstyrelsen"
    ARBETSLIVSENHETEN = "arbetslivsenheten", "Arbetslivsenheten"
    SAMORDNARE = "samordnare", "Regional samordnare"
    ORDFORANDE = "ordforande", "Avdelningsordförande"
    STYRELSELEDAMOT = "styrelseledamot", "Ledamot i avdelningsstyrelsen"
    ARBETSMARKNADSANSVARIG = "arbetsmarknadsansvarig", "Arbetsmarknadsansvarig ombudsman"
    FORANDRINGSLEDARE = "forandringsledare", "Förändringsledare"
    KOMMITTELEDAMOT = "kommitteledamot", "Ledamot i arbetsmarknadskommitté"
    FACKLIGPOLITISKT_ANSVARIG = "fackligpolitiskt_ansvarig", "Facklig-politiskt ansvarig"


NATIONAL_ROLES = {Roll.PROJEKTLEDARE, Roll.STYRGRUPP, Roll.FORBUNDSSTYRELSE, Roll.ARBETSLIVSENHETEN}
AREA_ROLES = {Roll.SAMORDNARE}
DEPARTMENT_ROLES = set(Roll) - NATIONAL_ROLES - AREA_ROLES


class UppdragQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or today()
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))

    def upcoming_for(self, user, on=None):
        """The user's assignments that have not begun yet (access starts with them),
        soonest first: the start page and the not-found page say when."""
        if user is None or not user.is_authenticated:
            return self.none()
        return (
            self.filter(person__user=user, start__gt=on or today())
            .select_related("nuts_omrade", "avdelning")
            .order_by("start")
        )


class Uppdrag(models.Model):
    """A role held for a period, with its scope: national, a NUTS area or a department."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="uppdrag", verbose_name="person"
    )
    role = models.CharField("roll", max_length=32, choices=Roll.choices)
    nuts_omrade = models.ForeignKey(
        NutsOmrade,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="uppdrag",
        verbose_name="NUTS-område",
    )
    avdelning = models.ForeignKey(
        Avdelning,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="uppdrag",
        verbose_name="avdelning",
    )
    start = models.DateField("från")
    end = models.DateField("till", null=True, blank=True)

    objects = UppdragQuerySet.as_manager()

    class Meta:
        verbose_name = "uppdrag"
        verbose_name_plural = "uppdrag"
        ordering = ["person__name", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Roll.values),
                name="uppdrag_role_valid",
                violation_error_message="Okänd roll.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="uppdrag_end_after_start",
                violation_error_message="Uppdraget kan inte sluta innan det börjar.",
            ),
            # The scope follows from the role: national roles have none, a coordinator
            # has an area, every other role has a department.
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=sorted(NATIONAL_ROLES),
                        nuts_omrade__isnull=True,
                        avdelning__isnull=True,
                    )
                    | Q(
                        role__in=sorted(AREA_ROLES),
                        nuts_omrade__isnull=False,
                        avdelning__isnull=True,
                    )
                    | Q(
                        role__in=sorted(DEPARTMENT_ROLES),
                        nuts_omrade__isnull=True,
                        avdelning__isnull=False,
                    )
                ),
                name="uppdrag_scope_matches_role",
                violation_error_message=(
                    "Ett nationellt uppdrag har varken område eller avdelning, en regional "
                    "samordnare har ett NUTS-område och övriga roller en avdelning."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_role_display()} ({self.scope_label})"

    @property
    def scope_label(self):
        if self.avdelning_id:
            return str(self.avdelning)
        if self.nuts_omrade_id:
            return str(self.nuts_omrade)
        return "nationellt"

    def clean(self):
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "Uppdraget kan inte sluta innan det börjar."})
        if self.role in NATIONAL_ROLES and (self.nuts_omrade_id or self.avdelning_id):
            raise ValidationError("Ett nationellt uppdrag har varken område eller avdelning.")
        if self.role in AREA_ROLES and (not self.nuts_omrade_id or self.avdelning_id):
            raise ValidationError(
                {"nuts_omrade": "En regional samordnare ska ha ett NUTS-område, ingen avdelning."}
            )
        if self.role in DEPARTMENT_ROLES and (not self.avdelning_id or self.nuts_omrade_id):
            raise ValidationError(
                {"avdelning": "Det här uppdraget ska ha en avdelning (och inget NUTS-område)."}
            )

    @property
    def audit_tenant(self):
        return department_tenant(self.avdelning_id, self.nuts_omrade_id)


class Kommitte(models.Model):
    class Typ(models.TextChoices):
        ARBETSMARKNADSKOMMITTE = "arbetsmarknadskommitte", "Arbetsmarknadskommitté"
        ARBETSGRUPP = "arbetsgrupp", "Arbetsgrupp"
        SAMVERKANSKOMMITTE = "samverkanskommitte", "Samverkanskommitté"

    name = models.CharField("namn", max_length=160, db_collation=SV)
    typ = models.CharField("typ", max_length=32, choices=Typ.choices)
    avdelning = models.ForeignKey(
        Avdelning,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="kommitteer",
        verbose_name="avdelning",
    )
    nuts_omrade = models.ForeignKey(
        NutsOmrade,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="kommitteer",
        verbose_name="NUTS-område",
    )
    lan = models.ForeignKey(
        Lan, models.PROTECT, null=True, blank=True, related_name="kommitteer", verbose_name="län"
    )

    class Meta:
        verbose_name = "kommitté"
        verbose_name_plural = "kommittéer"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    typ__in=["arbetsmarknadskommitte", "arbetsgrupp", "samverkanskommitte"]
                ),
                name="kommitte_typ_valid",
                violation_error_message="Okänd kommittétyp.",
            ),
            # A department's committee belongs to the department; a cooperation committee
            # spans departments in a county or a NUTS area.
            models.CheckConstraint(
                condition=(
                    Q(
                        typ__in=["arbetsmarknadskommitte", "arbetsgrupp"],
                        avdelning__isnull=False,
                    )
                    | Q(typ="samverkanskommitte", avdelning__isnull=True)
                    & (Q(nuts_omrade__isnull=False) | Q(lan__isnull=False))
                ),
                name="kommitte_scope_matches_type",
                violation_error_message=(
                    "En avdelnings kommitté hör till avdelningen; en samverkanskommitté hör till "
                    "ett län eller ett NUTS-område."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.typ == self.Typ.SAMVERKANSKOMMITTE:
            if self.avdelning_id or not (self.nuts_omrade_id or self.lan_id):
                raise ValidationError(
                    "En samverkanskommitté hör till ett län eller ett NUTS-område, "
                    "inte till en avdelning."
                )
        elif self.typ and not self.avdelning_id:
            raise ValidationError({"avdelning": "Avdelningens kommitté behöver en avdelning."})

    @property
    def audit_tenant(self):
        return department_tenant(self.avdelning_id, self.nuts_omrade_id)


class KommitteLedamot(models.Model):
    class Roll(models.TextChoices):
        ORDFORANDE = "ordforande", "Ordförande"
        LEDAMOT = "ledamot", "Ledamot"
        SEKRETERARE = "sekreterare", "Sekreterare"
        ADJUNGERAD = "adjungerad", "Adjungerad"

    kommitte = models.ForeignKey(
        Kommitte, models.CASCADE, related_name="ledamoter", verbose_name="kommitté"
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="kommitteuppdrag", verbose_name="person"
    )
    role = models.CharField("roll", max_length=16, choices=Roll.choices, default=Roll.LEDAMOT)
    start = models.DateField("från")
    end = models.DateField("till", null=True, blank=True)

    class Meta:
        verbose_name = "kommittéledamot"
        verbose_name_plural = "kommittéledamöter"
        ordering = ["kommitte__name", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["ordforande", "ledamot", "sekreterare", "adjungerad"]),
                name="kommitteledamot_role_valid",
                violation_error_message="Okänd roll i kommittén.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="kommitteledamot_end_after_start",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.kommitte})"

    def clean(self):
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "Slutdatum kan inte ligga före startdatum."})

    @property
    def audit_tenant(self):
        return self.kommitte.audit_tenant


class Epost(models.TextChoices):
    """The kinds of mail the workflow sends (docs/epost.md); each can be turned off."""

    ATAGANDE_INSKICKAT = "atagande_inskickat", "Ett åtagande har skickats in för granskning"
    ATAGANDE_GRANSKAT = "atagande_granskat", "Ett åtagande har godkänts eller återsänts"
    RAPPORT_KLAR = "rapport_klar", "En rapport jag beställt är sammanställd"
    RAPPORT_GODKAND = "rapport_godkand", "Styrgruppen har godkänt en rapport"
    ENKAT = "enkat", "En enkät till min avdelning eller mitt område: utskick och påminnelser"


class Epostval(models.Model):
    """A kind of workflow mail a person has turned off. No row: the mail is wanted."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="epostval", verbose_name="person"
    )
    kind = models.CharField("utskick", max_length=32, choices=Epost.choices)

    class Meta:
        verbose_name = "avböjt utskick"
        verbose_name_plural = "avböjda utskick"
        ordering = ["person__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                name="epostval_one_per_kind",
                violation_error_message="Valet för den här sortens e-post finns redan.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Epost.values),
                name="epostval_kind_valid",
                violation_error_message="Okänd sorts e-post.",
            ),
        ]

    def __str__(self):
        return f"{self.person}: inte {self.get_kind_display().lower()}"


class Utskick(models.Model):
    """One workflow mail sent to one address for one event (``key``, e.g. a commitment's
    version after a transition). Inserted in the transaction that sends it: a task that
    runs twice, or on two workers, sends each mail once."""

    kind = models.CharField("utskick", max_length=32, choices=Epost.choices)
    key = models.CharField("händelse", max_length=100)
    email = models.EmailField("adress")
    sent_at = models.DateTimeField("skickat", auto_now_add=True)

    class Meta:
        verbose_name = "utskick"
        verbose_name_plural = "utskick"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "email"],
                name="utskick_once",
                violation_error_message="Det här utskicket har redan gått till adressen.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Epost.values),
                name="utskick_kind_valid",
                violation_error_message="Okänd sorts e-post.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.key}) till {self.email}"


# --- The decision log (beslutslogg) ---------------------------------------------------------
# The project's decisions: start and stop, scope changes, plan revisions, expansions, each
# with its date, the body that took it and links to what it concerns. On the organisation
# floor so that every higher app (the candidate assessment, the report) can write and read
# it; written through avdelningar.services.projektbeslut_record/_update only.


class BeslutTyp(models.TextChoices):
    START = "start", "Start"
    STOPP = "stopp", "Stopp"
    OMFATTNING = "omfattning", "Ändrad omfattning"
    PLANREVISION = "planrevision", "Reviderad projektplan"
    UTVIDGNING = "utvidgning", "Utvidgning"
    OVRIGT = "ovrigt", "Övrigt"


class BeslutOrgan(models.TextChoices):
    STYRGRUPP = "styrgrupp", "Styrgruppen"
    FORBUNDSSTYRELSE = "forbundsstyrelse", "Förbundsstyrelsen"


class ProjektbeslutQuerySet(models.QuerySet):
    def in_year(self, year):
        return self.filter(decided_on__year=year)

    def newest_first(self):
        return self.order_by("-decided_on", "-pk")


class Projektbeslut(Versioned):
    """One decision about the project as a whole, as the minutes record it. The steering
    group starts and stops the project and approves changes to its definition; the
    national board owns the project and decides expansions to new areas (the plan, §5.4
    and §4.3.3), which the constraint below holds."""

    Typ = BeslutTyp
    Organ = BeslutOrgan

    kind = models.CharField("slag", max_length=16, choices=BeslutTyp.choices)
    body = models.CharField("beslutande organ", max_length=20, choices=BeslutOrgan.choices)
    decided_on = models.DateField("beslutsdatum")
    title = models.CharField("rubrik", max_length=200)
    description = models.TextField("beskrivning", blank=True)
    paragraph = models.CharField("protokollsparagraf", max_length=20, blank=True)
    nuts_omrade = models.ForeignKey(
        NutsOmrade,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projektbeslut",
        verbose_name="NUTS-område",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registrerat av",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="senast ändrat av",
    )
    created_at = models.DateTimeField("registrerat", auto_now_add=True)

    objects = ProjektbeslutQuerySet.as_manager()

    class Meta:
        verbose_name = "projektbeslut"
        verbose_name_plural = "projektbeslut"
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["decided_on"], name="projektbeslut_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BeslutTyp.values),
                name="projektbeslut_kind_valid",
                violation_error_message="Okänt slags beslut.",
            ),
            models.CheckConstraint(
                condition=Q(body__in=BeslutOrgan.values),
                name="projektbeslut_body_valid",
                violation_error_message="Beslut fattas av styrgruppen eller förbundsstyrelsen.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=BeslutTyp.UTVIDGNING) | Q(body=BeslutOrgan.FORBUNDSSTYRELSE),
                name="projektbeslut_expansion_by_board",
                violation_error_message=(
                    "Om en utvidgning till nya områden beslutar förbundsstyrelsen "
                    "(styrgruppen föreslår)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="projektbeslut_title_given",
                violation_error_message="Beslutet behöver en rubrik.",
            ),
        ]

    def __str__(self):
        return f"{self.decided_on:%Y-%m-%d} {self.get_body_display()}: {self.title}"

    def get_absolute_url(self):
        return reverse("beslut", args=[self.pk])

    @property
    def audit_tenant(self):
        # A decision is the project's, read nationally; its area (if any) scopes the trail.
        return (self.nuts_omrade_id, None)


def check_beslut_url(url):
    """A link in the decision log: a path inside the app ("/rapporter/12/") or an https://
    address. Nothing else: a link is clicked by the steering group and the national
    board, so ``javascript:`` and ``data:`` (script), plain ``http://`` (readable and
    changeable on the way) and ``//host`` or ``/\\host`` (an outside site dressed as a path)
    are refused."""
    url = url.strip()
    bad = ValidationError(
        "Ange en sökväg i systemet som börjar med / (t.ex. /rapporter/) eller en https://-adress.",
        code="url",
    )
    if any(c.isspace() or ord(c) < 32 for c in url) or "\\" in url:
        raise bad
    if url.startswith("/"):
        if url.startswith("//"):
            raise bad
        return url
    if not url.lower().startswith("https://"):
        raise bad
    URLValidator(schemes=["https"], message=bad.message)(url)
    return url


class ProjektbeslutLank(models.Model):
    """A link of a decision: the minutes, the report or plan it concerns, an area's page."""

    beslut = models.ForeignKey(
        Projektbeslut, models.CASCADE, related_name="lankar", verbose_name="beslut"
    )
    label = models.CharField("text", max_length=200)
    url = models.CharField("adress", max_length=500, validators=[check_beslut_url])

    class Meta:
        verbose_name = "länk till beslut"
        verbose_name_plural = "länkar till beslut"
        ordering = ["beslut", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="https://")
                | (Q(url__startswith="/") & ~Q(url__startswith="//")),
                name="projektbeslutlank_url_safe",
                violation_error_message=(
                    "En länk är en sökväg i systemet som börjar med / eller en https://-adress."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(label=""),
                name="projektbeslutlank_label_given",
                violation_error_message="Länken behöver en text.",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.url})"

    @property
    def is_external(self):
        return self.url.startswith("https://")

    @property
    def audit_tenant(self):
        return self.beslut.audit_tenant

"""What coordinators and departments do (activities), and the world outside: actors,
forums and structural-fund projects, a register shared by everyone with a role.

The counting rules (docs/raknregler.md) live once, on ``AktivitetQuerySet``; lists,
exports and ``aktiviteter.reporting`` all use them.
"""

import datetime
from collections import Counter, defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Count, ExpressionWrapper, F, Func, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone

from avdelningar.access import kontaktpersoner_visible
from avdelningar.models import SV, Arbetsplats, Avdelning, Lan, NutsOmrade, Person
from historik.models import Versioned
from mal.models import Verksamhetsmal

NOTES_MAX = 20_000
# Activities before the project (2019) or more than a year ahead are typing errors.
EARLIEST_DATE = datetime.date(2019, 1, 1)


def _choices_check(field, choices, name):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=name,
        violation_error_message="Välj ett av alternativen i listan.",
    )


class AktorTyp(models.TextChoices):
    REGION = "region", "Region"
    KOMMUN = "kommun", "Kommun"
    ARBETSFORMEDLINGEN = "arbetsformedlingen", "Arbetsförmedlingen"
    LO = "lo", "LO"
    LO_DISTRIKT = "lo_distrikt", "LO-distrikt"
    TSL = "tsl", "TSL"
    IUC = "iuc", "IUC"
    TEKNIKCOLLEGE = "teknikcollege", "Teknikcollege"
    MOTORBRANSCHCOLLEGE = "motorbranschcollege", "Motorbranschcollege"
    PRODUKTIONSLYFTET = "produktionslyftet", "Produktionslyftet"
    ARBETSGIVARORGANISATION = "arbetsgivarorganisation", "Arbetsgivar- och branschorganisation"
    FACKFORBUND = "fackforbund", "Annat fackförbund"
    UTBILDNING = "utbildning", "Utbildningsanordnare"
    MYNDIGHET = "myndighet", "Myndighet"
    PARTI = "parti", "Politiskt parti"
    FORETAG = "foretag", "Företag"
    ANNAN = "annan", "Annan"


class Aktor(Versioned):
    """An outside organisation. Organisation-level contact details only: no personal data."""

    Typ = AktorTyp

    name = models.CharField("namn", max_length=160, unique=True, db_collation=SV)
    typ = models.CharField("typ", max_length=32, choices=Typ.choices)
    nuts_omrade = models.ForeignKey(
        NutsOmrade,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="aktorer",
        verbose_name="NUTS-område",
        help_text="Tomt för nationella aktörer.",
    )
    lan = models.ForeignKey(
        Lan, models.PROTECT, null=True, blank=True, related_name="aktorer", verbose_name="län"
    )
    address = models.CharField("adress", max_length=200, blank=True)
    phone = models.CharField("telefon (växel)", max_length=30, blank=True)
    web = models.URLField("webbplats", blank=True)
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "aktör"
        verbose_name_plural = "aktörer"
        ordering = ["name"]
        constraints = [_choices_check("typ", AktorTyp, "aktor_typ_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("aktiviteter:aktor", args=[self.pk])

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None

    def can_edit(self, scope):
        """May change this actor (or add it, while it is unsaved): access.py's register
        rule, for the actor's area."""
        if self.pk is None:
            return scope.adds_to_register
        return scope.can_edit_register([self.nuts_omrade_id])


class ForumTyp(models.TextChoices):
    INDUSTRIRAD = "industrirad", "Industriråd"
    KOMPETENSPLATTFORM = "kompetensplattform", "Kompetensplattform"
    PROGRAMRAD = "programrad", "Programråd"
    PARTNERSKAP = "partnerskap", "Strukturfondspartnerskap"
    OMSTALLNINGSRAD = "omstallningsrad", "Omställningsråd"
    COLLEGE = "college", "Collegestyrelse"
    ANNAT = "annat", "Annat forum"


class Forum(Versioned):
    Typ = ForumTyp

    name = models.CharField("namn", max_length=160, db_collation=SV)
    typ = models.CharField("typ", max_length=32, choices=Typ.choices)
    nuts_omrade = models.ForeignKey(
        NutsOmrade, models.PROTECT, related_name="forum", verbose_name="NUTS-område"
    )
    aktorer = models.ManyToManyField(
        Aktor, blank=True, related_name="forum", verbose_name="aktörer"
    )
    union_initiated = models.BooleanField("initierat av IF Metall", default=False)
    active_from = models.DateField("aktivt från", null=True, blank=True)
    active_to = models.DateField("aktivt till", null=True, blank=True)
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "samverkansforum"
        verbose_name_plural = "samverkansforum"
        ordering = ["name"]
        constraints = [
            _choices_check("typ", ForumTyp, "forum_typ_valid"),
            models.UniqueConstraint(
                fields=["nuts_omrade", "name"],
                name="forum_unique_in_area",
                violation_error_message="Området har redan ett forum med det namnet.",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=F("active_from")),
                name="forum_active_to_after_from",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("aktiviteter:forum", args=[self.pk])

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None

    def can_edit(self, scope):
        """May change this forum (or add it, while it is unsaved), for the forum's area."""
        if self.pk is None:
            return scope.adds_to_register
        return scope.can_edit_register([self.nuts_omrade_id])


class PlatsRoll(models.TextChoices):
    LEDAMOT = "ledamot", "Ledamot"
    ERSATTARE = "ersattare", "Ersättare"


class ForumPlats(models.Model):
    """The union's seat in a forum: who, member or deputy, for which period."""

    Roll = PlatsRoll

    forum = models.ForeignKey(Forum, models.CASCADE, related_name="platser", verbose_name="forum")
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="forumplatser", verbose_name="person"
    )
    role = models.CharField("plats", max_length=16, choices=Roll.choices, default=Roll.LEDAMOT)
    start = models.DateField("från")
    end = models.DateField("till", null=True, blank=True)

    class Meta:
        verbose_name = "plats i forum"
        verbose_name_plural = "platser i forum"
        ordering = ["forum__name", "-start"]
        constraints = [
            _choices_check("role", PlatsRoll, "forumplats_role_valid"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="forumplats_end_after_start",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.forum})"

    @property
    def audit_tenant(self):
        return self.forum.audit_tenant


class Fond(models.TextChoices):
    ESF = "esf", "ESF+"
    ERUF = "eruf", "ERUF"
    GLOBALISERINGSFONDEN = "egf", "Globaliseringsfonden"
    FRO = "fro", "Fonden för en rättvis omställning (FRO)"
    ANNAT = "annat", "Annan"


class ProjektRoll(models.TextChoices):
    INITIATIVTAGARE = "initiativtagare", "Initiativtagare"
    PARTNER = "partner", "Partner"
    STYRGRUPP = "styrgrupp", "Styrgrupp"
    REFERENSGRUPP = "referensgrupp", "Referensgrupp"


class Strukturfondsprojekt(Versioned):
    Fond = Fond

    Roll = ProjektRoll

    name = models.CharField("namn", max_length=160, unique=True, db_collation=SV)
    fund = models.CharField("fond", max_length=16, choices=Fond.choices)
    programme = models.CharField("program", max_length=160, blank=True)
    owner = models.ForeignKey(
        Aktor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agda_projekt",
        verbose_name="projektägare",
    )
    partners = models.ManyToManyField(
        Aktor, blank=True, related_name="partnerprojekt", verbose_name="partner"
    )
    union_role = models.CharField("IF Metalls roll", max_length=16, choices=Roll.choices)
    budget_sek = models.PositiveBigIntegerField("budget (kr)", null=True, blank=True)
    start = models.DateField("från", null=True, blank=True)
    end = models.DateField("till", null=True, blank=True)
    omraden = models.ManyToManyField(
        NutsOmrade, related_name="strukturfondsprojekt", verbose_name="NUTS-områden"
    )
    avdelningar = models.ManyToManyField(
        Avdelning, blank=True, related_name="strukturfondsprojekt", verbose_name="avdelningar"
    )
    arbetsplatser = models.ManyToManyField(
        Arbetsplats, blank=True, related_name="strukturfondsprojekt", verbose_name="arbetsplatser"
    )
    participants_women = models.PositiveIntegerField("nådda deltagare, kvinnor", default=0)
    participants_men = models.PositiveIntegerField("nådda deltagare, män", default=0)
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "strukturfondsprojekt"
        verbose_name_plural = "strukturfondsprojekt"
        ordering = ["name"]
        constraints = [
            _choices_check("fund", Fond, "strukturfondsprojekt_fund_valid"),
            _choices_check("union_role", ProjektRoll, "strukturfondsprojekt_role_valid"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="strukturfondsprojekt_end_after_start",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
            models.CheckConstraint(
                condition=Q(participants_women__gte=0, participants_men__gte=0),
                name="strukturfondsprojekt_participants_not_negative",
                violation_error_message="Antalet kan inte vara negativt.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("aktiviteter:projekt", args=[self.pk])

    @property
    def audit_tenant(self):
        # A project spans areas and departments (omraden, avdelningar): no one tenant.
        return None, None

    def can_edit(self, scope):
        """May change this project (or add it, while it is unsaved): a joint project is
        changed by the coordinator of any of its areas."""
        if self.pk is None:
            return scope.adds_to_register
        return scope.can_edit_register(self._area_ids())

    def _area_ids(self):
        # A generator: the areas are read (or taken from a prefetch) only when asked for,
        # and the project leader's answer needs none.
        for area in self.omraden.all():
            yield area.pk


class SearchDocument(Func):
    """An activity's stored search document (the generated column of migration 0005, not a
    model field). Written through the row's id column so that it carries the alias the
    query gives the table: inside a subquery (distinct_rows, pk__in) that is not the table
    name, and a hard-coded one made the search a correlated subquery over every row."""

    def __init__(self):
        super().__init__(F("pk"), output_field=models.TextField())

    def as_sql(self, compiler, connection, **extra):
        (column,) = self.get_source_expressions()
        table = compiler.quote_name_unless_alias(column.alias)
        return f"{table}.{connection.ops.quote_name('search_document')}", []


class AktivitetQuerySet(models.QuerySet):
    """The counting rules (docs/raknregler.md), written once."""

    def visible_to(self, scope):
        """Activities whose area is the coordinator's, or that involve a department of
        the user's (or, for a coordinator, a department in their area)."""
        return scope.filter_area_or_departments(
            self, nuts_field="nuts_omrade_id", avdelningar_field="avdelningar"
        )

    def open_next_steps(self):
        """Activities with a next step that is not marked done, the earliest due first
        (overdue ones thus lead), those without a date last."""
        return (
            self.exclude(next_step="")
            .filter(next_step_done_at__isnull=True)
            .order_by(F("next_step_due").asc(nulls_last=True), "date", "pk")
        )

    def search(self, text):
        """Full text with Swedish stemming on PostgreSQL, over the stored document of
        migration 0005 (title and notes, GIN-indexed); a plain substring match elsewhere."""
        text = (text or "").strip()
        if not text:
            return self
        if connections[self.db].vendor != "postgresql":
            return self.filter(Q(title__icontains=text) | Q(notes__icontains=text))
        matches = Func(
            SearchDocument(),
            Func(
                Value(text), template="websearch_to_tsquery('swedish'::regconfig, %(expressions)s)"
            ),
            template="%(expressions)s",
            arg_joiner=" @@ ",
            output_field=models.BooleanField(),
        )
        return self.filter(matches)

    def keyset_page(self, *, sort, after=None, size=50):
        """(rows, next cursor or None): one page after the cursor, in a stable order.

        Keyset paging (WHERE (key, id) after the last row) costs the same on page 1000 as
        on page 1, unlike OFFSET. sort is one of date, -date, title, -title.
        """
        field = sort.lstrip("-")
        if field not in ("date", "title"):
            field, sort = "date", "-date"
        desc = sort.startswith("-")
        sign = "-" if desc else ""
        qs = self.order_by(f"{sign}{field}", f"{sign}id")
        if after:
            value, _, pk = after.rpartition("~")
            op = "lt" if desc else "gt"
            try:
                pk = int(pk)
                if field == "date":
                    value = datetime.date.fromisoformat(value)
            except ValueError:
                value = None
            if value is not None:
                # The inclusive bound alone is an index range condition: a deep page starts
                # reading the (date, id) index at the cursor instead of filtering every row
                # before it (the OR below is not one the planner can use as a range).
                qs = qs.filter(**{f"{field}__{op}e": value}).filter(
                    Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"id__{op}": pk})
                )
        rows = list(qs[: size + 1])
        cursor = None
        if len(rows) > size:
            rows = rows[:size]
            last = rows[-1]
            key = last.date.isoformat() if field == "date" else last.title
            cursor = f"{key}~{last.pk}"
        return rows, cursor

    def in_year(self, year):
        return self.filter(date__year=year)

    def per_year(self):
        """[{"year": …, "n": …}]: how many activities each year, oldest first (a register
        row's "over time")."""
        return list(
            self.order_by()
            .annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(n=Count("pk"))
            .order_by("year")
        )

    def national(self):
        """National activities: no area (docs/raknregler.md, "Nationella aktiviteter")."""
        return self.filter(nuts_omrade__isnull=True)

    def in_areas(self):
        return self.filter(nuts_omrade__isnull=False)

    def involving_nuts(self, nuts_ids):
        """Activities whose area, or one of whose departments' areas, is in nuts_ids.

        A national activity involves no area, even when one of its departments lies in
        one: it is counted for the project and its departments, never for an area."""
        through = Aktivitet.avdelningar.through.objects.filter(
            avdelning__nuts_omrade_id__in=nuts_ids
        ).values("aktivitet_id")
        return self.filter(
            Q(nuts_omrade_id__in=nuts_ids) | Q(pk__in=through, nuts_omrade__isnull=False)
        )

    def distinct_rows(self):
        """The same activities, each once, whatever joins the filters made.

        Filters that made no join (the list's filters use pk__in subqueries) cannot
        repeat a row: then the queryset itself is returned, so the planner reads only the
        matching rows instead of joining the table with itself.
        """
        joined = [alias for alias, refs in self.query.alias_refcount.items() if refs]
        if len(joined) <= 1 and not self.query.is_sliced:
            return self
        return Aktivitet.objects.filter(pk__in=self.values("pk"))

    def totals(self):
        """{"total", "women", "men", "other"}: each activity once, participants once each."""
        agg = (
            self.distinct_rows()
            .order_by()
            .aggregate(
                total=Count("pk"),
                women=Coalesce(Sum("participants_women"), 0),
                men=Coalesce(Sum("participants_men"), 0),
                other=Coalesce(Sum("participants_other"), 0),
            )
        )
        return agg

    # area_tally's groupings. Each gives an activity at most one row per value (a goal's
    # number is unique), so within its own area an activity is counted without DISTINCT.
    TALLY_BY = {None: None, "year": "date__year", "goal": "verksamhetsmal__number"}

    def area_tally(self, nuts_ids=None, by=None):
        """(totals, per_area, national), grouped by value: by None (one value, None),
        "year" or "goal" (an activity once under each goal it serves).

        totals = {value: {"total", "women", "men", "other"}}: these activities, each once,
        participants once each (rules 1 and 5), the national ones too. per_area = {value:
        {area code: n}}: an activity with an area once in every area it involves, only the
        areas in nuts_ids if given (rule 2); a national activity in none. national = {value:
        {"total", ...}}: the national activities among them, as totals counts them (rule 9).

        Two grouped queries, whatever the number of areas and values. The first groups
        by the activity's own area: summed over the areas it gives the totals, and it is
        each area's count of its own activities. The second counts each activity once in
        every other area one of its departments is in (3 % of the activities in the load
        data); the two parts never overlap, so they add up. (One correlated count per
        area instead took seconds on 10,000 activities.)
        """
        field = self.TALLY_BY[by]
        fields = (field,) if field else ()
        rows = self.distinct_rows().order_by()
        # The code as an aggregate, not a grouping column: grouped by text, PostgreSQL
        # expected a group per row and sorted 90,000 rows on disk instead of hashing.
        own = rows.values_list("nuts_omrade_id", *fields).annotate(
            code=Min("nuts_omrade__code"),
            total=Count("pk"),
            women=Coalesce(Sum("participants_women"), 0),
            men=Coalesce(Sum("participants_men"), 0),
            other=Coalesce(Sum("participants_other"), 0),
        )
        # An annotation rather than avdelningar__ lookups in the exclude, which would
        # become a subquery instead of a condition on this one join.
        other = (
            rows.annotate(dept_area=F("avdelningar__nuts_omrade"))
            .filter(dept_area__isnull=False, nuts_omrade__isnull=False)
            .exclude(dept_area=F("nuts_omrade"))
        )
        if nuts_ids is not None:
            other = other.filter(dept_area__in=nuts_ids)
        other = other.values_list("avdelningar__nuts_omrade__code", *fields).annotate(
            n=Count("pk", distinct=True)
        )
        totals = defaultdict(Counter)
        per_area = defaultdict(Counter)
        national = defaultdict(Counter)
        for area_id, *value, code, total, women, men, other_ in own:
            value = value[0] if field else None
            counts = {"total": total, "women": women, "men": men, "other": other_}
            totals[value].update(counts)
            if area_id is None:
                # The national activities' own group: no area to count them in.
                national[value].update(counts)
            elif nuts_ids is None or area_id in nuts_ids:
                per_area[value][code] += total
        for code, *value, n in other:
            per_area[value[0] if field else None][code] += n
        return (
            {v: dict(t) for v, t in totals.items()},
            {v: dict(sorted(areas.items())) for v, areas in per_area.items()},
            {v: dict(t) for v, t in national.items()},
        )

    def by_department(self):
        """{department id: n}: an activity counts once for each department that is with it."""
        # Joined, not a pk__in subquery: the planner reads the activities once. A
        # department is with an activity at most once, so no DISTINCT is needed.
        rows = self.distinct_rows().order_by().values_list("avdelningar").annotate(n=Count("pk"))
        return {pk: n for pk, n in rows if pk is not None}

    def by_type(self):
        """{type label: n}."""
        return self.type_tally()[0]

    def type_tally(self):
        """({type label: n} of all, {type label: n} of the national ones): one query."""
        labels = dict(Aktivitet.Typ.choices)
        rows = (
            self.distinct_rows()
            .order_by()
            .annotate(
                national=ExpressionWrapper(
                    Q(nuts_omrade__isnull=True), output_field=models.BooleanField()
                )
            )
            .values("typ", "national")
            .annotate(n=Count("pk"))
            .values_list("typ", "national", "n")
        )
        every, national = Counter(), Counter()
        for typ, is_national, n in rows:
            every[typ] += n
            if is_national:
                national[typ] += n
        # In the order of the types' codes, as the report has always listed them.
        return tuple(
            {str(labels.get(typ, typ)): n for typ, n in sorted(counts.items())}
            for counts in (every, national)
        )


class AktivitetTyp(models.TextChoices):
    MOTE = "mote", "Möte"
    WORKSHOP = "workshop", "Workshop"
    UTBILDNING = "utbildning", "Utbildning (t.ex. Arbetsliv i förändring)"
    ARBETSPLATSBESOK = "arbetsplatsbesok", "Arbetsplatsbesök"
    FORUMMOTE = "forummote", "Forummöte"
    KONFERENS = "konferens", "Konferens"
    PAVERKAN = "paverkan", "Politiskt påverkansarbete"
    FONDPROJEKT = "fondprojekt", "Arbete i strukturfondsprojekt"
    VARSEL = "varsel", "Omställning vid varsel"
    ANALYS = "analys", "Analysmöte"
    # National and cross-unit work (issue 16): the project's own meetings across the
    # areas, the dialogue with Arbetsförmedlingen nationally, the working-life unit's support.
    TVARGRUPPSMOTE = "tvargruppsmote", "Tvärgruppsmöte"
    AF_DIALOG = "af_dialog", "Nationell dialog med Arbetsförmedlingen"
    STOD = "stod", "Stöd från arbetslivsenheten"
    ANNAT = "annat", "Annat"


class AktivitetNiva(models.TextChoices):
    """Where an activity belongs: to an area of the pilot, or to the whole project (no
    area). A national activity counts in the project's total, never in an area's
    (docs/raknregler.md)."""

    OMRADE = "omrade", "Område"
    NATIONELL = "nationell", "Nationell"


class Aktivitet(Versioned):
    Typ = AktivitetTyp
    Niva = AktivitetNiva

    date = models.DateField("datum")
    typ = models.CharField("typ", max_length=24, choices=Typ.choices)
    title = models.CharField("rubrik", max_length=200)
    notes = models.TextField("anteckningar", blank=True)
    niva = models.CharField("nivå", max_length=16, choices=Niva.choices, default=Niva.OMRADE)
    nuts_omrade = models.ForeignKey(
        NutsOmrade,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="aktiviteter",
        verbose_name="NUTS-område",
        help_text="Tomt för en nationell aktivitet.",
    )
    avdelningar = models.ManyToManyField(
        Avdelning, blank=True, related_name="aktiviteter", verbose_name="avdelningar"
    )
    verksamhetsmal = models.ManyToManyField(
        Verksamhetsmal, related_name="aktiviteter", verbose_name="verksamhetsmål"
    )
    aktorer = models.ManyToManyField(
        Aktor, blank=True, related_name="aktiviteter", verbose_name="aktörer"
    )
    forum = models.ForeignKey(
        Forum,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="aktiviteter",
        verbose_name="forum",
    )
    projekt = models.ForeignKey(
        Strukturfondsprojekt,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="aktiviteter",
        verbose_name="strukturfondsprojekt",
    )
    arbetsplatser = models.ManyToManyField(
        Arbetsplats, blank=True, related_name="aktiviteter", verbose_name="arbetsplatser"
    )
    participants_women = models.PositiveIntegerField("deltagare, kvinnor", default=0)
    participants_men = models.PositiveIntegerField("deltagare, män", default=0)
    participants_other = models.PositiveIntegerField("deltagare, annat/okänt", default=0)
    next_step = models.CharField("nästa steg", max_length=300, blank=True)
    next_step_due = models.DateField("nästa steg senast", null=True, blank=True)
    next_step_done_at = models.DateTimeField("nästa steg klart", null=True, blank=True)
    # Set by the import: a hash of date, title and area, so a re-import adds nothing twice.
    import_key = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="loggad av",
    )
    # The logging form's one-time token: a second submit of the same form (a double click,
    # two tabs) finds the activity the first one created instead of creating another.
    form_token = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField("loggad", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ändrad av",
    )

    objects = AktivitetQuerySet.as_manager()

    class Meta:
        verbose_name = "aktivitet"
        verbose_name_plural = "aktiviteter"
        ordering = ["-date", "-id"]
        indexes = [
            # Keyset paging on the default sort and on titles.
            models.Index(fields=["date", "id"], name="aktivitet_date_id"),
            models.Index(fields=["title", "id"], name="aktivitet_title_id"),
            models.Index(fields=["nuts_omrade", "date"], name="aktivitet_nuts_date"),
            models.Index(fields=["typ", "date"], name="aktivitet_typ_date"),
            # The list's cache stamp (aktiviteter.listcache) reads MAX(updated_at).
            models.Index(fields=["updated_at"], name="aktivitet_updated_at"),
        ]
        constraints = [
            _choices_check("typ", AktivitetTyp, "aktivitet_typ_valid"),
            _choices_check("niva", AktivitetNiva, "aktivitet_niva_valid"),
            models.CheckConstraint(
                condition=Q(niva=AktivitetNiva.OMRADE, nuts_omrade__isnull=False)
                | Q(niva=AktivitetNiva.NATIONELL, nuts_omrade__isnull=True),
                name="aktivitet_niva_matches_area",
                violation_error_message=(
                    "En aktivitet i ett område har ett NUTS-område; "
                    "en nationell aktivitet har inget."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    participants_women__gte=0, participants_men__gte=0, participants_other__gte=0
                ),
                name="aktivitet_participants_not_negative",
                violation_error_message="Antalet deltagare kan inte vara negativt.",
            ),
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~Q(import_key=""),
                name="aktivitet_import_key_unique",
                violation_error_message="Aktiviteten är redan importerad.",
            ),
            models.UniqueConstraint(
                fields=["form_token"],
                condition=~Q(form_token=""),
                name="aktivitet_form_token_unique",
                violation_error_message="Formuläret är redan skickat: aktiviteten är sparad.",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.title}"

    def get_absolute_url(self):
        return reverse("aktiviteter:detalj", args=[self.pk])

    @property
    def is_national(self):
        """No area: national work (the constraint aktivitet_niva_matches_area ties this to
        niva). Read from the area's id, which every list loads, not from niva."""
        return self.nuts_omrade_id is None

    @property
    def next_step_open(self):
        return bool(self.next_step) and self.next_step_done_at is None

    def next_step_overdue(self, today):
        return self.next_step_open and self.next_step_due is not None and self.next_step_due < today

    def can_edit(self, scope):
        """May change the activity or mark its next step done (access.py says who)."""
        return scope.can_edit_aktivitet(
            self.nuts_omrade_id, self.avdelningar.all(), year=self.date.year
        )

    def can_delete(self, scope):
        return scope.can_delete_aktivitet(
            self.nuts_omrade_id, self.avdelningar.all(), year=self.date.year
        )

    def clean(self):
        if self.notes and len(self.notes) > NOTES_MAX:
            raise ValidationError(
                {"notes": f"Anteckningarna får vara högst {NOTES_MAX:,} tecken.".replace(",", " ")}
            )

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None


# --- contact persons at actors (issue 17 §4) ----------------------------------------------


class KontaktpersonQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """The contact persons the user may see (access.kontaktpersoner_visible)."""
        return kontaktpersoner_visible(scope, self.filter(anonymized_at__isnull=True))

    def not_contacted_since(self, day):
        """Contact persons whose last contact lies before day (the retention rule)."""
        return self.filter(last_contact__lt=day)


class Kontaktperson(Versioned):
    """A person at an actor whom the coordinator talks to. Personal data: only what the work
    needs (never political opinions or membership); seen only by the coordinators of its
    area and the project leader (access.py); deleted when not contacted for
    RETENTION_CONTACT_DAYS (``manage.py purge_kontaktpersoner``)."""

    aktor = models.ForeignKey(
        Aktor, models.CASCADE, related_name="kontaktpersoner", verbose_name="aktör"
    )
    # The actor's area; for a national actor, the area of the coordinator who keeps the
    # contact (none: the project leader's own contact).
    nuts_omrade = models.ForeignKey(
        NutsOmrade,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="kontaktpersoner",
        verbose_name="NUTS-område",
    )
    name = models.CharField("namn", max_length=120)
    title = models.CharField("titel eller roll", max_length=120, blank=True)
    email = models.EmailField("e-post", blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)
    last_contact = models.DateField("senaste kontakt", default=timezone.localdate)
    anonymized_at = models.DateTimeField("anonymiserad", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    objects = KontaktpersonQuerySet.as_manager()

    class Meta:
        verbose_name = "kontaktperson"
        verbose_name_plural = "kontaktpersoner"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="kontaktperson_name_not_empty",
                violation_error_message="Ange kontaktpersonens namn.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.aktor})" if self.aktor_id else self.name

    def get_absolute_url(self):
        return reverse("aktiviteter:aktor", args=[self.aktor_id]) + "#kontaktpersoner"

    @property
    def audit_tenant(self):
        return self.nuts_omrade_id, None

"""Import of commitments and their targets from the XLSX template (docs/atagande.md).

An importer for filer.imports (which reads the file and keeps the preview).
One row per target; rows with the same owner, year, goal and title are one commitment
(the natural key, so importing the same file twice creates nothing new). Every row is
checked first; if any row is bad nothing is saved and each error names its row number.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from openpyxl import Workbook

from avdelningar.access import require, scope_for
from avdelningar.models import Avdelning, NutsOmrade
from historik.models import Handelse
from historik.services import handelse_record

from .models import Atagande, Indikator, Malvarde, Verksamhetsmal, year_in_project

HEADERS = [
    "Avdelning",
    "NUTS-område",
    "År",
    "Mål",
    "Rubrik",
    "Vad vi ska göra",
    "Kronor",
    "Timmar",
    "Personer",
    "Ansvarig",
    "Indikator",
    "Enhet",
    "Utgångsläge",
    "Målvärde",
    "Kvinnor",
    "Män",
]
IMPORT_REFUSAL = "Du kan inte importera åtaganden."
REQUIRED = ["Avdelning", "NUTS-område", "År", "Mål", "Rubrik", "Indikator", "Målvärde"]
EXAMPLE = [
    "IF Metall Gotland",
    "",
    2026,
    2,
    "Kompetenslyft på verkstadsgolvet",
    "Besök på fem arbetsplatser och en utbildningsdag.",
    20000,
    80,
    3,
    "Arbetsmarknadsansvarig",
    "Arbetare i kompetensutveckling",
    "personer",
    10,
    40,
    16,
    24,
]


INSTRUCTIONS = [
    "Fyll i bladet Åtaganden: en rad per målvärde. Rader med samma avdelning (eller "
    "NUTS-område), år, mål och rubrik blir ett åtagande.",
    "Bara det första bladet läses; det här bladet och raderna nedan importeras inte.",
    "Avdelning: avdelningens namn som i systemet. För ett områdesgemensamt åtagande: lämna "
    "tomt och fyll i NUTS-område (t.ex. SE21).",
    "Mål: verksamhetsmålets nummer 1–8. Indikator: ett namn ur katalogen, eller en egen "
    "indikator med enhet.",
    "Obligatoriska kolumner: " + ", ".join(REQUIRED) + ".",
    "",
    "Exempel på en ifylld rad:",
]


def template_bytes():
    """The template: the header alone on the sheet that is read, the instructions and the
    example row on a sheet of their own (an example on the first sheet was read as data)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Åtaganden"
    ws.append(HEADERS)
    ws.freeze_panes = "A2"
    help_sheet = wb.create_sheet("Instruktioner")
    for line in INSTRUCTIONS:
        help_sheet.append([line])
    help_sheet.append(HEADERS)
    help_sheet.append(EXAMPLE)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(value, label, *, required=False, whole=False, places=None):
    """A non-negative number, or None. ``places``: a target's decimals (its column holds
    12 digits, two of them decimals), checked here so that the preview names the row
    rather than the save refusing the whole file."""
    if value in (None, ""):
        if required:
            raise ValueError(f"{label} saknas")
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise ValueError(f"{label} är inte ett tal ({value!r})") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{label} kan inte vara negativt")
    if number.adjusted() >= 12:
        # Larger than any field holds (12 digits); and int() of 1e999999 takes minutes.
        raise ValueError(f"{label} är för stort ({value!r})")
    if whole and number != number.to_integral_value():
        raise ValueError(f"{label} ska vara ett heltal")
    if places is not None:
        if number.adjusted() >= 12 - places:
            raise ValueError(f"{label} är för stort ({value!r})")
        if number.as_tuple().exponent < -places:
            raise ValueError(f"{label} kan ha högst {places} decimaler ({value!r})")
    return int(number) if whole else number


def _text(row, key):
    value = row.get(key)
    return "" if value is None else str(value).strip()


@dataclass
class Plan:
    # {row, atagande (unsaved), targets [Malvarde], existing, action, new_targets}
    ready: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number, message)


def check(rows: list[tuple[int, dict]], *, user: User) -> Plan:
    """Check every row (rows as filer.imports reads them) with the user's
    rights; the plan's errors name their rows."""
    commitments, errors = _plan(rows, user=user)
    if not errors:
        for c in commitments:
            try:
                c["atagande"].full_clean(validate_constraints=False)
            except ValidationError as e:
                errors.append((c["row"], " ".join(e.messages)))
    return Plan(ready=commitments, errors=errors)


def _plan(rows, *, user):
    """Returns (commitments, errors): commitments is a list of dicts {row, atagande
    (unsaved), targets [Malvarde], ...}; errors a list of (row number, message)."""
    scope = scope_for(user)
    avdelningar = {a.name.lower(): a for a in Avdelning.objects.select_related("nuts_omrade")}
    areas = {n.code.upper(): n for n in NutsOmrade.objects.all()}
    goals = {g.number: g for g in Verksamhetsmal.objects.all()}
    catalogue = {(i.verksamhetsmal_id, i.name.lower()): i for i in Indikator.objects.all()}
    groups, errors = {}, []
    for number, row in rows:
        try:
            name, code = _text(row, "Avdelning"), _text(row, "NUTS-område").upper()
            avd = nuts = None
            if name:
                avd = avdelningar.get(name.lower())
                if avd is None or not scope.can_see_avdelning(avd):
                    raise ValueError(f"avdelningen ”{name}” finns inte")
                if not scope.can_edit_avdelning(avd):
                    raise ValueError(f"du kan inte skriva åtaganden för {avd}")
            elif code:
                nuts = areas.get(code)
                if nuts is None or not scope.can_see_nuts(nuts.pk):
                    raise ValueError(f"NUTS-området ”{code}” finns inte")
                if not scope.can_edit_nuts(nuts.pk):
                    raise ValueError(f"du kan inte skriva åtaganden för {nuts}")
            elif not scope.is_project_leader:
                raise ValueError("ange avdelning eller NUTS-område")
            year = _number(row.get("År"), "År", required=True, whole=True)
            area_id = avd.nuts_omrade_id if avd else nuts.pk if nuts else None
            if not year_in_project(year, area_id, national=avd is None and nuts is None):
                raise ValueError(f"området deltar inte i projektet {year}")
            goal = goals.get(_number(row.get("Mål"), "Mål", required=True, whole=True))
            if goal is None:
                raise ValueError("Mål ska vara ett av verksamhetsmålen 1–8")
            title = _text(row, "Rubrik")
            if not title:
                raise ValueError("Rubrik saknas")
            if len(title) > 200:
                raise ValueError("Rubriken är längre än 200 tecken")
            indicator = _text(row, "Indikator")
            if not indicator:
                raise ValueError("Indikator saknas")
            ind = catalogue.get((goal.pk, indicator.lower()))
            unit = _text(row, "Enhet")
            if ind is None and not unit:
                raise ValueError(f"egen indikator ”{indicator}” behöver en enhet")
            target = Malvarde(
                indikator=ind,
                name="" if ind else indicator[:160],
                unit=unit[:40],
                baseline=_number(row.get("Utgångsläge"), "Utgångsläge", places=2),
                target=_number(row.get("Målvärde"), "Målvärde", required=True, places=2),
                target_women=_number(row.get("Kvinnor"), "Kvinnor", places=2),
                target_men=_number(row.get("Män"), "Män", places=2),
            )
            key = (avd.pk if avd else None, nuts.pk if nuts else None, year, goal.pk, title)
            if key not in groups:
                groups[key] = {
                    "row": number,
                    "atagande": Atagande(
                        avdelning=avd,
                        nuts_omrade=nuts,
                        year=year,
                        verksamhetsmal=goal,
                        title=title,
                        action_plan=_text(row, "Vad vi ska göra") or title,
                        resources_sek=_number(row.get("Kronor"), "Kronor", whole=True),
                        resources_hours=_number(row.get("Timmar"), "Timmar", whole=True),
                        resources_people=_number(row.get("Personer"), "Personer", whole=True),
                        responsible=_text(row, "Ansvarig")[:120],
                    ),
                    "targets": [],
                }
            groups[key]["targets"].append(target)
        except ValueError as e:
            errors.append((number, str(e)[:1].upper() + str(e)[1:] + "."))
    commitments = list(groups.values())
    _match_existing(commitments)
    return commitments, errors


def _same_target(a, b):
    fields = ["indikator_id", "name", "unit", "baseline", "target", "target_women", "target_men"]
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def _match_existing(commitments):
    for c in commitments:
        a = c["atagande"]
        existing = (
            Atagande.objects.for_owner(avdelning=a.avdelning, nuts_omrade=a.nuts_omrade)
            .filter(year=a.year, verksamhetsmal=a.verksamhetsmal, title=a.title)
            .prefetch_related("malvarden")
            .first()
        )
        c["existing"] = existing
        if existing is None:
            c["action"] = "Nytt"
        elif not existing.is_editable_status:
            c["action"] = f"Finns redan ({existing.get_status_display().lower()}), ändras inte"
        else:
            old = list(existing.malvarden.all())
            new = [t for t in c["targets"] if not any(_same_target(t, o) for o in old)]
            c["new_targets"] = new
            c["action"] = f"Finns redan, {len(new)} nya målvärden" if new else "Oförändrat"


def save(plan: Plan, *, user: User, request: HttpRequest | None = None) -> int:
    """Save a checked plan all-or-nothing; returns the number of new commitments.

    A commitment someone saved since the check (the same file confirmed twice at once)
    is a row error, not a server error, and nothing is saved. Each row's owner was
    checked against the user's rights by check; the right to import at all is asked here."""
    require(scope_for(user).imports_commitments, IMPORT_REFUSAL)
    try:
        with transaction.atomic():
            return _save(plan.ready, user=user, request=request)
    except _Taken as taken:
        plan.errors = [
            (
                taken.row,
                "Åtagandet har just sparats av någon annan (importerades filen två gånger?); "
                "inget sparades. Ladda upp filen igen för att se vad som redan finns.",
            )
        ]
        raise ValidationError("Inget importerades.") from None


class _Taken(Exception):
    def __init__(self, row):
        self.row = row


def _save(commitments, *, user, request):
    created = 0
    for c in commitments:
        existing = c["existing"]
        if existing is None:
            a = c["atagande"]
            # The natural key is left to the database: checked here, another request's
            # insert could still come between the check and ours.
            a.full_clean(validate_constraints=False)
            try:
                with transaction.atomic():
                    a.save()
            except IntegrityError as exc:
                if "unique" not in str(exc).lower():  # PostgreSQL and SQLite both say so
                    raise
                raise _Taken(c["row"]) from None
            for t in c["targets"]:
                t.atagande = a
                t.full_clean()
                t.save()
            created += 1
            handelse_record(
                user=user,
                action=Handelse.Action.IMPORT,
                obj=a,
                note=f"Importerat med {len(c['targets'])} målvärde{pluralize(c['targets'], 'n')}.",
                nuts_omrade_id=a.area_id,
                avdelning_id=a.avdelning_id,
                request=request,
            )
        elif existing.is_editable_status and c.get("new_targets"):
            new = c["new_targets"]
            for t in new:
                t.atagande = existing
                t.full_clean()
                t.save()
            handelse_record(
                user=user,
                action=Handelse.Action.IMPORT,
                obj=existing,
                note=f"{len(new)} målvärde{pluralize(new, 'n')} importerade.",
                nuts_omrade_id=existing.area_id,
                avdelning_id=existing.avdelning_id,
                request=request,
            )
    return created

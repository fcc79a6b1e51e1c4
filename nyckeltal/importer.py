"""Import of key figures from the spreadsheet template: one row per department and year.

An importer for filer.imports (which reads the file and keeps the preview until it is
confirmed). Only the entered figures are read; what the register knows is never in the
file. An empty cell, or a column left out, keeps the value the year already has, so a
file with only this year's skills figures changes nothing else. Every row is checked
with the user's rights first; if any row is bad nothing is saved, and each error names
its row. Importing the same file twice changes nothing the second time.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from openpyxl import Workbook

from avdelningar.access import require, scope_for
from avdelningar.models import Arbetsplats, Avdelning, Klubb
from historik.services import ConflictError

from . import services
from .forms import CHANGE_ABOVE_WORKPLACES
from .models import COUNTED_THIS_YEAR, ENTERED, MAX_FIGURE, Nyckeltal, Pilot, entry_years

# Column -> entered figure, in the template's order.
COLUMNS = {
    "Arbetsplatser": "workplaces",
    "Klubbar": "clubs",
    "Arbetsplatser med förändringsarbete": "workplaces_change_started",
    "Kompetensutveckling kvinnor": "skills_women",
    "Kompetensutveckling män": "skills_men",
}
LABEL = {key: column for column, key in COLUMNS.items()}
HEADERS = ["Avdelning", "År", *COLUMNS]
REQUIRED = ["Avdelning", "År"]
IMPORT_REFUSAL = services.IMPORT_DENIED

INSTRUCTIONS = [
    "Fyll i bladet Nyckeltal: en rad per avdelning och år. Mallen har redan en rad för "
    "förra året för varje avdelning du kan lägga in nyckeltal för.",
    "Bara det första bladet läses; det här bladet importeras inte.",
    "Avdelning: avdelningens namn som i systemet. År: året som nyckeltalen gäller.",
    "Talen är heltal (antal). En tom cell ändrar ingenting: värdet som redan finns står kvar.",
    "Arbetsplatser och Klubbar fylls bara i för år som har gått. Årets antal räknas ur "
    "registret (arbetsplatser och klubbar i Organisation).",
    "Medlemsantal, arbetsmarknadskommitté, arbetsmarknadsansvarig, förändringsledare, "
    "platser i forum och strukturfondsprojekt räknas ur registret och finns inte i mallen.",
    "Obligatoriska kolumner: " + ", ".join(REQUIRED) + ".",
]


@dataclass
class Plan:
    # {row, avdelning, year, values {key: n}, changes [(column, old, new)], action}
    ready: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number, message)


def _text(row, key):
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _shown(value):
    text = str(value)
    return text if len(text) <= 20 else text[:20] + "…"


def _count(value, label, *, upper=MAX_FIGURE):
    """A whole number 0..upper, or None for an empty cell. Raises ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | datetime.date | datetime.datetime):
        raise ValueError(f"{label} ska vara ett heltal")
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{label} är inte ett tal (”{_shown(value)}”)") from None
    if not number.is_finite():
        raise ValueError(f"{label} är inte ett tal (”{_shown(value)}”)")
    if number < 0:
        raise ValueError(f"{label} kan inte vara negativt")
    # Before int(): int() of 1e999999 takes minutes.
    if number.adjusted() >= len(str(upper)) or number > upper:
        raise ValueError(f"{label} är orimligt stort (”{_shown(value)}”)")
    if number != number.to_integral_value():
        raise ValueError(f"{label} ska vara ett heltal")
    return int(number)


def check(rows: list[tuple[int, dict]], *, user: AbstractBaseUser) -> Plan:
    """Check every row (as filer.imports reads them) with the user's rights."""
    scope = scope_for(user)
    this_year = timezone.localdate().year
    years = entry_years()
    pilot = Pilot()
    departments = {a.name.lower(): a for a in Avdelning.objects.all()}
    plan, seen = Plan(), {}
    for number, row in rows:
        try:
            name = _text(row, "Avdelning")
            if not name:
                raise ValueError("Avdelning saknas")
            avd = departments.get(name.lower())
            if avd is None or not scope.can_see_nyckeltal(avd):
                raise ValueError(f"avdelningen ”{_shown(name)}” finns inte")
            year = _count(row.get("År"), "År", upper=9999)
            if year is None:
                raise ValueError("År saknas")
            if year not in years:
                raise ValueError(f"År ska vara ett av åren {years.start}–{years.stop - 1}")
            in_pilot = pilot.covers(avd.nuts_omrade_id, year)
            if not scope.can_edit_nyckeltal(avd, in_pilot=in_pilot):
                raise ValueError(f"du kan inte lägga in nyckeltal för {avd} {year}")
            if (avd.pk, year) in seen:
                raise ValueError(f"{avd} {year} står redan på rad {seen[avd.pk, year]}")
            seen[avd.pk, year] = number
            values = {}
            for column, key in COLUMNS.items():
                value = _count(row.get(column), column)
                if value is not None:
                    values[key] = value
            plan.ready.append({"row": number, "avdelning": avd, "year": year, "values": values})
        except ValueError as e:
            plan.errors.append((number, str(e)[:1].upper() + str(e)[1:] + "."))
    _compare(plan, this_year)
    return plan


def _compare(plan, this_year):
    """Each ready row against what the year has now (one query for the kept figures, two
    for this year's register counts): the changes, the action, and the rows whose
    figures do not fit together."""
    ids = {item["avdelning"].pk for item in plan.ready}
    kept = {
        (n.avdelning_id, n.year): n
        for n in Nyckeltal.objects.filter(
            avdelning_id__in=ids, year__in={item["year"] for item in plan.ready}
        )
    }
    register = {}
    if any(item["year"] == this_year for item in plan.ready):
        for model, key in ((Arbetsplats, "workplaces"), (Klubb, "clubs")):
            for pk in model.objects.filter(avdelning_id__in=ids).values_list(
                "avdelning_id", flat=True
            ):
                register.setdefault(pk, {"workplaces": 0, "clubs": 0})[key] += 1
    for item in plan.ready:
        avd, year, values = item["avdelning"], item["year"], item["values"]
        old = kept.get((avd.pk, year))
        now = {key: getattr(old, key) if old else None for key in ENTERED}
        if year == this_year:
            counted = register.get(avd.pk, {"workplaces": 0, "clubs": 0})
            for key in COUNTED_THIS_YEAR:
                if key in values and values[key] != counted[key]:
                    plan.errors.append(
                        (
                            item["row"],
                            f"{LABEL[key]} för {year} räknas ur registret ({counted[key]}); "
                            "lämna cellen tom.",
                        )
                    )
                values[key] = counted[key]
        after = {**now, **values}
        if (
            after["workplaces"] is not None
            and after["workplaces_change_started"] is not None
            and after["workplaces_change_started"] > after["workplaces"]
        ):
            plan.errors.append((item["row"], CHANGE_ABOVE_WORKPLACES.format(n=after["workplaces"])))
        item["changes"] = [
            (LABEL[key], now[key], after[key]) for key in ENTERED if now[key] != after[key]
        ]
        if old is None:
            item["action"] = "Nytt"
        else:
            item["action"] = "Ändras" if item["changes"] else "Oförändrat"
    plan.errors.sort(key=lambda e: e[0])


def save(plan: Plan, *, user: AbstractBaseUser, request: HttpRequest | None = None) -> int:
    """Save a checked plan all or nothing; returns the number of years saved (new or
    changed). The rows' rights were checked by check; the service asks them again."""
    require(scope_for(user).enters_key_figures, IMPORT_REFUSAL)
    pilot = Pilot()
    saved = 0
    row = None
    try:
        with transaction.atomic():
            for item in plan.ready:
                if item["action"] == "Oförändrat":
                    continue
                row = item["row"]
                services.nyckeltal_save(
                    avdelning=item["avdelning"],
                    year=item["year"],
                    values=item["values"],
                    user=user,
                    expected_version=None,
                    request=request,
                    pilot=pilot,
                    imported=True,
                )
                saved += 1
    except (ValidationError, PermissionDenied, ConflictError) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        plan.errors = [(row, f"{message} Inget importerades.")]
        raise ValidationError("Inget importerades.") from None
    return saved


def template_bytes(*, user: AbstractBaseUser) -> bytes:
    """The template: the header, and a row for last year for each department the user
    may enter figures for, with the figures that year already has; the instructions on a
    sheet of their own."""
    scope = scope_for(user)
    years = entry_years()
    year = max(years.start, timezone.localdate().year - 1)
    pilot = Pilot()
    departments = [
        a
        for a in scope.visible_avdelningar().order_by("name")
        if scope.can_edit_nyckeltal(a, in_pilot=pilot.covers(a.nuts_omrade_id, year))
    ]
    kept = {
        n.avdelning_id: n
        for n in Nyckeltal.objects.filter(avdelning__in=[a.pk for a in departments], year=year)
    }
    wb = Workbook()
    ws = wb.active
    ws.title = "Nyckeltal"
    ws.append(HEADERS)
    for a in departments:
        old = kept.get(a.pk)
        ws.append([a.name, year, *(getattr(old, key) if old else None for key in COLUMNS.values())])
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 40
    help_sheet = wb.create_sheet("Instruktioner")
    for line in INSTRUCTIONS:
        help_sheet.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

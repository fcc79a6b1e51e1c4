"""Import of activities from the template (docs/import-aktiviteter.md).

An importer for filer.imports (which reads the file and keeps the preview):
``check`` turns the spreadsheet's rows into a plan: rows ready to save, per-row errors
with row numbers, rows already imported (skipped), and actors the register does not know
(those the user may add, and those only the area's coordinator or the project leader
may add). ``save`` saves the plan all-or-nothing through
``services.aktivitet_bulk_create``: the same checks and history as the form, in a few
bulk INSERTs (10,000 rows in seconds).

An empty area column is a national activity (no area): allowed, as in the form, only to
those who may log national activities (the project leader and the working-life unit).
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from avdelningar.access import require, scope_for
from avdelningar.models import Avdelning, NutsOmrade
from mal.models import Verksamhetsmal

from . import services
from .models import Aktivitet, Aktor, Forum, Strukturfondsprojekt

HEADERS = [
    "datum",
    "typ",
    "rubrik",
    "nuts_omrade",
    "verksamhetsmal",
    "avdelningar",
    "aktorer",
    "forum",
    "strukturfondsprojekt",
    "deltagare_kvinnor",
    "deltagare_man",
    "deltagare_annat",
    "anteckningar",
    "nasta_steg",
    "nasta_steg_senast",
]
REQUIRED = ["datum", "typ", "rubrik", "nuts_omrade", "verksamhetsmal"]
EXAMPLE = [
    "2024-03-14",
    "Möte",
    "Möte med Region Kronoberg om kompetensplattformen",
    "SE21",
    "7; 8",
    "IF Metall Södra Småland (exempel)",
    "Region Kronoberg; Teknikföretagen",
    "",
    "",
    2,
    5,
    0,
    "Vi kom överens om att ta fram en gemensam behovsanalys.",
    "Skicka underlag",
    "2024-04-01",
]


# Words people write for a type, beside its name and code (compared without case, accents
# or a trailing full stop). A word that could mean two types is left out on purpose.
TYPE_SYNONYMS = {
    "paverkan": Aktivitet.Typ.PAVERKAN,
    "paverkansarbete": Aktivitet.Typ.PAVERKAN,
    "politisk paverkan": Aktivitet.Typ.PAVERKAN,
    "politiskt paverkansarbete": Aktivitet.Typ.PAVERKAN,
    "politik": Aktivitet.Typ.PAVERKAN,
    "sammantrade": Aktivitet.Typ.MOTE,
    "traff": Aktivitet.Typ.MOTE,
    "kurs": Aktivitet.Typ.UTBILDNING,
    "arbetsliv i forandring": Aktivitet.Typ.UTBILDNING,
    "aif": Aktivitet.Typ.UTBILDNING,
    "besok": Aktivitet.Typ.ARBETSPLATSBESOK,
    "studiebesok": Aktivitet.Typ.ARBETSPLATSBESOK,
    "forum": Aktivitet.Typ.FORUMMOTE,
    "seminarium": Aktivitet.Typ.KONFERENS,
    "strukturfondsprojekt": Aktivitet.Typ.FONDPROJEKT,
    "projekt": Aktivitet.Typ.FONDPROJEKT,
    "esf": Aktivitet.Typ.FONDPROJEKT,
    "varsel": Aktivitet.Typ.VARSEL,
    "omstallning": Aktivitet.Typ.VARSEL,
    "analys": Aktivitet.Typ.ANALYS,
    "tvargrupp": Aktivitet.Typ.TVARGRUPPSMOTE,
    "tvargruppsmote": Aktivitet.Typ.TVARGRUPPSMOTE,
    "dialog med arbetsformedlingen": Aktivitet.Typ.AF_DIALOG,
    "nationell dialog": Aktivitet.Typ.AF_DIALOG,
    "stod": Aktivitet.Typ.STOD,
    "arbetslivsenheten": Aktivitet.Typ.STOD,
    "ovrigt": Aktivitet.Typ.ANNAT,
}


def _fold(text):
    """Lower case, å ä ö as a a o, single spaces, no trailing full stop: "Påverkan." ->
    "paverkan"."""
    text = " ".join(str(text).lower().split()).rstrip(".")
    return text.translate(str.maketrans("åäöéü", "aaoeu"))


def _type_names():
    """{folded word: type code}: codes, names (also without their example in brackets)
    and TYPE_SYNONYMS."""
    names = {_fold(code): code for code in Aktivitet.Typ.values}
    for code, label in Aktivitet.Typ.choices:
        names[_fold(label)] = code
        names[_fold(str(label).split(" (")[0])] = code
    names.update(TYPE_SYNONYMS)
    return names


def accepted_type_names():
    """The types as the message for an unknown one lists them: "Möte, Workshop, ..."."""
    return ", ".join(str(label).split(" (")[0] for _code, label in Aktivitet.Typ.choices)


def import_key(date, title, nuts_code):
    """The natural key of an imported row: date, title (case and spacing ignored), area."""
    text = f"{date.isoformat()}|{' '.join(title.lower().split())}|{nuts_code}"
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Plan:
    ready: list = field(default_factory=list)  # (row number, data, import key, actor names)
    errors: list = field(default_factory=list)  # (row number, message)
    skipped: list = field(default_factory=list)  # (row number, title): already imported
    unknown_actors: list = field(default_factory=list)  # names the user may add, sorted
    # Names the user may not add (a department role; only the area's coordinator or the
    # project leader adds actors): imported without them, in the notes, if confirmed.
    unaddable_actors: list = field(default_factory=list)


def _split(value):
    return [p.strip() for p in str(value or "").replace(",", ";").split(";") if p.strip()]


def _date(value, label):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"{label} ”{text}” är inte ett datum (ÅÅÅÅ-MM-DD).") from None


def _count(value, label):
    text = str(value if value is not None else "").strip()
    if text == "":
        return 0
    try:
        number = int(float(text))
    except (ValueError, OverflowError):  # OverflowError: "1e400" and "inf"
        raise ValueError(f"{label} ”{text}” är inte ett heltal.") from None
    if number < 0:
        raise ValueError(f"{label} kan inte vara negativt.")
    return number


def _area_id(data):
    """The row's area id; None for a national row (actors in it are the project leader's to
    add: access.py's register rule)."""
    return data["nuts_omrade"].pk if data["nuts_omrade"] else None


def check(rows: list[tuple[int, dict]], *, user: User) -> Plan:
    """rows: [(row number, {header: value})] as filer.imports reads them.

    A row the user may not log (another area, another department) is an error in the
    preview, before the check for rows already imported: the preview must not confirm
    that an activity exists in someone else's area.
    """
    scope = scope_for(user)
    require(scope.logs_activities, services.CANNOT_IMPORT)
    plan = Plan()
    nuts = {n.code: n for n in NutsOmrade.objects.all()}
    own_codes = sorted(n.code for n in nuts.values() if n.pk in scope.coordinated_nuts_ids)
    avd = {a.name.lower(): a for a in Avdelning.objects.all()}
    goals = {str(g.number): g for g in Verksamhetsmal.objects.all()}
    types = _type_names()
    actors = {a.name.lower(): a for a in Aktor.objects.all()}
    forums = {(f.nuts_omrade_id, f.name.lower()): f for f in Forum.objects.all()}
    # With their areas: check_aktivitet looks at them for every row naming a project.
    projects = {p.name.lower(): p for p in Strukturfondsprojekt.objects.prefetch_related("omraden")}
    existing = set(Aktivitet.objects.exclude(import_key="").values_list("import_key", flat=True))
    seen, unknown, unaddable = set(), set(), set()
    for number, row in rows:
        problems = []
        try:
            date = _date(row.get("datum"), "Datum")
            due = _date(row.get("nasta_steg_senast"), "Nästa steg senast")
            counts = {
                name: _count(row.get(col), label)
                for name, col, label in [
                    ("participants_women", "deltagare_kvinnor", "Deltagare kvinnor"),
                    ("participants_men", "deltagare_man", "Deltagare män"),
                    ("participants_other", "deltagare_annat", "Deltagare annat"),
                ]
            }
        except ValueError as exc:
            plan.errors.append((number, str(exc)))
            continue
        title = " ".join(str(row.get("rubrik") or "").split())
        if not date:
            problems.append("Datum saknas.")
        if not title:
            problems.append("Rubrik saknas.")
        elif len(title) > 200:
            problems.append("Rubriken är längre än 200 tecken.")
        typ = types.get(_fold(row.get("typ") or ""))
        if not typ:
            problems.append(f"Okänd typ ”{row.get('typ')}”; använd en av: {accepted_type_names()}.")
        code = str(row.get("nuts_omrade") or "").strip().upper()
        area = nuts.get(code)
        national = not code  # an empty area column: a national activity
        if not area and not national:
            problems.append(f"Okänt NUTS-område ”{code}”.")
        mal = []
        for g in _split(row.get("verksamhetsmal")):
            g = g.split(".")[0]  # a number cell read as 8.0
            if g in goals:
                mal.append(goals[g])
            else:
                problems.append(f"Okänt verksamhetsmål ”{g}” (1–8).")
        deps = []
        for name in _split(row.get("avdelningar")):
            if name.lower() in avd:
                deps.append(avd[name.lower()])
            else:
                problems.append(f"Okänd avdelning ”{name}”.")
        forum = None
        if str(row.get("forum") or "").strip() and national:
            problems.append(services.NATIONAL_NO_FORUM)
        elif str(row.get("forum") or "").strip():
            forum = forums.get((area.pk if area else None, str(row["forum"]).strip().lower()))
            if forum is None:
                problems.append(f"Okänt forum ”{row['forum']}” i området.")
        projekt = None
        if str(row.get("strukturfondsprojekt") or "").strip():
            projekt = projects.get(str(row["strukturfondsprojekt"]).strip().lower())
            if projekt is None:
                problems.append(f"Okänt strukturfondsprojekt ”{row['strukturfondsprojekt']}”.")
        actor_names = _split(row.get("aktorer"))
        if problems:
            plan.errors.append((number, " ".join(problems)))
            continue
        data = {
            "date": date,
            "typ": typ,
            "title": title,
            "notes": str(row.get("anteckningar") or ""),
            "niva": Aktivitet.Niva.NATIONELL if national else Aktivitet.Niva.OMRADE,
            "nuts_omrade": area,
            "avdelningar": deps,
            "verksamhetsmal": mal,
            "aktorer": [actors[n.lower()] for n in actor_names if n.lower() in actors],
            "arbetsplatser": [],
            "forum": forum,
            "projekt": projekt,
            "next_step": str(row.get("nasta_steg") or "")[:300],
            "next_step_due": due,
            **counts,
        }
        key = import_key(date, title, code)
        if (
            own_codes
            and not national
            and not scope.can_edit_nuts(area.pk)
            and not (deps and all(scope.can_log_for_avdelning(d) for d in deps))
        ):
            # A coordinator's row for another area: say so, rather than check_aktivitet's
            # "your own department", which is for department roles.
            plan.errors.append(
                (
                    number,
                    f"Du är samordnare för {', '.join(own_codes)} och kan inte logga "
                    f"aktiviteter i {code}.",
                )
            )
            continue
        try:
            services.check_aktivitet(scope=scope, data=data)
        except ValidationError as exc:
            plan.errors.append((number, " ".join(exc.messages)))
            continue
        if key in existing or key in seen:
            plan.skipped.append((number, title))
            continue
        seen.add(key)
        new = [n for n in actor_names if n.lower() not in actors]
        (unknown if scope.can_edit_nuts(_area_id(data)) else unaddable).update(new)
        plan.ready.append((number, data, key, actor_names))
    plan.unknown_actors = sorted(unknown, key=str.lower)
    plan.unaddable_actors = sorted(unaddable - unknown, key=str.lower)
    return plan


def save(
    plan: Plan,
    *,
    user: User,
    request: HttpRequest | None = None,
    create_actors: bool = False,
    without_actors: bool = False,
) -> int:
    """Save every ready row or none. Returns the number saved.

    Unknown actors are created (type "Annan", in the row's area) only when the user may
    add them and confirmed it (``create_actors``); names the user may not add are left
    out, and written in the row's notes, only when confirmed (``without_actors``).
    Otherwise the import is refused with the list.
    """
    scope = scope_for(user)
    # Before anything is said about the file: a reader may not import it at all.
    require(scope.logs_activities, services.CANNOT_IMPORT)
    if plan.errors:
        raise ValidationError("Filen har fel; rätta dem och ladda upp igen.")
    if plan.unknown_actors and not create_actors:
        raise ValidationError(
            "Filen nämner aktörer som inte finns i registret: %(names)s. "
            "Bekräfta att de ska läggas till, eller rätta namnen.",
            params={"names": ", ".join(plan.unknown_actors)},
        )
    if plan.unaddable_actors and not without_actors:
        raise ValidationError(
            "Filen nämner aktörer som inte finns i registret: %(names)s. Bara områdets "
            "samordnare eller projektledaren kan lägga till dem. Bekräfta att raderna "
            "importeras utan dem (namnen skrivs i anteckningarna), eller rätta namnen.",
            params={"names": ", ".join(plan.unaddable_actors)},
        )
    errors = []
    with transaction.atomic():
        new_actors = {}
        rows = []
        for number, data, key, actor_names in plan.ready:
            left_out = []
            try:
                for name in actor_names:
                    if any(a.name.lower() == name.lower() for a in data["aktorer"]):
                        continue
                    if not scope.can_edit_nuts(_area_id(data)):
                        left_out.append(name)
                        continue
                    if name.lower() not in new_actors:
                        new_actors[name.lower()] = services.aktor_create(
                            user=user,
                            name=name,
                            typ=Aktor.Typ.ANNAN,
                            nuts_omrade=data["nuts_omrade"],
                            request=request,
                        )
                    data["aktorer"].append(new_actors[name.lower()])
            except ValidationError as exc:
                errors.append((number, " ".join(exc.messages)))
            except PermissionDenied as exc:
                errors.append((number, str(exc)))
            else:
                if left_out:
                    note = "Aktörer som inte fanns i registret: " + ", ".join(left_out) + "."
                    data["notes"] = "\n\n".join(p for p in (data["notes"], note) if p)
                rows.append((number, data, key))
        # Saved even when an actor was refused, so the check of every other row is listed
        # too; the rollback below undoes it.
        try:
            services.aktivitet_bulk_create(user=user, rows=rows, request=request)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            errors += [(number, " ".join(m)) for number, m in exc.message_dict.items()]
        if errors:
            # All or nothing: undo the actors (and anything else) saved in this transaction.
            transaction.set_rollback(True)
    if errors:
        plan.errors = sorted(errors)
        raise ValidationError("Inget importerades: rätta raderna nedan och försök igen.")
    return len(plan.ready)

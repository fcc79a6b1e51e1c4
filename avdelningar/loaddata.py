"""Load data for `manage.py generate_load_data`: the organisation, and the bulk insert helper
the other apps' ``loaddata.py`` use.

Rows are plain dicts keyed by column (attname); ``bulk_insert`` fills in model defaults and
auto_now fields, gives each row an explicit id (so many-to-many rows can be built without a
round trip) and writes them with COPY on PostgreSQL (bulk_create elsewhere). Nothing here is
used by the app itself.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from .models import (
    Arbetsplats,
    Avdelning,
    Deltagande,
    Klubb,
    Kommitte,
    KommitteLedamot,
    Lan,
    Medlemsantal,
    NutsOmrade,
    Person,
    Roll,
    Uppdrag,
)

BENCH_PASSWORD = "bench-load-data-2026"
# Logins for the benchmark, one per kind of start page: (username, role, scope key).
BENCH_USERS = [
    ("bench-projektledare", Roll.PROJEKTLEDARE, None),
    ("bench-styrgrupp", Roll.STYRGRUPP, None),
    ("bench-forbundsstyrelse", Roll.FORBUNDSSTYRELSE, None),
    ("bench-samordnare", Roll.SAMORDNARE, "area"),
    ("bench-styrelse", Roll.STYRELSELEDAMOT, "department"),
]
MARKER = "(last)"  # in every generated department name: "already generated?"


def _copy_value(value):
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class Ids:
    """Hands out explicit ids above the table's current maximum."""

    def __init__(self, model):
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.next = (last or 0) + 1

    def take(self):
        pk = self.next
        self.next += 1
        return pk


def bulk_insert(model, rows, *, batch=20_000):
    """Insert rows (dicts of attname -> value, each with its "id") in large batches."""
    if not rows:
        return
    now = timezone.now()
    fields = list(model._meta.concrete_fields)
    columns = [f.column for f in fields]
    fill = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fill[f.attname] = now
        elif f.default is not NOT_PROVIDED:
            fill[f.attname] = f.get_default()
        elif f.null:
            fill[f.attname] = None
        elif f.blank and f.get_internal_type() in ("CharField", "TextField"):
            fill[f.attname] = ""
    attnames = [f.attname for f in fields]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cur:
            for start in range(0, len(rows), batch):
                buf = io.StringIO()
                for r in rows[start : start + batch]:
                    buf.write("\t".join(_copy_value(r[a] if a in r else fill[a]) for a in attnames))
                    buf.write("\n")
                buf.seek(0)
                cur.cursor.copy_expert(f"COPY {table} ({cols}) FROM STDIN", buf)
    else:
        objs = [model(**{a: r.get(a, fill.get(a)) for a in attnames}) for r in rows]
        model.objects.bulk_create(objs, batch_size=2000)


def reset_sequences(models):
    sql = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cur:
        for statement in sql:
            cur.execute(statement)


def m2m(model, field, pairs):
    """Rows for a many-to-many through table from (left id, right id) pairs."""
    through = model._meta.get_field(field).remote_field.through
    left = model._meta.get_field(field).m2m_column_name()
    right = model._meta.get_field(field).m2m_reverse_name()
    ids = Ids(through)
    bulk_insert(through, [{"id": ids.take(), left: a, right: b} for a, b in pairs])
    return through


TOWNS = [
    "Stockholm", "Södertälje", "Uppsala", "Eskilstuna", "Norrköping", "Linköping",
    "Örebro", "Västerås", "Jönköping", "Växjö", "Kalmar", "Visby", "Karlskrona",
    "Malmö", "Helsingborg", "Kristianstad", "Halmstad", "Göteborg", "Trollhättan",
    "Borås", "Skövde", "Karlstad", "Falun", "Borlänge", "Gävle", "Sandviken",
    "Sundsvall", "Örnsköldsvik", "Östersund", "Umeå", "Skellefteå", "Luleå",
    "Kiruna", "Motala", "Olofström",
]  # fmt: skip
WORKPLACE_KINDS = ["Verkstad", "Gjuteri", "Bruk", "Fordonsfabrik", "Plastindustri", "Stålverk"]


# Areas that never join: their departments are the union outside the pilot, compared
# with the pilot on the same key figures (nyckeltal).
OUTSIDE = ["SE32", "SE33"]


def seed(rnd, *, first_year, last_year, workplaces_per_department=10):
    """The whole union: 35 departments in all eight areas, six of the areas joining the
    project one after another; members, workplaces, the assignments and committees the
    key figures count, people and bench logins.

    Returns a dict the other apps' loaders use: "areas", "departments" and "joined" are
    the project's (the areas that join, their departments, the join years);
    "all_departments" and "other_departments" add the union outside it.
    """
    areas = list(NutsOmrade.objects.order_by("code"))
    lan_by_area = {}
    for lan in Lan.objects.order_by("code"):
        lan_by_area.setdefault(lan.nuts_omrade_id, []).append(lan)
    # Areas join one after another over the first three years; two never do.
    joined = {}
    for i, area in enumerate(areas):
        if area.code in OUTSIDE:
            continue
        year = first_year + min(i // 2, 3)
        joined[area.pk] = year
        if not Deltagande.objects.filter(nuts_omrade=area, left_on__isnull=True).exists():
            Deltagande.objects.create(nuts_omrade=area, joined_on=datetime.date(year, 1, 1))

    # 35 departments spread over the areas (more in the populous ones), 4–5 per area.
    counts = [5, 5, 4, 5, 5, 4, 3, 4]
    departments = []
    number = 900
    town_iter = iter(TOWNS)
    for area, n in zip(areas, counts, strict=True):
        for _ in range(n):
            number += 1
            town = next(town_iter)
            avd = Avdelning.objects.create(
                name=f"IF Metall {town} {MARKER}",
                number=number,
                nuts_omrade=area,
                is_example=True,
            )
            avd.lan.set(rnd.sample(lan_by_area[area.pk], min(2, len(lan_by_area[area.pk]))))
            avd.town = town
            departments.append(avd)

    member_ids, wp_ids, klubb_ids = Ids(Medlemsantal), Ids(Arbetsplats), Ids(Klubb)
    members, workplaces, clubs = [], [], []
    for avd in departments:
        base = rnd.randint(3000, 14000)
        # Kept on the department for the key figures' loader (nyckeltal.loaddata).
        avd.members = {
            y: int(base * (1 - 0.01 * (y - first_year))) for y in range(first_year, last_year + 1)
        }
        avd.workplaces = workplaces_per_department
        avd.clubs = len(range(0, workplaces_per_department, 3))
        for year, n in avd.members.items():
            members.append(
                {
                    "id": member_ids.take(),
                    "avdelning_id": avd.pk,
                    "year": year,
                    "active_members": n,
                }
            )
        for i in range(workplaces_per_department):
            wp = {
                "id": wp_ids.take(),
                "avdelning_id": avd.pk,
                "name": f"{WORKPLACE_KINDS[i % len(WORKPLACE_KINDS)]} {avd.town} {i + 1}",
                "municipality": avd.town,
                "employees": rnd.randint(20, 2000),
            }
            workplaces.append(wp)
            if i % 3 == 0:
                clubs.append(
                    {
                        "id": klubb_ids.take(),
                        "avdelning_id": avd.pk,
                        "arbetsplats_id": wp["id"],
                        "name": f"Klubben på {wp['name']}",
                    }
                )
    bulk_insert(Medlemsantal, members)
    bulk_insert(Arbetsplats, workplaces)
    bulk_insert(Klubb, clubs)

    # People: a chair, a board member and a change leader per department; a coordinator
    # per area in the project (named on the participation); the national roles.
    start = datetime.date(first_year, 1, 1)
    person_ids, uppdrag_ids = Ids(Person), Ids(Uppdrag)
    people, uppdrag = [], []

    def person(name, role, since=start, **scope):
        pk = person_ids.take()
        people.append({"id": pk, "name": name})
        uppdrag.append(
            {"id": uppdrag_ids.take(), "person_id": pk, "role": role, "start": since, **scope}
        )
        return pk

    for avd in departments:
        for role in (Roll.ORDFORANDE, Roll.STYRELSELEDAMOT, Roll.FORANDRINGSLEDARE):
            person(f"{role.label} {avd.town}", role, avdelning_id=avd.pk)
    # What the key figures count: an officer and a committee (with its chair) in most
    # departments, a second change leader from the area's second year; fewer outside the
    # pilot. By position, not drawn from rnd.
    committee_ids, seat_ids = Ids(Kommitte), Ids(KommitteLedamot)
    committees, seats = [], []
    for i, avd in enumerate(departments):
        since = joined.get(avd.nuts_omrade_id)
        if since is None and i % 3 == 0:
            continue
        officer = person(
            f"Arbetsmarknadsansvarig {avd.town}",
            Roll.ARBETSMARKNADSANSVARIG,
            avdelning_id=avd.pk,
        )
        pk = committee_ids.take()
        committees.append(
            {
                "id": pk,
                "name": f"Arbetsmarknadskommittén {avd.town} {MARKER}",
                "typ": Kommitte.Typ.ARBETSMARKNADSKOMMITTE,
                "avdelning_id": avd.pk,
            }
        )
        seats.append(
            {
                "id": seat_ids.take(),
                "kommitte_id": pk,
                "person_id": officer,
                "role": KommitteLedamot.Roll.ORDFORANDE,
                "start": datetime.date(since or first_year + 4, 1, 1),
            }
        )
        if since is not None and since < last_year:
            person(
                f"Förändringsledare 2 {avd.town}",
                Roll.FORANDRINGSLEDARE,
                since=datetime.date(since + 1, 1, 1),
                avdelning_id=avd.pk,
            )
    # A coordinator for each area in the project; the others have none.
    coordinators = {
        area.pk: person(f"Samordnare {area.code}", Roll.SAMORDNARE, nuts_omrade_id=area.pk)
        for area in areas
        if area.pk in joined
    }
    bulk_insert(Person, people)
    bulk_insert(Uppdrag, uppdrag)
    bulk_insert(Kommitte, committees)
    bulk_insert(KommitteLedamot, seats)
    reset_sequences([Medlemsantal, Arbetsplats, Klubb, Person, Uppdrag, Kommitte, KommitteLedamot])
    for area_id, pk in coordinators.items():
        Deltagande.objects.filter(nuts_omrade_id=area_id, samordnare__isnull=True).update(
            samordnare_id=pk
        )

    User = get_user_model()
    password = make_password(BENCH_PASSWORD)
    users = {}
    for username, role, scope_key in BENCH_USERS:
        user, _ = User.objects.get_or_create(username=username, defaults={"password": password})
        p = Person.objects.create(name=f"Bänk {role.label}", user=user)
        scope = {}
        if scope_key == "area":
            scope["nuts_omrade"] = areas[2]  # SE21, the first pilot area
        elif scope_key == "department":
            scope["avdelning"] = next(d for d in departments if d.nuts_omrade_id == areas[2].pk)
        Uppdrag.objects.create(person=p, role=role, start=start, **scope)
        users[username] = user
    return {
        "areas": [a for a in areas if a.pk in joined],
        "departments": [d for d in departments if d.nuts_omrade_id in joined],
        "all_departments": departments,
        "other_departments": [d for d in departments if d.nuts_omrade_id not in joined],
        "joined": joined,
        "workplaces": workplaces,
        "people": [p["id"] for p in people],
        "users": users,
        "lan_by_area": lan_by_area,
    }

"""What `make bench` measures (scripts/bench.py has the machinery).

Targets: docs/performance.md. Every line of the table is one measurement with its target; floors
(the bare view, each page's main query alone, the report's SQL GROUP BY) are measured in
the same run so the ratios mean something on a shared, noisy machine.
"""

import csv
import datetime
import io
import os

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from aktiviteter import importer
from aktiviteter.forms import FilterForm
from aktiviteter.models import Aktivitet, Aktor
from aktiviteter.views import EXPORT_HEADER, PAGE_SIZE, _export_rows
from avdelningar.access import scope_for
from avdelningar.models import NutsOmrade
from filer.exports import xlsx_response
from filer.imports import read_rows
from mal.models import Atagande
from natverk import graph as natverk_graph
from rapporter import services as rapport_services
from rapporter.models import Rapportversion
from rapporter.snapshot import gather
from utveckling.models import Kandidat

LEADER = "bench-projektledare"
COORDINATOR = "bench-samordnare"
START_USERS = [
    "bench-projektledare",
    "bench-styrgrupp",
    "bench-forbundsstyrelse",
    "bench-samordnare",
    "bench-styrelse",
]


def _user(name):
    return get_user_model().objects.get(username=name)


def _list_qs(user, params):
    """The activity list's queries as the view builds them: (page queryset, totals qs)."""
    scope = scope_for(user)
    form = FilterForm(params or None, scope=scope)
    qs = form.filter(Aktivitet.objects.visible_to(scope))
    return qs, form.sort_order


def _page_sql(qs, sort, after=None):
    """The SQL of one keyset page (what keyset_page runs), to EXPLAIN ANALYZE."""
    field = sort.lstrip("-")
    sign = "-" if sort.startswith("-") else ""
    page = qs.order_by(f"{sign}{field}", f"{sign}id")
    if after:
        value, _, pk = after.rpartition("~")
        op = "lt" if sign else "gt"
        from django.db.models import Q

        value = datetime.date.fromisoformat(value) if field == "date" else value
        page = page.filter(**{f"{field}__{op}e": value}).filter(
            Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"id__{op}": pk})
        )
    return page[: PAGE_SIZE + 1].query.sql_with_params()


def _deep_cursor(offset):
    row = (
        Aktivitet.objects.order_by("-date", "-id").values_list("date", "id")[offset : offset + 1]
    ).first()
    return f"{row[0].isoformat()}~{row[1]}"


def report_floor_sql(year):
    """One hand-written statement with the report's main figures: activities per area and
    goal with participants, and commitments per goal and status (the GROUP BY floor)."""
    return (
        """
        WITH akt AS (
            SELECT id, nuts_omrade_id, participants_women, participants_men, participants_other
            FROM aktiviteter_aktivitet WHERE date >= %s AND date <= %s
        )
        SELECT 'area', nuts_omrade_id, NULL, COUNT(*),
               SUM(participants_women), SUM(participants_men), SUM(participants_other)
          FROM akt GROUP BY nuts_omrade_id
        UNION ALL
        SELECT 'goal', m.verksamhetsmal_id, NULL, COUNT(*), NULL, NULL, NULL
          FROM akt JOIN aktiviteter_aktivitet_verksamhetsmal m ON m.aktivitet_id = akt.id
         GROUP BY m.verksamhetsmal_id
        UNION ALL
        SELECT 'commitments', a.verksamhetsmal_id, a.status, COUNT(*), NULL, NULL, NULL
          FROM mal_atagande a WHERE a.year = %s GROUP BY a.verksamhetsmal_id, a.status
        """,
        [datetime.date(year, 1, 1), datetime.date(year, 12, 31), year],
    )


def _report_version(year):
    """A compiled whole-project version for the report page (compiled once, kept)."""
    v = (
        Rapportversion.objects.filter(year=year, nuts_omrade__isnull=True, status="done")
        .order_by("-number")
        .first()
    )
    if v is None:
        v = rapport_services.rapport_request(
            year=year, edition=Rapportversion.Edition.STYRGRUPP, user=_user(LEADER), enqueue=False
        )
        rapport_services.rapport_compile(version_id=v.pk)
    return v


def _import_file(rows):
    """A CSV in the import template with `rows` new activities (unique titles)."""
    areas = list(NutsOmrade.objects.order_by("code").values_list("code", flat=True))
    buf = io.StringIO()
    # csv.writer quotes "7; 8" (the delimiter inside a cell), as Excel does when saving CSV.
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(importer.HEADERS)
    for i in range(rows):
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=i % 300)
        writer.writerow(
            [
                day.isoformat(),
                "Möte",
                f"Importerat bänkmöte {i}",
                areas[i % len(areas)],
                "7; 8",
                "",
                "",
                "",
                "",
                "2",
                "3",
                "0",
                "Anteckning från importen.",
                "",
                "",
            ]
        )
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("import.csv", buf.getvalue().encode("utf-8"))


SECTIONS = ("floors", "pages", "report", "export", "import", "natverk")


def run(b):
    # BENCH_ONLY=report,export measures just those parts (when working on one of them).
    only = set(os.environ.get("BENCH_ONLY", ",".join(SECTIONS)).split(","))
    if unknown := only - set(SECTIONS):
        raise SystemExit(f"BENCH_ONLY: unknown {sorted(unknown)}; choose from {SECTIONS}")
    year = timezone.localdate().year
    report_year = year - 1
    leader = _user(LEADER)
    coordinator = _user(COORDINATOR)
    se21 = NutsOmrade.objects.get(code="SE21")
    deep = _deep_cursor(min(50_000, Aktivitet.objects.count() - PAGE_SIZE - 1))
    version = _report_version(report_year)

    # --- floors: each page's main query alone -----------------------------------------
    cases = [
        ("activity list, page 1", leader, {}, None),
        ("activity list, deep page (row 50 000)", leader, {}, deep),
        ("activity list, coordinator", coordinator, {}, None),
        ("activity search", leader, {"q": "elektrifiering"}, None),
        ("activity filter area+goal", leader, {"omrade": str(se21.pk), "mal": "3"}, None),
    ]
    if "floors" not in only:
        cases = []
    for name, user, params, after in cases:
        qs, sort = _list_qs(user, params)
        sql, args = _page_sql(qs, sort, after)
        ms = b.explain_ms(sql, args)
        b.row(f"floor: {name} main query (EXPLAIN ANALYZE)", f"{ms:.2f} ms", "floor", True)
        tq = qs.distinct_rows().order_by()
        sql, args = tq.query.sql_with_params()
        # sql is the ORM's own, parameters separate: nothing from outside is spliced in.
        ms = b.explain_ms(f"SELECT COUNT(*) FROM ({sql}) t", args)  # noqa: S608
        b.row(f"floor: {name} totals query", f"{ms:.2f} ms", "floor", True)
    if "floors" in only:
        sql, args = (
            Atagande.objects.filter(year=year)
            .select_related("verksamhetsmal")
            .query.sql_with_params()
        )
        ms = b.explain_ms(sql, args)
        b.row("floor: national overview main query", f"{ms:.2f} ms", "floor", True)
    floor_sql, floor_args = report_floor_sql(report_year)
    floor_ms = min(b.explain_ms(floor_sql, floor_args) for _ in range(5))
    b.row("floor: report figures, one SQL GROUP BY", f"{floor_ms:.2f} ms", "floor", True)

    # --- pages -----------------------------------------------------------------------
    lists = [
        ("activity list, page 1", "/aktiviteter/", LEADER),
        ("activity list, deep page", f"/aktiviteter/?efter={deep}", LEADER),
        ("activity list, coordinator", "/aktiviteter/", COORDINATOR),
        ("activity search", "/aktiviteter/?q=elektrifiering", LEADER),
        ("activity filter area+goal", f"/aktiviteter/?omrade={se21.pk}&mal=3", LEADER),
        ("area commitment overview", f"/mal/omrade/SE21/{year}/", COORDINATOR),
        ("national commitment overview", f"/mal/nationellt/{year}/", LEADER),
        ("report page", f"/rapporter/{version.pk}/", LEADER),
        ("cost allocation page", f"/rapporter/kostnad/{report_year}/", LEADER),
        ("key-figure comparison", "/nyckeltal/jamforelse/", LEADER),
    ]
    # A candidate area (generate_load_data puts one in each area outside the project).
    if kandidat := Kandidat.objects.order_by("nuts_omrade__code").first():
        lists += [
            ("candidate area page", f"/utveckling/{kandidat.pk}/", LEADER),
            ("candidates side by side", f"/utveckling/jamfor/{kandidat.year}/", LEADER),
        ]
    pages = [(n, p, u, 50, True) for n, p, u in lists]
    pages += [(f"start page, {u}", "/", u, 60, False) for u in START_USERS]
    if "natverk" in only:
        # Cached by its data stamp: the warm-up requests compute it once per worker.
        pages.append(
            ("network map SE21, cached (500 actors)", "/natverk/SE21/", COORDINATOR, 50, False)
        )
    if "pages" in only:
        b.measure_pages(pages, "/bench/bare/")

    # --- report compile, export, import -----------------------------------------------
    if "report" in only:
        _, elapsed = b.measure_call(
            f"report compile {report_year} (gather, before PDF)",
            lambda: gather(year=report_year, edition=Rapportversion.Edition.STYRGRUPP),
            target_s=2,
            target_mib=64,
        )
        ratio = elapsed * 1000 / floor_ms
        b.row("report compile / SQL floor", f"{ratio:.1f}×", "≤ 20×", ratio <= 20)

    def export():
        request = RequestFactory().get("/aktiviteter/export.xlsx")
        request.user = leader
        qs = Aktivitet.objects.visible_to(scope_for(leader))
        response = xlsx_response("bench", [("Aktiviteter", EXPORT_HEADER, _export_rows(qs))])
        return sum(len(chunk) for chunk in response)

    if "export" in only:
        n = Aktivitet.objects.count()
        b.measure_rss(f"XLSX export of {n} activities", export, target_s=10)

    if "natverk" in only:
        n_actors = Aktor.objects.filter(nuts_omrade=se21).count()
        area_acts = Aktivitet.objects.filter(nuts_omrade=se21)
        n_acts = area_acts.count()
        filters = natverk_graph.Filters(area_id=se21.pk)
        natverk_graph.build(filters)  # networkx and numpy imported, outside the timing
        # Issue 17's size: an area's 500 actors and 5,000 activities, here SE21's map over
        # the period that holds its latest 5,000 (the load data gives SE21 three times as
        # many, measured on the next line).
        since = area_acts.order_by("-date", "-id").values_list("date", flat=True)[4999]
        in_period = area_acts.filter(date__gte=since).count()
        recent = natverk_graph.Filters(area_id=se21.pk, fran=since)
        b.measure_call(
            f"network map SE21 data from {since} ({n_actors} actors, {in_period} activities, "
            "not cached)",
            lambda: natverk_graph.build(recent, kontakt_areas="all"),
            target_s=0.2,
            memory=False,
            runs=5,
        )
        b.measure_call(
            f"network map SE21 data, all years ({n_actors} actors, {n_acts} activities, "
            "not cached)",
            lambda: natverk_graph.build(filters, kontakt_areas="all"),
            target_s=0.2,
            memory=False,
            runs=5,
        )

    if "import" not in only:
        return
    upload = _import_file(10_000)

    def do_import():
        with transaction.atomic():
            plan = importer.check(
                read_rows(upload, required_headers=importer.REQUIRED), user=leader
            )
            saved = importer.save(plan, user=leader)
            transaction.set_rollback(True)  # keep the data set as generated
        return saved

    saved, _ = b.measure_call(
        "import of 10 000 activity rows", do_import, target_s=20, memory=False
    )
    assert saved == 10_000, saved
    connection.close()

"""The report's numbers equal an independent computation from the rows.

The dataset (tests/rapporter/dataset.py) is built with the real models; the expected
numbers are computed here the slow, obvious way, one row at a time, without the
``report_data`` functions or their querysets. Then the snapshot, the XLSX cells and the
PDF text (pdftotext) are compared with them.
"""

import io
import re
import subprocess
from collections import Counter, defaultdict

import pytest
from openpyxl import load_workbook

from aktiviteter.models import Aktivitet, Forum, Strukturfondsprojekt
from mal.models import Atagande
from rapporter import services
from rapporter.models import Kostnad, Rapportversion

from .dataset import add_national, build

STYR = Rapportversion.Edition.STYRGRUPP


@pytest.fixture
def data(cast):
    return build(cast)


def compile_now(year=2024, nuts=None, edition=STYR):
    v = services.rapport_request(year=year, nuts_omrade=nuts, edition=edition, enqueue=False)
    done = services.rapport_compile(version_id=v.pk)
    assert done is not None, Rapportversion.objects.get(pk=v.pk).failure_reason
    return done


def latest_followup(a):
    """The latest follow-up of the year: full year before mid-year."""
    ufs = sorted(a.uppfoljningar.all(), key=lambda u: (u.period.year, u.period.kind == "helar"))
    return ufs[-1] if ufs else None


def latest_actual(a, m):
    value = None
    ufs = sorted(a.uppfoljningar.all(), key=lambda u: (u.period.year, u.period.kind == "helar"))
    for uf in ufs:
        u = uf.utfall.filter(malvarde=m).first()
        if u and u.actual is not None:
            value = u
    return value


def area_of(a):
    if a.avdelning_id:
        return a.avdelning.nuts_omrade.code
    return a.nuts_omrade.code if a.nuts_omrade_id else None


def expected(year, codes=None):
    """Everything the report counts, recomputed row by row."""
    commitments = [
        a for a in Atagande.objects.filter(year=year) if codes is None or area_of(a) in codes
    ]
    outcome = {
        a.pk: (latest_followup(a).status if latest_followup(a) else None) for a in commitments
    }
    e = {
        "commitments": len(commitments),
        "commitments_approved": sum(a.status == "approved" for a in commitments),
        "commitments_achieved": sum(outcome[a.pk] == "achieved" for a in commitments),
        "commitments_at_risk": sum(outcome[a.pk] == "at_risk" for a in commitments),
        "commitments_not_achieved": sum(outcome[a.pk] == "not_achieved" for a in commitments),
    }
    goal_commitments = Counter(a.verksamhetsmal.number for a in commitments)
    goal_achieved = Counter(
        a.verksamhetsmal.number for a in commitments if outcome[a.pk] == "achieved"
    )
    per_dept = defaultdict(Counter)
    per_area_commitments = Counter()
    gender_targets = defaultdict(lambda: [0.0, 0.0])
    targets_met = Counter()
    for a in commitments:
        per_area_commitments[area_of(a)] += 1
        if a.avdelning_id:
            d = per_dept[a.avdelning.name]
            d["total"] += 1
            d["approved"] += a.status == "approved"
            d[outcome[a.pk] or "none"] += 1
        for m in a.malvarden.all():
            u = latest_actual(a, m)
            if u is not None and u.actual >= m.target:
                targets_met[a.verksamhetsmal.number] += 1
            if m.target_women is not None:
                key = (m.indicator_name, m.unit, a.verksamhetsmal.number)
                gender_targets[key][0] += float(m.target_women)
                gender_targets[key][1] += float(m.target_men)

    activities = []
    for a in Aktivitet.objects.all():
        areas = {a.nuts_omrade.code} | {d.nuts_omrade.code for d in a.avdelningar.all()}
        if a.date.year == year and (codes is None or areas & set(codes)):
            activities.append((a, areas))
    e.update(
        {
            "activities": len(activities),
            "participants_women": sum(a.participants_women for a, _ in activities),
            "participants_men": sum(a.participants_men for a, _ in activities),
            "participants_other": sum(a.participants_other for a, _ in activities),
        }
    )
    dept_activities = Counter(d.name for a, _ in activities for d in a.avdelningar.all())
    area_activities = Counter(
        c for _, areas in activities for c in areas if codes is None or c in codes
    )
    goal_activities = Counter(g.number for a, _ in activities for g in a.verksamhetsmal.all())

    first, last = f"{year}-01-01", f"{year}-12-31"
    forums = [
        fo
        for fo in Forum.objects.all()
        if (fo.active_from is None or str(fo.active_from) <= last)
        and (fo.active_to is None or str(fo.active_to) >= first)
        and (codes is None or fo.nuts_omrade.code in codes)
    ]
    e["forums"] = len(forums)
    e["forums_initiated"] = sum(fo.union_initiated for fo in forums)
    e["fund_projects"] = sum(
        1
        for p in Strukturfondsprojekt.objects.all()
        if str(p.start) <= last
        and (p.end is None or str(p.end) >= first)
        and (codes is None or {o.code for o in p.omraden.all()} & set(codes))
    )
    k = Kostnad.objects.filter(year=year).first()
    e["cost_total"] = (k.coordinators + k.project_leader + k.other) if k else 0
    return {
        "key": e,
        "goal_commitments": goal_commitments,
        "goal_achieved": goal_achieved,
        "goal_activities": goal_activities,
        "targets_met": targets_met,
        "per_dept": per_dept,
        "dept_activities": dept_activities,
        "area_commitments": per_area_commitments,
        "area_activities": area_activities,
        "gender_targets": gender_targets,
    }


def key_figures(v):
    return {k["key"]: k["value"] for k in v.snapshot["key_figures"]}


def pdftext(v):
    out = subprocess.run(["pdftotext", "-layout", v.pdf.path, "-"], capture_output=True, check=True)
    # Thousands are separated by a no-break space; pdftotext may give either kind.
    return out.stdout.decode().replace("\u00a0", " ")


def kr(n):
    return f"{int(n):,}".replace(",", " ")


def sheet(wb, name):
    rows = list(wb[name].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_snapshot_equals_independent_computation(data):
    v = compile_now()
    exp = expected(2024)
    s = v.snapshot
    figures = key_figures(v)
    for key, value in exp["key"].items():
        assert figures[key] == value, key
    # The dataset exercises what it should: the two-area activity, gender splits, outcomes.
    assert sum(exp["area_activities"].values()) > exp["key"]["activities"]
    assert exp["gender_targets"] and exp["key"]["commitments_achieved"]

    goals = {g["number"]: g for g in s["goals"]}
    for n in range(1, 9):
        assert goals[n]["commitments"]["total"] == exp["goal_commitments"][n]
        assert goals[n]["commitments"]["achieved"] == exp["goal_achieved"][n]
        assert goals[n]["commitments"]["targets_met"] == exp["targets_met"][n]
        assert goals[n]["activities"] == exp["goal_activities"][n]

    areas = {a["code"]: a for a in s["areas"]}
    for code in ("SE21", "SE22"):
        assert areas[code]["commitments"] == exp["area_commitments"][code]
        assert areas[code]["activities"] == exp["area_activities"][code]
    assert areas["SE21"]["maturity"] == 6 and areas["SE22"]["maturity"] == 5

    depts = {d["avdelning"]: d for a in s["area_details"] for d in a["departments"]}
    assert set(depts) == {d.name for d in data.departments}
    for name, d in depts.items():
        c = exp["per_dept"][name]
        assert d["commitments"]["total"] == c["total"]
        assert d["commitments"]["approved"] == c["approved"]
        for outcome in ("achieved", "at_risk", "not_achieved"):
            assert d["commitments"][outcome] == c[outcome]
        assert d["activities"] == exp["dept_activities"][name]

    for i in s["indicators"]:
        split = exp["gender_targets"].get((i["indicator"], i["unit"], i["goal"]), [None, None])
        assert [i["target_women"], i["target_men"]] == split

    # The trend: each year since the first area joined, recomputed the same way.
    trend = {t["year"]: t for t in s["trend"]}
    assert list(trend) == list(range(2019, 2025))
    for year in (2022, 2023):
        e = expected(year)
        for key in ("commitments", "commitments_achieved", "activities", "participants_women"):
            assert trend[year][key] == e["key"][key], (year, key)
        assert trend[year]["by_area"]["SE22"]["activities"] == e["area_activities"]["SE22"]
        assert trend[year]["by_area"]["SE22"]["maturity"] == year - 2019
    assert "SE22" not in trend[2019]["by_area"]
    alloc = s["costs"]
    assert alloc["national"] + sum(r["amount"] for r in alloc["rows"]) == exp["key"]["cost_total"]


def test_xlsx_cells_equal_independent_computation(data):
    v = compile_now()
    exp = expected(2024)
    wb = load_workbook(io.BytesIO(v.xlsx.read()))
    header, rows = sheet(wb, "Nyckeltal")
    cells = {r[0]: r[1] for r in rows}
    labels = {k["key"]: k["label"] for k in v.snapshot["key_figures"]}
    for key, value in exp["key"].items():
        assert cells[labels[key]] == value, key

    header, rows = sheet(wb, "Verksamhetsmål")
    col = {h: i for i, h in enumerate(header)}
    for r in rows:
        n = r[col["Mål"]]
        assert r[col["Åtaganden"]] == exp["goal_commitments"][n]
        assert r[col["Uppnådda"]] == exp["goal_achieved"][n]
        assert r[col["Mål nådda"]] == exp["targets_met"][n]
        assert r[col["Aktiviteter"]] == exp["goal_activities"][n]

    header, rows = sheet(wb, "Avdelningar")
    col = {h: i for i, h in enumerate(header)}
    seen = set()
    for r in rows:
        name = r[col["Avdelning"]]
        if name == "Områdesgemensamma åtaganden":
            continue
        seen.add(name)
        assert r[col["Åtaganden"]] == exp["per_dept"][name]["total"]
        assert r[col["Uppnådda"]] == exp["per_dept"][name]["achieved"]
        assert r[col["Aktiviteter"]] == exp["dept_activities"][name]
    assert seen == {d.name for d in data.departments}

    header, rows = sheet(wb, "Områden")
    col = {h: i for i, h in enumerate(header)}
    for r in rows:
        assert r[col["Aktiviteter"]] == exp["area_activities"][r[col["NUTS"]]]
        assert r[col["Åtaganden"]] == exp["area_commitments"][r[col["NUTS"]]]

    header, rows = sheet(wb, "Kostnadsfördelning")
    assert rows[-1][0] == "Totalt" and rows[-1][4] == exp["key"]["cost_total"]
    assert sum(r[4] for r in rows[:-1]) == exp["key"]["cost_total"]


def test_pdf_text_equals_independent_computation(data):
    v = compile_now()
    exp = expected(2024)
    text = pdftext(v)
    labels = {k["key"]: k["label"] for k in v.snapshot["key_figures"]}
    for key, value in exp["key"].items():
        line = rf"^\s*{re.escape(labels[key])}\s+{re.escape(kr(value))}\s*$"
        assert re.search(line, text, re.M), (key, value)
    for d in data.departments:
        c = exp["per_dept"][d.name]
        numbers = [c["total"], c["approved"], c["achieved"], c["at_risk"], c["not_achieved"]]
        pattern = re.escape(d.name) + r"\s+" + r"\s+".join(str(n) for n in numbers)
        pattern += rf"\s+\d+ av \d+\s+{exp['dept_activities'][d.name]}\b"
        assert re.search(pattern, text), d.name
    assert "Sida 1 av" in text and "Året präglades av omställning." in text


def test_area_edition_counts_only_the_area(data):
    v = compile_now(nuts=data.se22)
    exp = expected(2024, codes=["SE22"])
    figures = key_figures(v)
    for key in ("commitments", "commitments_achieved", "activities", "participants_men", "forums"):
        assert figures[key] == exp["key"][key], key
    assert [a["code"] for a in v.snapshot["areas"]] == ["SE22"]
    assert {d["avdelning"] for a in v.snapshot["area_details"] for d in a["departments"]} == {
        "Avdelning B1",
        "Avdelning B2",
    }
    # The two-area activity counts in SE22 too, but SE21's own numbers are absent.
    assert v.snapshot["activities"]["by_area"] == {"SE22": exp["area_activities"]["SE22"]}
    assert "Avdelning A1" not in pdftext(v)


# Pinned exactly on a small and a ten times bigger dataset: any query that starts to run
# per commitment, activity, area or year of the trend shows here at once (the trend is
# grouped by year, so more years add no queries either).
# The front page adds two: last year's counts per goal and the maturity guidance.
# The analysis meetings' section (larande.reporting) two: the actions and the lessons (the
# actions' commitments are a third when there are actions).
# The new areas' proposals and decisions (utveckling.reporting) add one.
# The decision log's year one (its links a second when there are decisions).
# Issue 16's national activities listed with their departments and goals (3) and the key
# figures' comparison (nyckeltal.reporting.comparison_data, 11 on this dataset) add 14.
GATHER_QUERIES = 48
# gather, the previous approved version (this year's, then last year's), claim, the steps
# (each also the heartbeat), the readiness list (5, test_readiness.py), the requester's
# address (from the request's trail row), the final write and history, and the steering
# group's decisions on the report's versions (the body lists them).
COMPILE_QUERIES = 67  # gather's own grew by 18 (49 before issues 16 and 17)


@pytest.mark.parametrize("scale", [1, 10])
def test_compilation_queries_do_not_grow_with_rows(cast, scale, django_assert_num_queries):
    from rapporter.snapshot import gather

    data = build(cast, scale=scale)
    add_national(data, 2 * scale)
    assert Atagande.objects.filter(year=2024).count() >= 10 * scale
    assert Aktivitet.objects.filter(date__year=2024).count() >= 6 * scale
    with django_assert_num_queries(GATHER_QUERIES):
        gather(year=2024, edition=STYR)
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    with django_assert_num_queries(COMPILE_QUERIES):
        assert services.rapport_compile(version_id=v.pk) is not None

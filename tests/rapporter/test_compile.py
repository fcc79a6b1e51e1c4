"""Compiling a report version synchronously on real data: snapshot, PDF, XLSX,
immutability. (The numbers themselves are checked against an independent computation in
test_numbers.py.)"""

import io
import subprocess

import pytest
from django.core import mail
from openpyxl import load_workbook

from aktiviteter import reporting as aktiviteter_reporting
from aktiviteter.models import Aktivitet
from mal import reporting as mal_reporting
from mal.models import Atagande, Verksamhetsmal
from rapporter import services
from rapporter.models import Berattelse, Kostnad, Rapportversion
from rapporter.render import workbook_sheets

from .dataset import build

STYR = Rapportversion.Edition.STYRGRUPP
FS = Rapportversion.Edition.FORBUNDSSTYRELSE


CALLS = []


@pytest.fixture
def data(cast, monkeypatch):
    build(cast)
    Atagande.objects.create(
        avdelning=cast.b1,
        year=2024,
        verksamhetsmal=Verksamhetsmal.objects.get(number=7),
        title="=Forum i Skåne",  # formula-looking: must be neutralised in XLSX
        action_plan="Plan.",
    )
    cast.leader.email = "pia@example.org"
    cast.leader.save()
    # Spies on the real contract functions: which years and areas were asked for.
    CALLS.clear()
    for name, module in (("mal", mal_reporting), ("akt", aktiviteter_reporting)):
        real, real_trend = module.report_data, module.trend_data

        def spy(*, year, nuts_ids=None, _real=real, _name=name):
            CALLS.append((_name, year, tuple(nuts_ids) if nuts_ids else None))
            return _real(year=year, nuts_ids=nuts_ids)

        def trend_spy(*, first_year, last_year, nuts_ids=None, _real=real_trend, _name=name):
            years = (first_year, last_year)
            CALLS.append((f"{_name} trend", years, tuple(nuts_ids) if nuts_ids else None))
            return _real(first_year=first_year, last_year=last_year, nuts_ids=nuts_ids)

        monkeypatch.setattr(module, "report_data", spy)
        monkeypatch.setattr(module, "trend_data", trend_spy)
    return cast


def add_activities(cast, n):
    goal = Verksamhetsmal.objects.get(number=2)
    for i in range(n):
        a = Aktivitet.objects.create(
            nuts_omrade=cast.se21, date="2024-11-11", typ="mote", title=f"Senare {i}"
        )
        a.verksamhetsmal.set([goal])


def compile_now(year=2024, nuts=None, edition=STYR, user=None):
    v = services.rapport_request(
        year=year, nuts_omrade=nuts, edition=edition, user=user, enqueue=False
    )
    done = services.rapport_compile(version_id=v.pk)
    assert done is not None, Rapportversion.objects.get(pk=v.pk).failure_reason
    return done


def pdftext(version):
    out = subprocess.run(
        ["pdftotext", "-layout", version.pdf.path, "-"], capture_output=True, check=True
    )
    return out.stdout.decode()


def figure(v, key):
    return next(k["value"] for k in v.snapshot["key_figures"] if k["key"] == key)


def test_compile_fills_snapshot_files_and_status(data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        v = compile_now(user=data.leader)
    calls = list(CALLS)
    v.refresh_from_db()
    assert v.status == "done" and v.attempts == 1 and v.finished_at
    s = v.snapshot
    assert s["year"] == 2024 and s["full"] is True
    # Numbers come from the contract functions, unchanged.
    assert figure(v, "activities") == aktiviteter_reporting.report_data(year=2024)["total"]
    assert figure(v, "commitments") == Atagande.objects.filter(year=2024).count()
    total = 1_700_003 + 900_001 + 7
    assert figure(v, "cost_total") == total
    assert s["costs"]["national"] + sum(r["amount"] for r in s["costs"]["rows"]) == total
    # The trend runs from the first area's joining year.
    assert [t["year"] for t in s["trend"]] == list(range(2019, 2025))
    assert s["trend"][0]["by_area"] == {
        "SE21": {"maturity": 1, "activities": 0, "commitments": 0, "commitments_achieved": 0}
    }
    assert set(s["trend"][-1]["by_area"]) == {"SE21", "SE22"}
    # The report year from report_data, the trend from one trend_data call per app.
    assert sorted(calls) == sorted(
        [(app, 2024, None) for app in ("mal", "akt")]
        + [(f"{app} trend", (2019, 2024), None) for app in ("mal", "akt")]
    )
    maturity = {a["code"]: a["maturity"] for a in s["areas"]}
    assert maturity == {"SE21": 6, "SE22": 5}
    assert s["overall"] == "Året präglades av omställning."
    assert v.pdf.read()[:4] == b"%PDF"
    assert v.xlsx.size > 0
    assert len(mail.outbox) == 1 and "klar" in mail.outbox[0].subject


def test_pdf_text_is_swedish_with_numbers_and_page_numbers(data):
    v = compile_now()
    text = pdftext(v)
    assert "Lägesrapport 2024, hela projektet" in text
    assert "Samlad bedömning" in text and "Året präglades av omställning." in text
    assert "Kostnadsfördelning" in text
    assert "Sida 1 av" in text
    national = v.snapshot["costs"]["national"]
    assert (
        f"{national:,}".replace(",", "\u00a0") in text or f"{national:,}".replace(",", " ") in text
    )
    for r in v.snapshot["costs"]["rows"]:
        assert r["avdelning"] in text
    assert "Småland växer." in text  # coordinator's narrative in the full edition
    assert "Gemensamt" in text  # the area commitments, in the full edition only


def test_board_edition_is_a_summary(data):
    v = compile_now(edition=FS)
    text = pdftext(v)
    assert "Sammanfattning 2024" in text
    assert "Åtaganden och utfall" not in text
    assert "Gemensamt" not in text
    # The front page fits on two pages: the appendices start on the third.
    pages = text.split("\f")
    assert text.count("Sida 1 av") == 1
    assert "Bilaga 1." in pages[2] and "Bilaga 1." not in pages[0] + pages[1]
    assert "En effektiv organisation" in text  # the project goals
    assert "Kostnadsfördelning" in text and "Samlad bedömning" in text


def test_xlsx_sheets_columns_and_numbers_equal_the_snapshot(data):
    v = compile_now()
    wb = load_workbook(io.BytesIO(v.xlsx.read()))
    expected = workbook_sheets(v.snapshot)
    # A cover sheet (which report, approved or not) before the documented sheets.
    assert wb.sheetnames == ["Rapport"] + [title for title, _, _ in expected]
    assert wb.sheetnames[:4] == ["Rapport", "Nyckeltal", "Verksamhetsmål", "Åtaganden"]
    key = wb["Nyckeltal"]
    rows = list(key.iter_rows(values_only=True))
    assert rows[0] == ("Nyckeltal", "Värde")
    assert {r[0]: r[1] for r in rows[1:]} == {
        k["label"]: k["value"] for k in v.snapshot["key_figures"]
    }
    costs = list(wb["Kostnadsfördelning"].iter_rows(values_only=True))
    total = 1_700_003 + 900_001 + 7
    assert costs[-1] == ("Totalt", None, None, None, total)
    assert sum(r[4] for r in costs[:-1][1:]) == total
    commitments = list(wb["Åtaganden"].iter_rows(values_only=True))
    titles = [r[5] for r in commitments[1:]]
    assert "=Forum i Skåne" in titles  # as typed: an inline string is never a formula
    goals = list(wb["Verksamhetsmål"].iter_rows(values_only=True))
    assert [r[0] for r in goals[1:]] == list(range(1, 9))
    by_goal = aktiviteter_reporting.report_data(year=2024)["by_goal"]
    assert [r[10] for r in goals[1:]] == [by_goal[str(n)] for n in range(1, 9)]


def test_snapshot_is_frozen_against_later_edits(data, monkeypatch):
    v = compile_now()
    before = (v.snapshot, v.pdf.read(), v.xlsx.read())
    Kostnad.objects.filter(year=2024).update(other=999_999)
    Berattelse.objects.filter(year=2024, nuts_omrade__isnull=True).update(text="Ny text")
    add_activities(data, 3)
    v2 = compile_now()
    v.refresh_from_db()
    assert (v.snapshot, v.pdf.read(), v.xlsx.read()) == before
    assert v2.number == v.number + 1
    assert figure(v2, "activities") == figure(v, "activities") + 3
    assert v2.snapshot["overall"] == "Ny text"


def test_changes_since_previous_approved_version(data, monkeypatch):
    v1 = compile_now()
    assert v1.snapshot["changes"] is None
    services.rapport_approve(version=v1, user=data.steering)
    add_activities(data, 5)
    v2 = compile_now()
    rows = {r["label"]: r for r in v2.snapshot["changes"]["rows"]}
    assert rows["Aktiviteter"]["previous"] == figure(v1, "activities")
    assert rows["Aktiviteter"]["diff"] == 5
    assert "Förändringar sedan förra godkända versionen" in pdftext(v2)


def test_first_version_of_a_year_is_compared_with_last_years_approved(data):
    v23 = compile_now(year=2023)
    services.rapport_approve(version=v23, user=data.steering)
    # The area edition is another series: nothing to compare with.
    assert compile_now(year=2024, nuts=data.se21).snapshot["changes"] is None

    v24 = compile_now(year=2024)
    changes = v24.snapshot["changes"]
    assert (changes["year"], changes["version"], changes["label"]) == (2023, 1, "2023, version 1")
    rows = {r["label"]: r for r in changes["rows"]}
    assert rows["Aktiviteter"]["previous"] == figure(v23, "activities")
    assert rows["Aktiviteter"]["current"] == figure(v24, "activities")
    # The report says which it is compared with (the wording: tests/rapporter/test_beslut.py).
    assert "2023 års godkända rapport (version 1" in " ".join(pdftext(v24).split())
    header = next(load_workbook(v24.xlsx.path)["Förändringar"].iter_rows(values_only=True))
    assert header == ("Nyckeltal", "2023, version 1", "Denna version", "Skillnad")

    # Once 2024 has an approved version, the next 2024 version is compared with it.
    services.rapport_approve(version=v24, user=data.steering)
    changes = compile_now(year=2024).snapshot["changes"]
    assert (changes["year"], changes["version"], changes["label"]) == (2024, 1, "Version 1")


def test_area_edition_restricts_to_the_area(data):
    v = compile_now(nuts=data.se21)
    s = v.snapshot
    assert [a["code"] for a in s["areas"]] == ["SE21"]
    assert {r["nuts_code"] for r in s["costs"]["rows"]} == {"SE21"}
    assert ("mal", 2024, (data.se21.pk,)) in CALLS
    assert ("akt", 2024, (data.se21.pk,)) in CALLS
    assert "Avdelning B1" not in pdftext(v)


def test_year_before_the_project_is_refused(data):
    with pytest.raises(services.ReportError, match="projektets år, 2019–"):
        services.rapport_request(year=2018, edition=STYR)
    assert not Rapportversion.objects.exists()


def test_area_not_participating_that_year_is_refused(data):
    with pytest.raises(services.ReportError, match="deltar inte"):
        services.rapport_request(year=2019, nuts_omrade=data.se22, edition=STYR)


def test_running_twice_is_safe(data):
    v = compile_now()
    assert services.rapport_compile(version_id=v.pk) is None
    v.refresh_from_db()
    assert v.attempts == 1 and v.status == "done"


def test_failure_records_the_reason(data, monkeypatch):
    def boom(**kw):
        raise RuntimeError("databasen svarade inte")

    monkeypatch.setattr("mal.reporting.report_data", boom)
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    assert services.rapport_compile(version_id=v.pk) is None
    v.refresh_from_db()
    assert v.status == "failed" and "databasen svarade inte" in v.failure_reason
    assert not v.pdf and v.snapshot == {}

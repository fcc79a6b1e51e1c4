"""Two tenants side by side: what one user can reach of the commitments must hold the rows
of their own tenant and none of the other's.

Every commitment, target, follow-up comment and comment carries its tenant's marker
(ZZA1 for department A1, ZZS21 for area SE21's own commitments, ZZNAT for national ones,
...). Each user walks every list, overview and export (HTML, CSV, XLSX) of mal, the
commitment pages, the import preview and the data behind the annual report; the text of
all of it must contain each marker the user may see and none of the others.
"""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from avdelningar.access import scope_for
from filer.imports import read_rows
from mal import importer, reporting
from mal.models import Atagande, Kommentar, Uppfoljning, Uppfoljningsperiod, Utfall

from .helpers import make_atagande

pytestmark = pytest.mark.django_db

YEAR = 2024
MARKERS = ["ZZA1", "ZZA2", "ZZB1", "ZZS21", "ZZS22", "ZZNAT"]
SEES = {
    "board": {"ZZA1", "ZZS21"},
    "neighbour": {"ZZA2", "ZZS21"},
    "outsider": {"ZZB1", "ZZS22"},
    "changeleader": {"ZZA1", "ZZS21"},
    "coordinator": {"ZZA1", "ZZA2", "ZZS21"},
    "other_coordinator": {"ZZB1", "ZZS22"},
}


@pytest.fixture
def tenants(cast):
    """Per tenant: a draft, a submitted and an approved commitment with a follow-up."""
    period = Uppfoljningsperiod.objects.create(
        year=YEAR, kind="halvar", closes_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    owners = {
        "ZZA1": {"owner": cast.a1},
        "ZZA2": {"owner": cast.a2},
        "ZZB1": {"owner": cast.b1},
        "ZZS21": {"nuts": cast.se21},
        "ZZS22": {"nuts": cast.se22},
        "ZZNAT": {},
    }
    made = {}
    for marker, owner in owners.items():
        rows = []
        for status in ("draft", "submitted", "approved"):
            a = make_atagande(
                **owner, year=YEAR, title=f"{marker} {status}", status=status, targets=2
            )
            a.malvarden.filter(indikator__isnull=True).update(name=f"Egen {marker}")
            Kommentar.objects.create(atagande=a, author_name="X", text=f"Kommentar {marker}")
            if status == "approved":
                uf = Uppfoljning.objects.create(
                    atagande=a, period=period, status="on_track", comment=f"Läge {marker}"
                )
                for m in a.malvarden.all():
                    Utfall.objects.create(uppfoljning=uf, malvarde=m, actual=3)
            rows.append(a)
        made[marker] = rows
    cast.made = made
    return cast


def text_of(response):
    """Everything a response shows: HTML, CSV or every cell of an XLSX."""
    body = response.getvalue()  # streamed (CSV, XLSX) or not
    if "spreadsheetml" in response.get("Content-Type", ""):
        wb = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
        )
    return body.decode()


def urls(cast):
    """Every list and overview of mal, with each of its export formats."""
    pages = [reverse("mal:avdelning_ar", args=[a.pk, YEAR]) for a in (cast.a1, cast.a2, cast.b1)]
    pages += [reverse("mal:omrade_ar", args=[code, YEAR]) for code in ("SE21", "SE22")]
    pages += [
        reverse("mal:granskning"),
        reverse("mal:nationellt", args=[YEAR]),
        reverse("mal:indikatorer"),
    ]
    return [p + suffix for p in pages for suffix in ("", "?format=csv", "?format=xlsx")]


def assert_only(text, allowed, where):
    leaked = {m for m in MARKERS if m in text} - allowed
    assert not leaked, f"{where}: shows {sorted(leaked)}"


@pytest.mark.parametrize("who", sorted(SEES))
def test_lists_overviews_and_exports_hold_only_own_rows(client, tenants, who):
    client.force_login(getattr(tenants, who))
    allowed = SEES[who]
    seen = ""
    for url in urls(tenants):
        r = client.get(url)
        assert r.status_code in (200, 403, 404), (url, r.status_code)
        if r.status_code != 200:
            continue
        text = text_of(r)
        assert_only(text, allowed, url)
        seen += text
    # Not vacuous: everything the user may see shows up somewhere.
    assert {m for m in MARKERS if m in seen} == allowed


@pytest.mark.parametrize("who", sorted(SEES))
def test_commitment_pages_only_for_own_tenant(client, tenants, who):
    client.force_login(getattr(tenants, who))
    allowed = SEES[who]
    for marker, rows in tenants.made.items():
        for a in rows:
            for name in ("mal:atagande", "mal:historik"):
                r = client.get(reverse(name, args=[a.pk]))
                if marker in allowed:
                    assert r.status_code == 200, (name, a.title)
                    assert_only(text_of(r), allowed, f"{name} {a.title}")
                else:
                    assert r.status_code == 404, (name, a.title, r.status_code)


def test_national_readers_see_every_tenant(client, tenants):
    client.force_login(tenants.steering)
    for url in [reverse("mal:nationellt", args=[YEAR]) + "?format=csv"]:
        text = text_of(client.get(url))
        assert all(m in text for m in MARKERS)


# Area and national commitments have no department: the access table's guard cannot map
# them, so their answers are spelled out here.
#         board neighbour outsider changeleader coordinator other_coordinator leader steering
AREA_READ = [200, 200, 404, 200, 200, 404, 200, 200]
AREA_WRITE = [403, 403, 404, 403, 200, 404, 200, 403]
NATIONAL_READ = [404, 404, 404, 404, 404, 404, 200, 200]
NATIONAL_WRITE = [404, 404, 404, 404, 404, 404, 200, 403]
ROLES = [
    "board",
    "neighbour",
    "outsider",
    "changeleader",
    "coordinator",
    "other_coordinator",
    "leader",
    "steering",
]


@pytest.mark.parametrize(
    ("marker", "name", "expected"),
    [
        ("ZZS21", "mal:atagande", AREA_READ),
        ("ZZS21", "mal:historik", AREA_READ),
        ("ZZS21", "mal:andra", AREA_WRITE),
        ("ZZNAT", "mal:atagande", NATIONAL_READ),
        ("ZZNAT", "mal:historik", NATIONAL_READ),
        ("ZZNAT", "mal:andra", NATIONAL_WRITE),
    ],
)
def test_area_and_national_commitments(client, tenants, marker, name, expected):
    draft = tenants.made[marker][0]
    got = []
    for who in ROLES:
        client.force_login(getattr(tenants, who))
        got.append(client.get(reverse(name, args=[draft.pk])).status_code)
    assert got == expected


@pytest.mark.parametrize("marker", ["ZZS21", "ZZNAT"])
def test_area_and_national_workflow_posts_refused_to_departments(client, tenants, marker):
    submitted = tenants.made[marker][1]
    for who in ("board", "outsider", "other_coordinator", "steering"):
        client.force_login(getattr(tenants, who))
        for name in ("mal:godkann", "mal:returnera", "mal:skicka", "mal:kommentar"):
            r = client.post(reverse(name, args=[submitted.pk]), {"note": "x"})
            assert r.status_code in (403, 404), (who, name, r.status_code)
    assert Atagande.objects.get(pk=submitted.pk).status == "submitted"
    assert Kommentar.objects.filter(atagande=submitted).count() == 1


# --- import preview -----------------------------------------------------------------------


def import_file(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(importer.HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("ataganden.xlsx", buf.getvalue())


def import_row(avd="", nuts="", title="ZZ"):
    values = [avd, nuts, YEAR, 2, title, "Plan", "", "", "", "", "Egen", "st", "", 5, "", ""]
    return values


@pytest.mark.parametrize("who", ["board", "coordinator", "other_coordinator"])
def test_import_preview_shows_no_foreign_rows(client, tenants, who):
    """Rows for every tenant, each with the title of an existing commitment: the preview
    names only the user's own (as existing), refuses the others as if they did not exist."""
    user = getattr(tenants, who)
    writes = {
        "board": {"ZZA1"},
        "coordinator": {"ZZA1", "ZZA2", "ZZS21"},
        "other_coordinator": {"ZZB1", "ZZS22"},
    }[who]
    rows = [
        import_row(avd="Avdelning A1", title="ZZA1 draft"),
        import_row(avd="Avdelning A2", title="ZZA2 draft"),
        import_row(avd="Avdelning B1", title="ZZB1 draft"),
        import_row(nuts="SE21", title="ZZS21 draft"),
        import_row(nuts="SE22", title="ZZS22 draft"),
        import_row(title="ZZNAT draft"),
    ]
    client.force_login(user)
    r = client.post(reverse("mal:import"), {"file": import_file(rows)})
    assert r.status_code == 200
    body = r.content.decode()
    plan = importer.check(
        read_rows(import_file(rows), required_headers=importer.REQUIRED), user=user
    )
    commitments, errors = plan.ready, plan.errors
    planned = {c["atagande"].title.split()[0] for c in commitments}
    assert planned == writes
    assert len(errors) == len(rows) - len(writes)
    for _number, message in errors:
        # A foreign department or area is answered like one that does not exist, or as
        # read-only when the user may see it; never with what it holds.
        assert "finns redan" not in message.lower()
        assert_only(message, SEES[who], message)
    # The preview lists the errors; nothing was saved.
    # The preview lists each refused row by number; nothing was saved.
    refused = [n for n, _ in errors]
    assert all(f"Rad {n}:" in body for n in refused)
    assert "inget har sparats" in body
    assert Atagande.objects.filter(title__endswith="draft").count() == len(MARKERS)
    # Only the user's own rows: a clean preview naming the existing commitments.
    own = [r for r in rows if r[4].split()[0] in writes]
    r = client.post(reverse("mal:import"), {"file": import_file(own)})
    body = r.content.decode()
    assert "Förhandsgranskning" in body and "finns redan" in body.lower()
    assert_only(body, SEES[who], "preview")
    assert Atagande.objects.filter(title__endswith="draft").count() == len(MARKERS)


# --- the annual report's data --------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "other_coordinator"])
def test_report_data_of_a_coordinators_area_holds_only_that_area(tenants, who):
    scope = scope_for(getattr(tenants, who))
    data = reporting.report_data(year=YEAR, nuts_ids=list(scope.coordinated_nuts_ids))
    text = json.dumps(data, ensure_ascii=False)
    allowed = SEES[who]
    assert_only(text, allowed, who)
    assert {m for m in MARKERS if m in text} == allowed
    owners = {c["nuts_code"] for c in data["commitments"]}
    assert owners == {"SE21" if who == "coordinator" else "SE22"}


def test_report_data_without_area_is_the_whole_project(tenants):
    text = json.dumps(reporting.report_data(year=YEAR), ensure_ascii=False)
    assert all(m in text for m in MARKERS)


def test_department_users_get_no_report_data(tenants):
    # The report (and its data) is for coordinators and national readers only.
    assert not scope_for(tenants.board).sees_reports
    assert not scope_for(tenants.outsider).sees_reports


def test_area_export_rows_are_exactly_the_coordinators(client, tenants):
    client.force_login(tenants.coordinator)
    for fmt in ("csv", "xlsx"):
        r = client.get(reverse("mal:omrade_ar", args=["SE21", YEAR]) + f"?format={fmt}")
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(text_of(r)), delimiter=";"))
        else:
            ws = load_workbook(io.BytesIO(r.getvalue()), read_only=True).worksheets[0]
            rows = [list(row) for row in ws.iter_rows(values_only=True)]
        assert rows[0][3] == "Rubrik"
        titles = sorted({row[3] for row in rows[1:]})
        expected = sorted(a.title for m in ("ZZA1", "ZZA2", "ZZS21") for a in tenants.made[m])
        assert titles == expected

"""Faults found by using the reports (issue 12 §3 "Reports", issue 13 #9): the approval
stamp on the files, the project's years, withdrawing a version, the area edition's cost
labels, charts on a phone, and IP addresses in the trail."""

import datetime
import io
import subprocess

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from avdelningar.models import NutsOmrade
from historik.models import Handelse
from rapporter import render, services
from rapporter.models import Rapportversion
from tests import factories as f

STYR = Rapportversion.Edition.STYRGRUPP


def compiled(year=2024, nuts=None, user=None):
    v = services.rapport_request(year=year, nuts_omrade=nuts, edition=STYR, enqueue=False)
    done = services.rapport_compile(version_id=v.pk)
    assert done is not None, Rapportversion.objects.get(pk=v.pk).failure_reason
    return done


def pdftext(version):
    version.pdf.open("rb")
    out = subprocess.run(
        ["pdftotext", "-layout", version.pdf.path, "-"], capture_output=True, check=True
    )
    return out.stdout.decode()


def cover_rows(version):
    with version.xlsx.open("rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    return wb, {r[0]: r[1] for r in wb[wb.sheetnames[0]].iter_rows(values_only=True)}


# --- the approval stamp ----------------------------------------------------------------


def test_downloads_after_approval_say_who_approved_and_when(cast):
    cast.steering.person.name = "Stina Styrgrupp"
    cast.steering.person.save()
    v = compiled()
    assert "ej godkänd" in pdftext(v)
    _, cover = cover_rows(v)
    assert cover["Godkänd"] == "ej godkänd"
    snapshot_before = v.snapshot
    sheets_before = cover_rows(v)[0].sheetnames

    v = services.rapport_approve(version=v, user=cast.steering)
    v.refresh_from_db()
    today = datetime.date.today().isoformat()
    text = pdftext(v)
    assert "ej godkänd" not in text
    assert f"godkänd av styrgruppen {today} (Stina Styrgrupp)" in " ".join(text.split())
    wb, cover = cover_rows(v)
    assert cover["Godkänd"] == f"{today}, Stina Styrgrupp (styrgruppen)"
    # The frozen content is unchanged: same snapshot, same sheets.
    assert v.snapshot == snapshot_before
    assert wb.sheetnames == sheets_before


def test_the_download_view_serves_the_stamped_file(client, cast):
    v = services.rapport_approve(version=compiled(), user=cast.steering)
    client.force_login(cast.board_national)
    response = client.get(reverse("rapporter:pdf", args=[v.pk]))
    assert response.status_code == 200
    v.refresh_from_db()
    assert b"".join(response.streaming_content) == v.pdf.open("rb").read()
    assert "ej godkänd" not in pdftext(v)


# --- the project's years ---------------------------------------------------------------


def test_years_are_the_projects_from_the_first_joining_to_this_year(cast):
    this_year = datetime.date.today().year
    assert services.report_years() == list(range(this_year, 2019 - 1, -1))
    # Years are data: an area that joined earlier moves the first year.
    f.DeltagandeFactory(nuts_omrade=NutsOmrade.objects.get(code="SE11"), joined_on="2017-03-01")
    assert services.report_years()[-1] == 2017


@pytest.mark.parametrize("year", [1990, 2018, 2030])
def test_compile_outside_the_projects_years_is_refused_in_the_service(cast, year):
    this_year = datetime.date.today().year
    with pytest.raises(services.ReportError) as exc:
        services.rapport_request(year=year, edition=STYR, enqueue=False)
    assert str(exc.value) == (
        f"Rapporten kan bara sammanställas för projektets år, 2019–{this_year}."
    )
    assert not Rapportversion.objects.exists()


def test_next_year_is_refused_even_while_areas_take_part(cast):
    with pytest.raises(services.ReportError):
        services.rapport_request(year=datetime.date.today().year + 1, edition=STYR)


@pytest.mark.parametrize("year", ["1990", "2030", "99999", "abc"])
def test_compile_form_says_which_years_are_allowed(client, cast, year):
    this_year = datetime.date.today().year
    client.force_login(cast.leader)
    response = client.post(
        reverse("rapporter:compile"), {"year": year, "edition": STYR}, follow=True
    )
    page = response.content.decode()
    assert f"projektets år, 2019–{this_year}" in page
    assert not Rapportversion.objects.exists()


# --- withdrawing -----------------------------------------------------------------------


def test_leader_withdraws_an_unapproved_version(client, cast, django_capture_on_commit_callbacks):
    v = compiled()
    pdf_name = v.pdf.name
    client.force_login(cast.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rapporter:withdraw", args=[v.pk]), follow=True)
    assert "är återkallad" in response.content.decode()
    v.refresh_from_db()
    assert v.status == Rapportversion.Status.WITHDRAWN
    assert not v.pdf and not v.xlsx
    assert not v.pdf.storage.exists(pdf_name)
    row = Handelse.objects.filter(model="rapporter.Rapportversion", object_id=str(v.pk)).first()
    assert row.user == cast.leader and row.changes == {"status": ["done", "withdrawn"]}
    assert row.note == "Återkallad" and row.ip_address == "127.0.0.1"
    # Withdrawn: no downloads, no approval, and the number is not reused.
    assert client.get(reverse("rapporter:pdf", args=[v.pk])).status_code == 404
    with pytest.raises(services.ReportError):
        services.rapport_approve(version=v, user=cast.steering)
    assert compiled().number == v.number + 1


def test_an_approved_version_cannot_be_withdrawn(client, cast):
    v = services.rapport_approve(version=compiled(), user=cast.steering)
    client.force_login(cast.leader)
    response = client.post(reverse("rapporter:withdraw", args=[v.pk]), follow=True)
    assert "godkänd version kan inte återkallas" in response.content.decode()
    v.refresh_from_db()
    assert v.is_approved and v.status == "done"


def test_a_queued_version_withdrawn_is_not_compiled_later(cast):
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    services.rapport_withdraw(version=v, user=cast.leader)
    assert services.rapport_compile(version_id=v.pk) is None
    v.refresh_from_db()
    assert v.status == "withdrawn" and not v.pdf


def test_only_the_leader_withdraws(client, cast):
    v = compiled(nuts=cast.se21)
    url = reverse("rapporter:withdraw", args=[v.pk])
    for who in ("steering", "coordinator"):
        client.force_login(getattr(cast, who))
        assert client.post(url).status_code == 403
    client.force_login(cast.other_coordinator)
    assert client.post(url).status_code == 404
    v.refresh_from_db()
    assert v.status == "done"


# --- the area edition's cost table -----------------------------------------------------


def test_area_workbook_names_the_whole_projects_figures(cast):
    sheets = {
        title: (header, rows)
        for title, header, rows in render.workbook_sheets(compiled(nuts=cast.se21).snapshot)
    }
    _, rows = sheets["Kostnadsfördelning"]
    assert rows[-1][0] == "Hela projektet"
    assert rows[0][0] == "IF Metall (förbundet), hela projektet"
    assert not any(r[0] == "Totalt" for r in rows)
    _, key = sheets["Nyckeltal"]
    labels = [r[0] for r in key]
    assert "Projektkostnad, hela projektet (kr)" in labels
    assert "Förbundets del, hela projektet (kr)" in labels


def test_whole_project_workbook_keeps_totalt(cast):
    rows = {t: r for t, _, r in render.workbook_sheets(compiled().snapshot)}
    assert rows["Kostnadsfördelning"][-1][0] == "Totalt"
    assert "Projektkostnad (kr)" in [r[0] for r in rows["Nyckeltal"]]


# --- IP addresses in the trail ---------------------------------------------------------


def _trail(v):
    return Handelse.objects.filter(model="rapporter.Rapportversion", object_id=str(v.pk))


def test_request_compile_and_approval_carry_the_ip(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("rapporter:compile"),
            {"year": 2024, "edition": STYR, "sammanstall_anda": "on"},
            REMOTE_ADDR="10.1.2.3",
        )
    v = Rapportversion.objects.get()
    assert v.status == "done"
    rows = {r.note.split(" (")[0]: r for r in _trail(v)}
    assert rows["Sammanställning beställd"].ip_address == "10.1.2.3"
    # The job has no request: it carries the requester's address.
    assert rows["Sammanställd"].ip_address == "10.1.2.3"
    client.force_login(cast.steering)
    client.post(reverse("rapporter:approve", args=[v.pk]), REMOTE_ADDR="10.9.8.7")
    approved = _trail(v).filter(changes__approved=[False, True]).get()
    assert approved.ip_address == "10.9.8.7"


def test_narrative_and_costs_carry_the_ip(client, cast):
    client.force_login(cast.leader)
    client.post(
        reverse("rapporter:berattelse", args=[2024]),
        {"text": "Bra år.", "omrade": "", "version": 0},
        REMOTE_ADDR="10.4.4.4",
    )
    client.post(
        reverse("rapporter:kostnad", args=[2024]),
        {"coordinators": 1, "project_leader": 2, "other": 3, "version": 0},
        REMOTE_ADDR="10.5.5.5",
    )
    assert Handelse.objects.get(model="rapporter.Berattelse").ip_address == "10.4.4.4"
    assert Handelse.objects.get(model="rapporter.Kostnad").ip_address == "10.5.5.5"


def test_scheduled_compile_has_no_address(cast):
    (v, *_) = services.rapport_schedule_previous_year(today=datetime.date(2025, 1, 10))
    v.refresh_from_db()
    assert {r.ip_address for r in _trail(v)} == {None}
    assert not mail.outbox  # nobody asked for it

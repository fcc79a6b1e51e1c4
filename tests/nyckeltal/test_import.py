"""Importing key figures: the template, preview → confirm through filer.imports, all or
nothing, the same file twice, and hostile files (a clear message, nothing saved)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from historik.models import Handelse
from nyckeltal import importer
from nyckeltal.models import Nyckeltal
from tests import factories as f

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def xlsx(rows, headers=importer.HEADERS, name="nyckeltal.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def row(avd="Avdelning A1", year=2024, workplaces=10, clubs=3, started=2, women=5, men=9):
    return [avd, year, workplaces, clubs, started, women, men]


def preview(client, upload):
    return client.post(reverse("nyckeltal:import"), {"file": upload})


def confirm(client, response):
    token = response.context["token"]
    assert token
    return client.post(reverse("nyckeltal:import"), {"confirm": "1", "token": token})


def test_the_template_has_a_row_per_department_the_user_may_enter(client, cast):
    Nyckeltal.objects.create(avdelning=cast.a1, year=THIS_YEAR - 1, skills_women=7)
    client.force_login(cast.coordinator)
    r = client.get(reverse("nyckeltal:import_mall"))
    assert r["Content-Disposition"] == 'attachment; filename="nyckeltalsmall.xlsx"'
    book = load_workbook(io.BytesIO(r.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == importer.HEADERS
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [
        ("Avdelning A1", THIS_YEAR - 1, 7),
        ("Avdelning A2", THIS_YEAR - 1, None),
    ]
    assert book.sheetnames == ["Nyckeltal", "Instruktioner"]
    # It holds the departments' figures: who took it is in the trail.
    took = Handelse.objects.get(action=Handelse.Action.EXPORT)
    assert (took.user, took.model) == (cast.coordinator, "nyckeltal.Nyckeltal")


def test_preview_then_confirm_saves_every_row_with_history(client, cast):
    client.force_login(cast.coordinator)
    r = preview(client, xlsx([row(), row("avdelning a2", 2023, women=None, men="1 200")]))
    assert r.status_code == 200
    plan = r.context["plan"]
    assert plan.errors == []
    assert [item["action"] for item in plan.ready] == ["Nytt", "Nytt"]
    assert not Nyckeltal.objects.exists()  # nothing before the confirm
    r = confirm(client, r)
    assert r.status_code == 302
    a1 = Nyckeltal.objects.get(avdelning=cast.a1, year=2024)
    a2 = Nyckeltal.objects.get(avdelning=cast.a2, year=2023)
    assert (a1.workplaces, a1.clubs, a1.workplaces_change_started) == (10, 3, 2)
    assert (a1.skills_women, a1.skills_men) == (5, 9)
    assert (a2.skills_women, a2.skills_men) == (None, 1200)
    assert Handelse.objects.filter(action=Handelse.Action.IMPORT).count() == 2
    # The same file again changes nothing.
    r = preview(client, xlsx([row(), row("avdelning a2", 2023, women=None, men="1 200")]))
    assert [item["action"] for item in r.context["plan"].ready] == ["Oförändrat", "Oförändrat"]
    confirm(client, r)
    assert Handelse.objects.filter(action=Handelse.Action.IMPORT).count() == 2


def test_an_empty_cell_keeps_the_value_and_changes_are_listed(client, cast):
    Nyckeltal.objects.create(avdelning=cast.a1, year=2024, skills_women=5, skills_men=9)
    client.force_login(cast.board)
    upload = xlsx([["Avdelning A1", 2024, None, None, None, 6, None]])
    r = preview(client, upload)
    item = r.context["plan"].ready[0]
    assert item["action"] == "Ändras"
    assert item["changes"] == [("Kompetensutveckling kvinnor", 5, 6)]
    assert "Kompetensutveckling kvinnor 5 → 6" in r.content.decode()
    confirm(client, r)
    row_ = Nyckeltal.objects.get()
    assert (row_.skills_women, row_.skills_men, row_.version) == (6, 9, 1)


def test_a_csv_with_only_some_columns(client, cast):
    client.force_login(cast.board)
    text = "Avdelning;År;Kompetensutveckling män\nAvdelning A1;2022;14\n"
    r = preview(client, SimpleUploadedFile("n.csv", text.encode()))
    assert r.context["plan"].errors == []
    confirm(client, r)
    assert Nyckeltal.objects.get(year=2022).skills_men == 14


def test_this_years_workplaces_are_the_registers(client, cast):
    f.ArbetsplatsFactory(avdelning=cast.a1)
    client.force_login(cast.board)
    ok = preview(client, xlsx([row(year=THIS_YEAR, workplaces=None, clubs=None, started=1)]))
    assert ok.context["plan"].errors == []
    confirm(client, ok)
    saved = Nyckeltal.objects.get(year=THIS_YEAR)
    assert (saved.workplaces, saved.clubs, saved.workplaces_change_started) == (1, 0, 1)
    r = preview(client, xlsx([row(year=THIS_YEAR, workplaces=5, clubs=None, started=None)]))
    assert r.context["plan"].errors == [
        (2, f"Arbetsplatser för {THIS_YEAR} räknas ur registret (1); lämna cellen tom.")
    ]


HOSTILE = [
    (row(avd="Avdelning B1"), "Avdelningen ”Avdelning B1” finns inte."),
    (row(avd="Finns inte"), "Avdelningen ”Finns inte” finns inte."),
    (row(avd=""), "Avdelning saknas."),
    (row(year=None), "År saknas."),
    (row(year=1999), "År ska vara ett av åren"),
    (row(year=THIS_YEAR + 1), "År ska vara ett av åren"),
    (row(year="2024-01-01"), "År är inte ett tal"),
    (row(women=-3), "Kompetensutveckling kvinnor kan inte vara negativt."),
    (row(men=2.5), "Kompetensutveckling män ska vara ett heltal."),
    (row(men="1e999999"), "Kompetensutveckling män är orimligt stort"),
    (row(men=10**12), "Kompetensutveckling män är orimligt stort"),
    (row(men="tolv"), "Kompetensutveckling män är inte ett tal (”tolv”)"),
    (row(men="NaN"), "Kompetensutveckling män är inte ett tal"),
    (row(men=True), "Kompetensutveckling män ska vara ett heltal."),
    (row(workplaces=2, started=3), "kan inte vara fler än avdelningens arbetsplatser (2)"),
]


@pytest.mark.parametrize(("bad", "message"), HOSTILE)
def test_a_bad_row_names_its_row_and_nothing_is_saved(client, cast, bad, message):
    client.force_login(cast.board)
    r = preview(client, xlsx([row(year=2023), bad]))
    assert r.status_code == 200
    errors = r.context["plan"].errors
    assert [e[0] for e in errors] == [3]
    assert message in errors[0][1], errors
    assert r.context["token"] == ""
    assert "Filen har fel; inget har sparats." in r.content.decode()
    assert not Nyckeltal.objects.exists()


def test_the_same_department_and_year_twice_is_an_error(client, cast):
    client.force_login(cast.board)
    r = preview(client, xlsx([row(), row(men=1)]))
    assert r.context["plan"].errors == [(3, "Avdelning A1 2024 står redan på rad 2.")]


def test_a_department_the_user_may_read_but_not_enter(client, cast):
    client.force_login(cast.changeleader)
    assert preview(client, xlsx([row()])).status_code == 403
    client.force_login(cast.neighbour)
    r = preview(client, xlsx([row()]))
    assert r.context["plan"].errors == [(2, "Avdelningen ”Avdelning A1” finns inte.")]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("n.xlsx", b"PK\x03\x04 not a zip"), "kunde inte läsas"),
        (SimpleUploadedFile("n.pdf", b"%PDF-1.4"), "Ladda upp mallen som .xlsx eller .csv."),
        (
            SimpleUploadedFile("n.csv", b"Namn;Tal\nA;1\n"),
            "kolumnerna Avdelning, År saknas",
        ),
        (SimpleUploadedFile("n.csv", "Avdelning;År\nA\x00;1\n".encode()), "otillåtna tecken"),
        (SimpleUploadedFile("n.csv", "Avdelning;År\n".encode("utf-16")), "UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(client, cast, upload, message):
    client.force_login(cast.board)
    r = preview(client, upload)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Nyckeltal.objects.exists()


def test_confirm_rechecks_with_the_rights_of_the_moment(client, cast):
    client.force_login(cast.board)
    r = preview(client, xlsx([row()]))
    cast.board.person.uppdrag.update(end="2020-01-01")
    r = confirm(client, r)
    assert r.status_code == 403
    assert not Nyckeltal.objects.exists()


def test_an_expired_preview(client, cast):
    client.force_login(cast.board)
    r = client.post(reverse("nyckeltal:import"), {"confirm": "1", "token": "abc"}, follow=True)
    assert "Förhandsgranskningen har gått ut" in r.content.decode()

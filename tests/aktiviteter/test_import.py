import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from aktiviteter import importer
from aktiviteter.models import Aktivitet, Aktor
from filer.imports import read_rows
from historik.models import Handelse

from .helpers import csv_file, make_aktor, preview, row

pytestmark = pytest.mark.django_db


def run(client, **extra):
    """Confirm the preview the client has open (its token, as the page's form sends it)."""
    kept = client.session.get("import_previews", {}).get("aktiviteter", {})
    return client.post(reverse("aktiviteter:import_run"), {"token": kept.get("token", ""), **extra})


def test_good_file_previews_then_imports_and_reimport_adds_nothing(client, cast):
    make_aktor()
    client.force_login(cast.coordinator)
    lines = [row(aktorer="Region Jönköpings län"), row(title="Workshop", avd="Avdelning A1")]
    r = preview(client, csv_file(cast, *lines))
    assert r.status_code == 200
    assert "2 rader kan importeras" in r.content.decode()
    assert not Aktivitet.objects.exists()  # the preview saves nothing
    r = run(client)
    assert r.status_code == 302
    assert Aktivitet.objects.count() == 2
    a = Aktivitet.objects.get(title="Möte med regionen")
    assert [x.name for x in a.aktorer.all()] == ["Region Jönköpings län"]
    assert a.participants_men == 2 and a.created_by == cast.coordinator
    # The same file again: every row is skipped.
    r = preview(client, csv_file(cast, *lines))
    assert "0 rader kan importeras, 2 finns redan" in r.content.decode()
    run(client)
    assert Aktivitet.objects.count() == 2


def test_errors_name_the_row_and_nothing_is_saved(client, cast):
    client.force_login(cast.coordinator)
    lines = [
        row(),
        row(title="B", mal="9"),
        row(title="C", date="igår"),
        row(title="D", area="SE99"),
    ]
    r = preview(client, csv_file(cast, *lines))
    body = r.content.decode()
    assert "Rad 3: Okänt verksamhetsmål" in body
    assert "Rad 4: Datum ”igår” är inte ett datum" in body
    assert "Rad 5: Okänt NUTS-område" in body
    r = run(client)
    assert not Aktivitet.objects.exists()


def test_permission_errors_roll_back_the_whole_file(client, cast):
    client.force_login(cast.coordinator)
    # The second row is in the other area: the coordinator may not log there.
    # The preview already says so, with the row number; nothing can be imported.
    r = preview(client, csv_file(cast, row(), row(title="Syd", area="SE22")))
    body = r.content.decode()
    assert "1 rad kan importeras" in body and "Rad 3:" in body
    r = run(client)
    assert not Aktivitet.objects.exists()
    # A plan checked with other rights (say, the rights changed after the preview) is
    # still refused as a whole when it is saved.
    upload = csv_file(cast, row(), row(title="Syd", area="SE22"))
    plan = importer.check(read_rows(upload, required_headers=importer.REQUIRED), user=cast.leader)
    assert len(plan.ready) == 2
    with pytest.raises(ValidationError):
        importer.save(plan, user=cast.coordinator)
    assert [number for number, _ in plan.errors] == [3]
    assert not Aktivitet.objects.exists()


def test_unknown_actors_need_confirmation(client, cast):
    client.force_login(cast.coordinator)
    preview(client, csv_file(cast, row(aktorer="Nya Aktören AB; Andra Nya")))
    r = run(client)
    assert "Nya Aktören AB" in r.content.decode()
    assert not Aktivitet.objects.exists() and not Aktor.objects.exists()
    r = run(client, create_actors="1")
    assert r.status_code == 302
    a = Aktivitet.objects.get()
    assert sorted(x.name for x in a.aktorer.all()) == ["Andra Nya", "Nya Aktören AB"]
    assert Aktor.objects.get(name="Andra Nya").typ == Aktor.Typ.ANNAN


def test_file_that_is_not_the_template_is_refused(client, cast):
    client.force_login(cast.coordinator)
    r = preview(client, SimpleUploadedFile("x.csv", b"namn;telefon\nA;1\n"))
    assert "Filen följer inte mallen" in r.content.decode()
    r = preview(client, SimpleUploadedFile("x.pdf", b"%PDF"))
    assert "Ladda upp mallen som .xlsx eller .csv" in r.content.decode()


def test_xlsx_template_round_trip(client, cast):
    client.force_login(cast.coordinator)
    r = client.get(reverse("aktiviteter:import_mall", args=["xlsx"]))
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    header = [c.value for c in next(ws.iter_rows())]
    assert header == importer.HEADERS
    wb = Workbook()
    sheet = wb.active
    sheet.append(importer.HEADERS)
    sheet.append(
        ["2023-02-01", "workshop", "Från Excel", "SE21", 3, "", "", "", "", 1, 1, 0, "", "", ""]
    )
    buf = io.BytesIO()
    wb.save(buf)
    preview(client, SimpleUploadedFile("a.xlsx", buf.getvalue()))
    assert run(client).status_code == 302
    assert Aktivitet.objects.get().verksamhetsmal.get().number == 3


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("changeleader", 200),
        ("nobody", 404),
    ],
)
def test_import_page_by_role(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("aktiviteter:import")).status_code == status


def test_each_imported_activity_has_its_history_record_and_links(client, cast):
    make_aktor()
    client.force_login(cast.coordinator)
    lines = [
        row(aktorer="Region Jönköpings län", avd="Avdelning A2; Avdelning A1; Avdelning A1"),
        row(title="Workshop", mal="3; 8"),
    ]
    preview(client, csv_file(cast, *lines))
    assert run(client).status_code == 302
    a = Aktivitet.objects.get(title="Möte med regionen")
    assert sorted(x.name for x in a.avdelningar.all()) == ["Avdelning A1", "Avdelning A2"]
    assert a.version == 0 and a.created_at is not None and a.import_key
    records = Handelse.objects.filter(action="import", model="aktiviteter.Aktivitet")
    assert sorted(int(h.object_id) for h in records) == sorted(
        Aktivitet.objects.values_list("pk", flat=True)
    )
    h = records.get(object_id=str(a.pk))
    assert h.username == "coordinator" and h.user == cast.coordinator
    assert h.object_repr == str(a) and h.nuts_omrade_id == cast.se21.pk
    assert h.changes["title"] == "Möte med regionen" and h.changes["date"] == "2023-05-04"
    assert h.changes["avdelningar"] == ["Avdelning A1", "Avdelning A2"]
    assert h.changes["aktorer"] == ["Region Jönköpings län"]
    assert h.changes["verksamhetsmal"] == [str(a.verksamhetsmal.get())]


def _plan(cast, count):
    lines = [row(title=f"Möte {i}", avd="Avdelning A1") for i in range(count)]
    return importer.check(
        read_rows(csv_file(cast, *lines), required_headers=importer.REQUIRED),
        user=cast.coordinator,
    )


def test_saving_takes_the_same_number_of_queries_for_ten_times_the_rows(cast):
    counts = []
    for size in (3, 30):
        plan = _plan(cast, size)
        with CaptureQueriesContext(connection) as ctx:
            assert importer.save(plan, user=cast.coordinator) == size
        counts.append(len(ctx.captured_queries))
        Aktivitet.objects.all().delete()
    assert counts[0] == counts[1]
    assert Handelse.objects.filter(action="import").count() == 33


def test_rows_imported_by_someone_else_meanwhile_roll_back_the_file(cast):
    plan = _plan(cast, 3)
    _number, data, key, _names = plan.ready[1]
    Aktivitet.objects.create(
        date=data["date"],
        typ=data["typ"],
        title=data["title"],
        nuts_omrade=cast.se21,
        import_key=key,
    )
    with pytest.raises(ValidationError, match="importerats av någon annan"):
        importer.save(plan, user=cast.coordinator)
    assert Aktivitet.objects.count() == 1
    assert not Handelse.objects.filter(action="import").exists()


@pytest.mark.parametrize("count", ["1e400", "inf", "-inf"])
def test_overflowing_participant_count_is_a_row_error(client, cast, count):
    """Found by fuzzing: int(float("1e400")) raised OverflowError, a server error."""
    client.force_login(cast.coordinator)
    line = row()
    line[9] = count
    r = preview(client, csv_file(cast, line))
    assert r.status_code == 200
    assert "Deltagare kvinnor" in r.content.decode()
    assert not r.context["plan"].ready


def test_an_unknown_type_lists_the_accepted_names_and_common_words_map(client, cast):
    client.force_login(cast.coordinator)
    lines = [row(title="A"), row(title="B"), row(title="C"), row(title="D")]
    lines[0][1] = "Påverkan"
    lines[1][1] = "kurs"
    lines[2][1] = "Politiskt påverkansarbete."
    lines[3][1] = "Fika"
    r = preview(client, csv_file(cast, *lines))
    plan = r.context["plan"]
    assert [d["typ"] for _n, d, _k, _a in plan.ready] == ["paverkan", "utbildning", "paverkan"]
    [(number, message)] = plan.errors
    assert number == 5
    assert message.startswith("Okänd typ ”Fika”; använd en av: Möte, Workshop, Utbildning,")
    assert "Politiskt påverkansarbete" in message and "Annat." in message


def test_a_coordinators_row_for_another_area_says_so(client, cast):
    """It said "Du kan bara logga aktiviteter för din egen avdelning", meant for boards."""
    client.force_login(cast.coordinator)
    r = preview(
        client, csv_file(cast, row(area="SE22"), row(title="B", area="SE22", avd="Avdelning B1"))
    )
    messages = [m for _n, m in r.context["plan"].errors]
    assert messages == ["Du är samordnare för SE21 och kan inte logga aktiviteter i SE22."] * 2


def test_a_chairs_preview_does_not_offer_to_add_actors(client, cast):
    """Only the area's coordinator or the project leader may add actors: the board was
    offered the box, ticked it, and the whole file was refused at the save."""
    make_aktor()
    client.force_login(cast.board)
    line = row(avd="Avdelning A1", aktorer="Region Jönköpings län; Okänd Aktör AB")
    r = preview(client, csv_file(cast, line))
    body = r.content.decode()
    assert r.context["plan"].unknown_actors == []
    assert r.context["plan"].unaddable_actors == ["Okänd Aktör AB"]
    assert 'name="create_actors"' not in body and 'name="without_actors"' in body
    assert "Bara områdets samordnare eller" in body
    r = run(client, create_actors="1")
    assert "Bara områdets samordnare" in r.content.decode() and not Aktivitet.objects.exists()
    r = run(client, without_actors="1")
    assert r.status_code == 302
    a = Aktivitet.objects.get()
    assert [x.name for x in a.aktorer.all()] == ["Region Jönköpings län"]
    assert a.notes.endswith("Aktörer som inte fanns i registret: Okänd Aktör AB.")
    assert not Aktor.objects.filter(name="Okänd Aktör AB").exists()

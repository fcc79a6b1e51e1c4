"""Register extract, anonymisation and retention of free-text notes."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from avdelningar.models import Kommitte, KommitteLedamot, Person, Uppdrag
from avdelningar.services import person_anonymize, person_register_extract
from historik.models import Handelse
from historik.services import handelse_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def greta(cast):
    person = Person.objects.get(user=cast.board)
    person.email, person.phone = "greta@example.org", "070-123 45 67"
    person.save()
    k = Kommitte.objects.create(name="AMK A1", typ="arbetsmarknadskommitte", avdelning=cast.a1)
    KommitteLedamot.objects.create(kommitte=k, person=person, start="2023-01-01")
    handelse_record(user=cast.leader, action=Handelse.Action.VIEW, obj=person)
    handelse_record(user=cast.board, action=Handelse.Action.UPDATE, obj=cast.a1)
    return person


def test_register_extract_names_everything_about_the_person(greta, cast):
    data = person_register_extract(person=greta, user=cast.leader)
    assert data["person"]["e-post"] == "greta@example.org"
    assert data["inloggning"]["användarnamn"] == "board"
    assert [u["omfattning"] for u in data["uppdrag"]] == ["Avdelning A1"]
    assert [k["kommitté"] for k in data["kommittéuppdrag"]] == ["AMK A1"]
    actions = {h["händelse"] for h in data["historik"]}
    assert {"Visad", "Ändrad"} <= actions  # rows about her and rows by her
    assert Handelse.objects.filter(action="export", object_id=str(greta.pk)).exists()
    json.dumps(data, ensure_ascii=False)


def test_register_extract_admin_actions_download_json_and_xlsx(greta, client, root):
    client.force_login(root)
    url = reverse("admin:avdelningar_person_changelist")
    r = client.post(url, {"action": "register_extract_json", "_selected_action": [greta.pk]})
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert json.loads(r.content)["person"]["namn"] == greta.name
    r = client.post(url, {"action": "register_extract_xlsx", "_selected_action": [greta.pk]})
    wb = load_workbook(io.BytesIO(r.getvalue()))
    assert {"person", "uppdrag", "historik"} <= set(wb.sheetnames)
    others = list(Person.objects.exclude(pk=greta.pk).values_list("pk", flat=True)[:1])
    r = client.post(
        url, {"action": "register_extract_json", "_selected_action": [greta.pk, *others]}
    )
    assert r.status_code == 302  # refused: exactly one person


def test_anonymize_removes_name_and_contact_keeps_history(greta, cast, client):
    uppdrag_before = Uppdrag.objects.filter(person=greta).count()
    person_anonymize(person=greta, user=cast.leader)
    greta.refresh_from_db()
    assert "Board" not in greta.name and greta.email == "" and greta.phone == ""
    assert greta.anonymized_at is not None
    assert Uppdrag.objects.filter(person=greta).count() == uppdrag_before
    assert not Uppdrag.objects.current(timezone.localdate() + datetime.timedelta(1)).filter(
        person=greta
    )
    assert KommitteLedamot.objects.get(person=greta).end == timezone.localdate()
    user = greta.user
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.username == f"anonymiserad-{greta.pk}"
    # The login no longer works.
    r = client.post(reverse("login"), {"username": "board", "password": "test-password-123"})
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    about_greta = Handelse.objects.filter(model="avdelningar.Person", object_id=str(greta.pk))
    row = about_greta.filter(action="update").latest("id")
    assert "Board" not in json.dumps(row.changes) and "greta@" not in json.dumps(row.changes)
    # Twice is harmless.
    person_anonymize(person=greta, user=cast.leader)
    assert about_greta.filter(action="update").count() == 1


def test_existing_session_of_an_anonymized_user_ends(greta, client):
    client.force_login(greta.user)
    assert client.get(reverse("start")).status_code == 200
    person_anonymize(person=greta, user=None)
    assert client.get(reverse("start")).status_code == 302


def test_purge_clears_only_old_notes_and_skips_missing_models(settings, cast):
    settings.RETENTION_TEXT_FIELDS = ["historik.Handelse.note", "nope.Finns.inte"]
    settings.RETENTION_NOTES_DAYS = 30
    old = handelse_record(user=cast.board, action="update", note="gammal fritext")
    new = handelse_record(user=cast.board, action="update", note="ny fritext")
    Handelse.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
    out = io.StringIO()
    call_command("purge_notes", "--dry-run", stdout=out)
    assert "1 skulle tömmas" in out.getvalue()
    assert Handelse.objects.get(pk=old.pk).note == "gammal fritext"
    out = io.StringIO()
    call_command("purge_notes", stdout=out)
    assert "nope.Finns.inte: modellen finns inte" in out.getvalue()
    assert Handelse.objects.get(pk=old.pk).note == ""
    assert Handelse.objects.get(pk=new.pk).note == "ny fritext"
    assert Handelse.objects.filter(changes__note=["(gallrad)", ""]).count() == 1


def test_purge_refuses_a_wrong_label(settings):
    settings.RETENTION_TEXT_FIELDS = ["historik.Handelse.finnsinte"]
    with pytest.raises(CommandError, match="fältet finns inte"):
        call_command("purge_notes")
    settings.RETENTION_TEXT_FIELDS = ["bara-en-del"]
    with pytest.raises(CommandError, match="app.Modell.fält"):
        call_command("purge_notes")

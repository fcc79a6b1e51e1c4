"""Contact persons at actors: who sees them, adding, changing and removing them with their
trail, retention, the register extract and anonymisation."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aktiviteter import services
from aktiviteter.models import Aktor, Kontaktperson
from historik.models import Handelse
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(cast):
    return Aktor.objects.create(name="Region Test", typ=Aktor.Typ.REGION, nuts_omrade=cast.se21)


@pytest.fixture
def petra(region, cast):
    return Kontaktperson.objects.create(
        aktor=region,
        nuts_omrade=cast.se21,
        name="Petra Persson",
        title="Strateg",
        email="petra@example.org",
        phone="070-111 22 33",
    )


def _aktor_page(user, aktor):
    return client_for(user).get(aktor.get_absolute_url()).content.decode()


def test_only_the_areas_coordinator_and_the_leader_see_them(cast, petra, region):
    for user in (cast.coordinator, cast.leader):
        body = _aktor_page(user, region)
        assert "Petra Persson" in body and "petra@example.org" in body
        assert 'id="kontaktpersoner"' in body
    # The board member and the steering group (and everyone else): not in the page at all.
    for user in (cast.board, cast.changeleader, cast.steering, cast.board_national):
        body = _aktor_page(user, region)
        assert "Petra Persson" not in body and "petra@example.org" not in body
        assert 'id="kontaktpersoner"' not in body
    # The other area's coordinator has the section (their own contacts) but not SE21's.
    body = _aktor_page(cast.other_coordinator, region)
    assert "Petra Persson" not in body


def test_coordinator_adds_changes_and_removes(cast, region):
    client = client_for(cast.coordinator)
    url = reverse("aktiviteter:kontaktperson_ny", args=[region.pk])
    body = client.get(url).content.decode()
    assert "politiska åsikter" in body  # the form says what never to write
    r = client.post(
        url,
        {"name": "  Ola   Olsson ", "title": "Chef", "email": "ola@example.org", "version": 0},
    )
    assert r.status_code == 302
    k = Kontaktperson.objects.get()
    assert k.name == "Ola Olsson" and k.nuts_omrade == cast.se21
    assert k.last_contact == timezone.localdate()
    created = Handelse.objects.get(model="aktiviteter.Kontaktperson", action="create")
    assert created.nuts_omrade_id == cast.se21.pk
    edit = reverse("aktiviteter:kontaktperson_andra", args=[region.pk, k.pk])
    r = client.post(edit, {"name": "Ola Olsson", "title": "Direktör", "version": k.version})
    assert r.status_code == 302
    k.refresh_from_db()
    assert k.title == "Direktör"
    changed = Handelse.objects.get(model="aktiviteter.Kontaktperson", action="update")
    assert changed.changes["title"] == ["Chef", "Direktör"]
    # A form loaded before that change meets a conflict and writes nothing.
    r = client.post(edit, {"name": "Ola Olsson", "title": "Vd", "version": 0})
    assert "Någon annan har sparat" in r.content.decode()
    k.refresh_from_db()
    assert k.title == "Direktör"
    r = client.post(reverse("aktiviteter:kontaktperson_ta_bort", args=[region.pk, k.pk]))
    assert r.status_code == 302 and not Kontaktperson.objects.exists()
    deleted = Handelse.objects.get(model="aktiviteter.Kontaktperson", action="delete")
    assert "Ola" not in deleted.object_repr


def test_bad_input_is_refused_with_a_message(cast, region):
    client = client_for(cast.coordinator)
    url = reverse("aktiviteter:kontaktperson_ny", args=[region.pk])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    body = client.post(url, {"name": "   ", "last_contact": tomorrow}).content.decode()
    assert "Ange kontaktpersonens namn." in body
    assert "kan inte ligga i framtiden" in body
    body = client.post(url, {"name": "X", "email": "inte-en-adress"}).content.decode()
    assert "e-postadress" in body
    assert not Kontaktperson.objects.exists()


def test_a_national_actors_contact_is_kept_in_the_coordinators_area(cast):
    national = Aktor.objects.create(name="Nationell aktör", typ=Aktor.Typ.MYNDIGHET)
    client_for(cast.coordinator).post(
        reverse("aktiviteter:kontaktperson_ny", args=[national.pk]), {"name": "Nina N"}
    )
    k = Kontaktperson.objects.get()
    assert k.nuts_omrade == cast.se21
    assert "Nina N" in _aktor_page(cast.coordinator, national)
    assert "Nina N" not in _aktor_page(cast.other_coordinator, national)


def test_the_service_checks_who_may_itself(cast, petra):
    with pytest.raises(Exception, match="samordnare"):
        services.kontaktperson_delete(kontaktperson=petra, user=cast.other_coordinator)
    assert Kontaktperson.objects.filter(pk=petra.pk).exists()


def test_retention_deletes_those_not_contacted(cast, petra, region, settings):
    settings.RETENTION_CONTACT_DAYS = 730
    old = Kontaktperson.objects.create(
        aktor=region,
        nuts_omrade=cast.se21,
        name="Gunnar Gammal",
        last_contact=timezone.localdate() - datetime.timedelta(days=731),
    )
    out = io.StringIO()
    call_command("purge_kontaktpersoner", "--dry-run", stdout=out)
    assert "1 skulle tas bort" in out.getvalue()
    assert Kontaktperson.objects.filter(pk=old.pk).exists()
    out = io.StringIO()
    call_command("purge_kontaktpersoner", stdout=out)
    assert "1 borttagna" in out.getvalue()
    assert list(Kontaktperson.objects.all()) == [petra]
    row = Handelse.objects.get(model="aktiviteter.Kontaktperson", object_id=str(old.pk))
    assert row.action == "delete" and "Gunnar" not in row.object_repr
    assert "Gallring" in row.note
    settings.RETENTION_CONTACT_DAYS = 0
    out = io.StringIO()
    call_command("purge_kontaktpersoner", stdout=out)
    assert "avstängd" in out.getvalue()


def test_register_extract_names_everything(cast, petra):
    data = services.kontaktperson_register_extract(kontaktperson=petra, user=cast.leader)
    assert data["kontaktperson"]["e-post"] == "petra@example.org"
    assert data["kontaktperson"]["aktör"] == "Region Test"
    json.dumps(data, ensure_ascii=False)
    assert Handelse.objects.filter(
        model="aktiviteter.Kontaktperson", object_id=str(petra.pk), action="export"
    ).exists()


def test_admin_extract_and_anonymise(cast, petra, root, region):
    client = client_for(root)
    url = reverse("admin:aktiviteter_kontaktperson_changelist")
    r = client.post(url, {"action": "register_extract_json", "_selected_action": [petra.pk]})
    assert r["Content-Disposition"].startswith("attachment")
    assert json.loads(r.content)["kontaktperson"]["namn"] == "Petra Persson"
    r = client.post(url, {"action": "register_extract_xlsx", "_selected_action": [petra.pk]})
    assert {"kontaktperson", "historik"} <= set(
        load_workbook(io.BytesIO(b"".join(r.streaming_content))).sheetnames
    )
    other = Kontaktperson.objects.create(aktor=region, nuts_omrade=cast.se21, name="Otto")
    r = client.post(
        url, {"action": "register_extract_json", "_selected_action": [petra.pk, other.pk]}
    )
    assert r.status_code == 302  # exactly one
    client.post(url, {"action": "anonymize", "_selected_action": [petra.pk]})
    petra.refresh_from_db()
    assert petra.anonymized_at and "Petra" not in petra.name
    assert petra.email == "" and petra.phone == "" and petra.title == ""
    row = Handelse.objects.filter(model="aktiviteter.Kontaktperson", action="update").latest("id")
    assert "Petra" not in json.dumps(row.changes) and "petra@" not in json.dumps(row.changes)
    # Gone from the app; twice is harmless.
    assert "Anonymiserad kontaktperson" not in _aktor_page(cast.leader, region)
    services.kontaktperson_anonymize(kontaktperson=petra, user=root)
    assert Handelse.objects.filter(model="aktiviteter.Kontaktperson", action="update").count() == 1


def test_admin_actions_need_their_own_permissions(cast, petra, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="pw-staff-123", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_kontaktperson"))
    client = client_for(staff)
    url = reverse("admin:aktiviteter_kontaktperson_changelist")
    body = client.get(url).content.decode()
    assert 'value="register_extract_json"' not in body and 'value="anonymize"' not in body
    staff.user_permissions.add(Permission.objects.get(codename="anonymize_person"))
    staff = django_user_model.objects.get(pk=staff.pk)
    body = client_for(staff).get(url).content.decode()
    assert 'value="anonymize"' in body and 'value="register_extract_json"' not in body

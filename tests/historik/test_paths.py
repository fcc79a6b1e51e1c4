"""Paths outside the URL and admin walks: jobs, commands and services that change the
audited rows, each compared row by row against the trail (tests/historik/trail.py); and
the trail itself, which only the project leader and admins read and nobody edits."""

import datetime
import io
import subprocess

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aktiviteter.models import Aktivitet
from avdelningar.models import Kommitte, KommitteLedamot, Person, Uppdrag
from avdelningar.services import person_anonymize
from historik.models import Handelse
from rapporter import services as rapporter_services
from rapporter import tasks
from rapporter.models import Rapportversion
from tests.aktiviteter.helpers import make_aktivitet
from tests.historik.trail import Watch

pytestmark = pytest.mark.django_db

STYR = Rapportversion.Edition.STYRGRUPP


def test_anonymising_records_each_ended_assignment_and_seat(cast):
    person = Person.objects.get(user=cast.board)
    old_name = person.name
    k = Kommitte.objects.create(name="AMK A1", typ="arbetsmarknadskommitte", avdelning=cast.a1)
    seat = KommitteLedamot.objects.create(kommitte=k, person=person, start="2023-01-01")
    with Watch() as w:
        person_anonymize(person=person, user=cast.leader)
    assert not w.missing(user=cast.leader), w.missing(user=cast.leader)
    uppdrag = Uppdrag.objects.get(person=person)
    ended = {(h.model, h.object_id): h for h in w.rows}
    row = ended[("avdelningar.Uppdrag", str(uppdrag.pk))]
    assert row.changes == {"end": [None, uppdrag.end.isoformat()]}
    assert row.avdelning_id == cast.a1.pk and row.nuts_omrade_id == cast.se21.pk
    assert ended[("avdelningar.KommitteLedamot", str(seat.pk))].avdelning_id == cast.a1.pk
    assert all(old_name not in f"{h.object_repr} {h.changes} {h.note}" for h in w.rows)


def test_purging_notes_is_recorded_per_row(cast, settings):
    settings.RETENTION_NOTES_DAYS = 30
    old = make_aktivitet(cast.se21, notes="Gammal anteckning", date=datetime.date(2020, 1, 1))
    Aktivitet.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    with Watch() as w:
        call_command("purge_notes", stdout=io.StringIO())
    assert ("change", ("aktiviteter.Aktivitet", str(old.pk))) in w.changed
    assert not w.missing(), w.missing()


def _long_ago():
    return timezone.now() - datetime.timedelta(seconds=settings.REPORT_HEARTBEAT_STALE_SECONDS + 60)


def test_the_sweep_records_what_it_requeues_and_gives_up(cast, monkeypatch):
    monkeypatch.setattr(tasks.compile_report, "delay_on_commit", lambda pk: None)
    stale = rapporter_services.rapport_request(year=2024, edition=STYR, enqueue=False)
    spent = rapporter_services.rapport_request(year=2024, edition=STYR, enqueue=False)
    rapporter_services._claim(stale.pk)
    Rapportversion.objects.filter(pk=stale.pk).update(heartbeat_at=_long_ago())
    Rapportversion.objects.filter(pk=spent.pk).update(
        status="running", attempts=settings.REPORT_MAX_ATTEMPTS, heartbeat_at=_long_ago()
    )
    with Watch() as w:
        rapporter_services.rapport_sweep()
    assert not w.missing(), w.missing()
    status = {h.object_id: h.changes["status"] for h in w.rows}
    assert status == {str(stale.pk): ["running", "queued"], str(spent.pk): ["running", "failed"]}


def test_a_failed_compilation_is_recorded(cast, monkeypatch):
    def boom(**kw):
        raise RuntimeError("databasen svarade inte")

    monkeypatch.setattr(rapporter_services, "gather", boom)
    v = rapporter_services.rapport_request(year=2024, edition=STYR, enqueue=False)
    rapporter_services._claim(v.pk)
    Rapportversion.objects.filter(pk=v.pk).update(status="queued", heartbeat_at=None)
    with Watch() as w:
        assert rapporter_services.rapport_compile(version_id=v.pk) is None
    assert not w.missing(), w.missing()
    row = Handelse.objects.get(action="transition", object_id=str(v.pk))
    assert row.changes == {"status": ["running", "failed"]}
    assert "databasen svarade inte" in row.note


def test_a_restore_leaves_a_row_in_the_restored_trail(db, tmp_path, monkeypatch):
    # The database itself is not replaced here (that is tests/security/test_backup.py);
    # only what the command records once pg_restore has run.
    from avdelningar.management.commands import restore

    dump = tmp_path / "natt.dump"
    dump.write_bytes(b"PGDMP")
    monkeypatch.setattr(restore.connections, "close_all", lambda: None)
    monkeypatch.setattr(restore, "vendor", lambda: "postgresql")
    monkeypatch.setattr(
        restore.subprocess, "run", lambda cmd, **kw: subprocess.CompletedProcess(cmd, 0, "", "")
    )
    call_command("restore", str(dump), interactive=False, stdout=io.StringIO())
    row = Handelse.objects.get(action=Handelse.Action.IMPORT)
    assert "natt.dump" in row.note and row.user is None


def test_reading_a_report_on_screen_is_recorded(cast, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from rapporter.snapshot import gather

    v = Rapportversion.objects.create(
        year=2024,
        nuts_omrade=cast.se21,
        edition=STYR,
        number=1,
        status="done",
        snapshot=gather(year=2024, edition=STYR),
    )
    v.pdf.save("r.pdf", ContentFile(b"%PDF-1.4"), save=True)
    client.force_login(cast.coordinator)
    assert client.get(reverse("rapporter:detail", args=[v.pk])).status_code == 200
    row = Handelse.objects.get(action=Handelse.Action.VIEW)
    assert (row.model, row.object_id, row.user) == (
        "rapporter.Rapportversion",
        str(v.pk),
        cast.coordinator,
    )
    assert row.note == "HTML" and row.nuts_omrade_id == cast.se21.pk
    # A version not yet compiled shows no report, and nothing is recorded.
    queued = Rapportversion.objects.create(year=2024, nuts_omrade=cast.se21, edition=STYR, number=2)
    client.get(reverse("rapporter:detail", args=[queued.pk]))
    assert Handelse.objects.filter(action=Handelse.Action.VIEW).count() == 1


# --- the trail itself -------------------------------------------------------------------


@pytest.fixture
def staff_reader(django_user_model):
    """Staff with admin's "view" permission on the trail, but no role: must not read it."""
    user = django_user_model.objects.create_user("staff", password="pw-staff-123", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_handelse"))
    return user


def test_only_leader_and_admins_read_the_trail(cast, client, root, staff_reader):
    for user, status in ((root, 200), (cast.leader, 200), (staff_reader, 403)):
        client.force_login(user)
        assert client.get(reverse("historik")).status_code == status, user
    client.force_login(staff_reader)
    assert client.get(reverse("admin:historik_handelse_changelist")).status_code == 403
    client.force_login(root)
    assert client.get(reverse("admin:historik_handelse_changelist")).status_code == 200


def test_nobody_edits_the_trail_in_admin_not_even_in_bulk(cast, client, root):
    client.force_login(root)
    row = Handelse.objects.create(action=Handelse.Action.LOGIN, username="x")
    page = client.get(reverse("admin:historik_handelse_changelist")).content.decode()
    assert "delete_selected" not in page
    client.post(
        reverse("admin:historik_handelse_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert Handelse.objects.filter(pk=row.pk, username="x").exists()
    for method in ("post", "put", "patch", "delete"):
        r = getattr(client, method)(reverse("historik"), {"action": "delete"})
        assert r.status_code == 405, method
    assert Handelse.objects.filter(pk=row.pk, username="x").exists()


# --- logins in admin ----------------------------------------------------------------------


def test_login_changes_in_admin_are_recorded_without_the_password(client, django_user_model, root):
    user = django_user_model.objects.create_user("greta", password="gammalt-losen-123")
    client.force_login(root)
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = {
        "username": "greta",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "08:00:00",
    }
    assert client.post(url, data).status_code == 302
    row = Handelse.objects.get(model="auth.User", action="update")
    assert row.changes["is_superuser"] == [False, True] and row.user == root

    url = reverse("admin:auth_user_password_change", args=[user.pk])
    secret = "nytt-hemligt-losen-456"
    r = client.post(url, {"password1": secret, "password2": secret, "usable_password": "true"})
    assert r.status_code == 302
    user.refresh_from_db()
    row = Handelse.objects.filter(model="auth.User", action="update").latest("id")
    assert set(row.changes) == {"password"}
    trail = str(list(Handelse.objects.values_list("changes", "note")))
    assert user.password not in trail and secret not in trail

    r = client.post(reverse("admin:auth_user_delete", args=[user.pk]), {"post": "yes"})
    assert r.status_code == 302
    row = Handelse.objects.get(model="auth.User", action="delete")
    assert row.changes["password"] == ["(dolt)", "(dolt)"]

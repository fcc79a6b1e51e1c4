"""The preview both imports share (regionalsamverkan/imports.py): the uploaded file is kept
in storage under a random token held in the session with its owner's user id, confirmed
only by that user with that token, and deleted once saved or after a day (issue 13 #14,
issue 14 "one import mechanism")."""

import csv
import datetime
import io
import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from aktiviteter import importer as aktivitet_import
from aktiviteter.models import Aktivitet
from filer import imports, tasks
from mal import importer as atagande_import
from mal.models import Atagande

pytestmark = pytest.mark.django_db


def activity_csv(count=1, notes=""):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(aktivitet_import.HEADERS)
    for i in range(count):
        row = dict.fromkeys(aktivitet_import.HEADERS, "")
        row.update(
            datum="2023-05-04", typ="Möte", rubrik=f"Möte {i}", nuts_omrade="SE21",
            verksamhetsmal="8", anteckningar=notes, avdelningar="Avdelning A1",
        )  # fmt: skip
        writer.writerow([row[h] for h in aktivitet_import.HEADERS])
    return SimpleUploadedFile("akt.csv", buf.getvalue().encode())


def commitment_xlsx(title="Lyft"):
    wb = Workbook()
    ws = wb.active
    ws.append(atagande_import.HEADERS)
    values = dict.fromkeys(atagande_import.HEADERS)
    values.update(
        {
            "Avdelning": "Avdelning A1",
            "År": 2024,
            "Mål": 2,
            "Rubrik": title,
            "Indikator": "Arbetare i kompetensutveckling",
            "Målvärde": 10,
        }
    )
    ws.append([values[h] for h in atagande_import.HEADERS])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("ataganden.xlsx", buf.getvalue())


def kept_files():
    if not default_storage.exists(imports.PREVIEW_DIR):
        return []
    return default_storage.listdir(imports.PREVIEW_DIR)[1]


def token(client, kind):
    return client.session.get(imports.SESSION_KEY, {}).get(kind, {}).get("token", "")


def test_the_activity_preview_keeps_the_file_in_storage_not_in_the_session(client, cast):
    """The session held the whole file, base64: a read-only user made a 6.1 MB session
    row, read on every later request."""
    client.force_login(cast.changeleader)
    upload = activity_csv(200, notes="x" * 2000)
    assert upload.size > 400_000
    r = client.post(reverse("aktiviteter:import"), {"file": upload})
    assert "200 rader kan importeras" in r.content.decode()
    session = client.session
    assert len(session.encode(dict(session.items()))) < 1000
    assert kept_files() == [f"{token(client, 'aktiviteter')}.csv"]
    kept = session[imports.SESSION_KEY]["aktiviteter"]
    assert kept["user"] == cast.changeleader.pk


@pytest.mark.parametrize("kind", ["aktiviteter", "mal"])
def test_a_confirmed_preview_is_deleted_and_cannot_be_confirmed_again(client, cast, kind):
    client.force_login(cast.coordinator)
    if kind == "mal":
        client.post(reverse("mal:import"), {"file": commitment_xlsx()})
        confirm = lambda t: client.post(reverse("mal:import"), {"confirm": "1", "token": t})  # noqa: E731
    else:
        client.post(reverse("aktiviteter:import"), {"file": activity_csv()})
        confirm = lambda t: client.post(reverse("aktiviteter:import_run"), {"token": t})  # noqa: E731
    first = token(client, kind)
    assert kept_files() == [f"{first}.{'xlsx' if kind == 'mal' else 'csv'}"]
    assert confirm(first).status_code == 302
    assert kept_files() == []
    before = Atagande.objects.count() + Aktivitet.objects.count()
    r = confirm(first)
    assert r.status_code == 302
    assert Atagande.objects.count() + Aktivitet.objects.count() == before == 1


def test_a_new_preview_replaces_the_users_previous_one(client, cast):
    client.force_login(cast.coordinator)
    client.post(reverse("aktiviteter:import"), {"file": activity_csv(1)})
    first = token(client, "aktiviteter")
    client.post(reverse("aktiviteter:import"), {"file": activity_csv(2)})
    second = token(client, "aktiviteter")
    assert first != second and kept_files() == [f"{second}.csv"]
    # The first tab's confirm does not import the second tab's file, nor delete it.
    r = client.post(reverse("aktiviteter:import_run"), {"token": first}, follow=True)
    assert "gått ut" in r.content.decode() and not Aktivitet.objects.exists()
    assert kept_files() == [f"{second}.csv"]
    assert client.post(reverse("aktiviteter:import_run"), {"token": second}).status_code == 302
    assert Aktivitet.objects.count() == 2


def test_only_the_owner_can_confirm_a_preview(client, cast):
    client.force_login(cast.coordinator)
    client.post(reverse("aktiviteter:import"), {"file": activity_csv()})
    stolen = token(client, "aktiviteter")
    other = Client()
    other.force_login(cast.leader)
    r = other.post(reverse("aktiviteter:import_run"), {"token": stolen}, follow=True)
    assert "gått ut" in r.content.decode()
    # The same session, now someone else's login (a session cookie reused): refused too.
    session = client.session
    session[imports.SESSION_KEY]["aktiviteter"]["user"] = cast.leader.pk
    session.save()
    r = client.post(reverse("aktiviteter:import_run"), {"token": stolen}, follow=True)
    assert "gått ut" in r.content.decode()
    assert not Aktivitet.objects.exists()


def test_the_hourly_task_deletes_previews_older_than_a_day(client, cast, settings):
    client.force_login(cast.board)
    client.post(reverse("mal:import"), {"file": commitment_xlsx()})
    old = token(client, "mal")
    other = Client()
    other.force_login(cast.coordinator)
    other.post(reverse("aktiviteter:import"), {"file": activity_csv()})
    fresh = token(other, "aktiviteter")
    day_and_a_minute = time.time() - 24 * 3600 - 60
    os.utime(default_storage.path(f"imports/{old}.xlsx"), (day_and_a_minute,) * 2)
    assert "filer.tasks.purge_import_previews" in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert tasks.purge_import_previews.delay().get() == 1
    assert kept_files() == [f"{fresh}.csv"]
    assert tasks.purge_import_previews.delay().get() == 0  # safe to run twice
    r = client.post(reverse("mal:import"), {"confirm": "1", "token": old}, follow=True)
    assert "gått ut" in r.content.decode() and not Atagande.objects.exists()


def test_a_preview_older_than_a_day_is_not_confirmed_before_the_task_runs(client, cast):
    client.force_login(cast.board)
    client.post(reverse("mal:import"), {"file": commitment_xlsx()})
    session = client.session
    kept = session[imports.SESSION_KEY]["mal"]
    kept["at"] = (datetime.datetime.fromisoformat(kept["at"]) - imports.PREVIEW_MAX_AGE).isoformat()
    session.save()
    r = client.post(reverse("mal:import"), {"confirm": "1", "token": kept["token"]}, follow=True)
    assert "gått ut" in r.content.decode() and not Atagande.objects.exists()
    assert kept_files() == []


def test_a_file_with_errors_is_not_kept(client, cast):
    client.force_login(cast.board)
    r = client.post(reverse("mal:import"), {"file": commitment_xlsx(title="")})
    assert "Rubrik saknas" in r.content.decode()
    assert kept_files() == [] and not token(client, "mal")

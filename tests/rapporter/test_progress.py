"""Progress you can watch: the compile job's steps on the version, the status partial's bar,
and the embedded default's compile thread (the request answers before the job is done)."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from rapporter import services, tasks
from rapporter.models import Rapportversion

STYR = Rapportversion.Edition.STYRGRUPP
Stage = Rapportversion.Stage


@pytest.fixture
def version(cast):
    return services.rapport_request(year=2024, edition=STYR, user=cast.leader, enqueue=False)


def stage_of(pk):
    return Rapportversion.objects.values_list("stage", "progress").get(pk=pk)


def watch_steps(monkeypatch, pk):
    """Records the version's (stage, progress), as the database has it, as each step's
    work begins: gathering, the charts (the HTML), the PDF, the workbook."""
    seen = []
    for module, name in (
        (services, "gather"),
        (services.render, "render_html"),
        (services.render, "render_pdf"),
        (services.render, "render_xlsx"),
    ):
        real = getattr(module, name)

        def spy(*args, _real=real, **kwargs):
            seen.append(stage_of(pk))
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return seen


def test_the_steps_are_recorded_in_order(version, monkeypatch):
    assert stage_of(version.pk) == ("", 0)
    seen = watch_steps(monkeypatch, version.pk)
    assert services.rapport_compile(version_id=version.pk) is not None
    assert seen == [("gathering", 5), ("charts", 15), ("pdf", 30), ("workbook", 95)]
    assert stage_of(version.pk) == ("done", 100)
    progress = [p for _, p in seen] + [100]
    assert progress == sorted(set(progress))  # only forward


def test_a_failed_job_stays_at_its_step(client, cast, version, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("Disken full")

    monkeypatch.setattr(services.render, "render_pdf", broken)
    assert services.rapport_compile(version_id=version.pk) is None
    version.refresh_from_db()
    assert (version.status, version.stage, version.progress) == ("failed", "pdf", 30)
    client.force_login(cast.leader)
    page = client.get(version.get_absolute_url()).content.decode()
    assert "Misslyckades</strong> under steget ”Skapar PDF-filen”" in page
    assert "Disken full" in page
    assert "Skapar PDF-filen: avbröts" in page and "Skapar Excel-arbetsboken: väntar" in page


def test_only_the_claims_holder_moves_the_progress(version, monkeypatch):
    """The sweep gave the job to another worker while this one was still rendering."""
    real = services.render.render_html

    def stolen(v):
        Rapportversion.objects.filter(pk=version.pk).update(claimed_by="someone-else")
        return real(v)

    monkeypatch.setattr(services.render, "render_html", stolen)
    assert services.rapport_compile(version_id=version.pk) is None
    assert stage_of(version.pk) == ("charts", 15)  # where it was when the claim went


def test_the_sweep_starts_the_progress_again(version, monkeypatch):
    monkeypatch.setattr(tasks.compile_report, "delay_on_commit", lambda pk: None)
    services._claim(version.pk)
    services._advance(version.pk, Rapportversion.objects.get(pk=version.pk).claimed_by, "pdf")
    stale = timezone.now() - datetime.timedelta(
        seconds=settings.REPORT_HEARTBEAT_STALE_SECONDS + 60
    )
    Rapportversion.objects.filter(pk=version.pk).update(heartbeat_at=stale)
    assert services.rapport_sweep() == ([version.pk], [])
    assert stage_of(version.pk) == ("", 0)
    services._claim(version.pk)
    assert stage_of(version.pk) == ("gathering", 5)


def test_progress_is_a_percentage(version):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rapportversion.objects.filter(pk=version.pk).update(progress=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rapportversion.objects.filter(pk=version.pk).update(stage="printing")


# --- the status partial ---------------------------------------------------------------------


def at_step(version, stage, status="running"):
    Rapportversion.objects.filter(pk=version.pk).update(
        status=status, stage=stage, progress=Rapportversion.STEP_PROGRESS[stage], attempts=1
    )
    version.refresh_from_db()
    return version


def test_the_status_partial_shows_the_bar(client, cast, version):
    at_step(version, Stage.PDF)
    client.force_login(cast.leader)
    html = client.get(reverse("rapporter:status", args=[version.pk])).content.decode()
    assert 'role="status" aria-live="polite"' in html
    assert (
        f'<label for="rapport-forlopp-{version.pk}" class="form-label mb-1">Förlopp: 30 %</label>'
        in html
    )
    assert f'<progress id="rapport-forlopp-{version.pk}"' in html
    assert 'max="100" value="30"' in html and 'aria-valuenow="30"' in html
    assert 'aria-valuetext="30 procent: Skapar PDF-filen"' in html
    assert "steg 3 av 4: Skapar PDF-filen." in html
    assert "Hämtar uppgifterna: klart" in html and "Ritar diagrammen: klart" in html
    assert 'aria-current="step"' in html and "Skapar PDF-filen: pågår" in html
    assert "Skapar Excel-arbetsboken: väntar" in html
    # Without JavaScript: a link that reloads the page (no automatic refresh).
    assert f'<a href="{version.get_absolute_url()}">Uppdatera</a>' in html
    assert 'http-equiv="refresh"' not in html
    # With it: htmx asks again every 2 s, sending the step it shows.
    assert 'hx-trigger="every 2s"' in html and 'hx-include="#rapport-steg"' in html
    assert 'name="steg" value="running.pdf.1"' in html


def test_a_queued_version_shows_an_empty_bar(client, cast, version):
    client.force_login(cast.leader)
    html = client.get(version.get_absolute_url()).content.decode()
    assert "I kö" in html and 'value="0"' in html and 'aria-valuetext="0 procent: i kö"' in html
    assert "Hämtar uppgifterna: väntar" in html


def test_the_poll_gets_nothing_new_while_the_step_is_the_same(client, cast, version):
    at_step(version, Stage.CHARTS)
    client.force_login(cast.leader)
    url = reverse("rapporter:status", args=[version.pk])
    htmx = {"HX-Request": "true"}
    same = client.get(url, {"steg": "running.charts.1"}, headers=htmx)
    assert same.status_code == 204 and same.content == b""
    at_step(version, Stage.PDF)
    moved = client.get(url, {"steg": "running.charts.1"}, headers=htmx)
    assert moved.status_code == 200 and "steg 3 av 4" in moved.content.decode()
    # A plain request (no htmx) always gets the partial.
    assert client.get(url, {"steg": "running.pdf.1"}).status_code == 200
    # Finished: the page reloads to show the report, whatever step the poll had.
    Rapportversion.objects.filter(pk=version.pk).update(status="done", stage="done", progress=100)
    done = client.get(url, {"steg": "done.done.1"}, headers=htmx)
    assert done.status_code == 200 and done["HX-Refresh"] == "true"


def test_the_poll_queries(client, cast, version, django_assert_num_queries):
    """Every 2 s per open page: the session, the user, the version and the user's scope,
    the same whether the answer is the partial or 204."""
    at_step(version, Stage.PDF)
    client.force_login(cast.leader)
    url = reverse("rapporter:status", args=[version.pk])
    htmx = {"HX-Request": "true"}
    client.get(url)
    with django_assert_num_queries(4):
        assert client.get(url, {"steg": "running.pdf.1"}, headers=htmx).status_code == 204
    with django_assert_num_queries(4):
        assert client.get(url, {"steg": "running.charts.1"}, headers=htmx).status_code == 200


# --- the embedded default: the compile thread -----------------------------------------------


def wait_for(pk, status, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        v = Rapportversion.objects.get(pk=pk)
        if v.status == status:
            return v
        time.sleep(0.1)
    raise AssertionError(f"version {pk} is {v.status} at {v.stage}, not {status}")


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_request_answers_before_the_job_is_done(
    client, cast, settings, monkeypatch
):
    settings.REPORT_COMPILE_IN_THREAD = True
    closed = []
    real_close = tasks.connections.close_all
    monkeypatch.setattr(
        tasks.connections,
        "close_all",
        lambda: closed.append(threading.current_thread().name) or real_close(),
    )
    # The workbook waits until the test has seen the answer.
    go = threading.Event()
    real_xlsx = services.render.render_xlsx

    def held(*args):
        assert go.wait(60)
        return real_xlsx(*args)

    monkeypatch.setattr(services.render, "render_xlsx", held)
    client.force_login(cast.leader)
    response = client.post(
        reverse("rapporter:compile"),
        {"year": 2024, "edition": STYR, "omrade": "", "sammanstall_anda": "on"},
    )
    v = Rapportversion.objects.get()
    assert response.status_code == 302 and response["Location"] == v.get_absolute_url()
    v = wait_for(v.pk, "running")
    page = client.get(v.get_absolute_url()).content.decode()
    assert "Sammanställs" in page and "<progress" in page
    go.set()
    v = wait_for(v.pk, "done")
    assert (v.stage, v.progress, v.attempts) == ("done", 100, 1)
    assert v.pdf and v.xlsx
    # The thread closed its own database connections at its end.
    deadline = time.monotonic() + 10
    while not closed and time.monotonic() < deadline:
        time.sleep(0.05)
    assert closed == [f"rapport-{v.pk}"]


@pytest.mark.django_db(transaction=True)
def test_two_threads_on_one_version_compile_it_once(cast, monkeypatch):
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    first = tasks.compile_in_thread(v.pk)
    second = tasks.compile_in_thread(v.pk)
    first.join(120)
    second.join(120)
    v.refresh_from_db()
    assert (v.status, v.attempts, v.stage) == ("done", 1, "done")


def test_tests_and_brokers_keep_the_celery_path(cast, monkeypatch, settings):
    """With the setting off (tests, or a broker), the task is sent on commit as before."""
    settings.REPORT_COMPILE_IN_THREAD = False
    sent = []
    monkeypatch.setattr(tasks.compile_report, "delay_on_commit", lambda pk: sent.append(pk))
    monkeypatch.setattr(tasks, "compile_in_thread", lambda pk: pytest.fail("no thread"))
    v = services.rapport_request(year=2024, edition=STYR)
    assert sent == [v.pk]

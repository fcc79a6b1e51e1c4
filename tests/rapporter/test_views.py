"""The report pages, per role: who sees, compiles, approves, downloads and edits what."""

import pytest
from django.urls import reverse

from historik.models import Handelse
from rapporter import services
from rapporter.models import Berattelse, Kostnad, Rapportversion
from tests import factories as f

STYR = Rapportversion.Edition.STYRGRUPP


def done(year=2024, nuts=None, edition=STYR, approve_by=None):
    v = services.rapport_request(year=year, nuts_omrade=nuts, edition=edition, enqueue=False)
    v = services.rapport_compile(version_id=v.pk)
    if approve_by:
        v = services.rapport_approve(version=v, user=approve_by)
    return v


@pytest.fixture
def reports(cast):
    cast.approved = done(approve_by=cast.steering)
    cast.draft = done()
    cast.se21_draft = done(nuts=cast.se21)
    cast.se22_draft = done(nuts=cast.se22)
    return cast


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("leader", {"approved", "draft", "se21_draft", "se22_draft"}),
        ("steering", {"approved", "draft", "se21_draft", "se22_draft"}),
        ("board_national", {"approved"}),
        ("coordinator", {"approved", "se21_draft"}),
        ("other_coordinator", {"approved", "se22_draft"}),
    ],
)
def test_list_shows_what_the_role_may_see(client, reports, who, visible):
    response = get(client, getattr(reports, who), reverse("rapporter:list") + "?ar=2024")
    assert response.status_code == 200
    shown = set(response.context["versions"].values_list("pk", flat=True))
    assert shown == {getattr(reports, name).pk for name in visible}


def test_an_empty_year_points_to_the_latest_approved_one_the_reader_may_see(client, reports):
    # 2025 has nothing yet; 2024 has an approved report for the whole project.
    body = get(client, reports.board_national, reverse("rapporter:list") + "?ar=2025")
    assert 'Senaste godkända: <a href="?ar=2024">2024</a>' in body.content.decode()
    # Drafts alone are no reason to point: 2023 and earlier have nothing approved.
    body = get(client, reports.leader, reverse("rapporter:list") + "?ar=2023")
    assert "Inga rapporter för 2023" in body.content.decode()
    assert "Senaste godkända" not in body.content.decode()


@pytest.mark.parametrize("who", ["changeleader", "nobody"])
def test_department_users_have_no_report_pages(client, reports, who):
    assert get(client, getattr(reports, who), reverse("rapporter:list")).status_code == 403
    url = reverse("rapporter:detail", args=[reports.approved.pk])
    assert get(client, getattr(reports, who), url).status_code == 404


def test_list_queries_do_not_grow(client, reports, django_assert_max_num_queries):
    client.force_login(reports.steering)
    url = reverse("rapporter:list") + "?ar=2024"
    client.get(url)
    with django_assert_max_num_queries(20) as ctx:
        client.get(url)
    n = len(ctx.captured_queries)
    for _ in range(4):
        done()
    with django_assert_max_num_queries(n):
        client.get(url)


def test_national_board_gets_404_for_an_unapproved_version(client, reports):
    response = get(client, reports.board_national, reports.approved.get_absolute_url())
    assert response.status_code == 200
    assert "Godkänd av styrgruppen" in response.content.decode()


def test_download_is_recorded(client, reports):
    response = get(
        client, reports.board_national, reverse("rapporter:pdf", args=[reports.approved.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    assert response["Content-Disposition"].startswith("attachment")
    row = Handelse.objects.get(action="download")
    assert row.user == reports.board_national and row.object_id == str(reports.approved.pk)
    response = get(client, reports.leader, reverse("rapporter:xlsx", args=[reports.draft.pk]))
    assert response.status_code == 200
    assert Handelse.objects.filter(action="download").count() == 2


def test_approve_is_post_only_and_for_the_steering_group(client, reports):
    url = reverse("rapporter:approve", args=[reports.se21_draft.pk])
    for who in ("leader", "coordinator"):
        client.force_login(getattr(reports, who))
        assert client.post(url).status_code == 403
    client.force_login(reports.board_national)
    assert client.post(url).status_code == 404  # cannot even see it
    client.force_login(reports.steering)
    response = client.post(url)
    assert response.status_code == 302
    reports.se21_draft.refresh_from_db()
    assert reports.se21_draft.approved_by == reports.steering


def test_report_page_is_rendered_once_and_follows_the_approval(client, reports, monkeypatch):
    from rapporter import render

    url = reverse("rapporter:detail", args=[reports.se21_draft.pk])
    calls = []
    real = render.render_html
    monkeypatch.setattr(render, "render_html", lambda v: calls.append(v.pk) or real(v))
    body = get(client, reports.steering, url).content.decode()
    assert "ej godkänd" in body
    assert "ej godkänd" in get(client, reports.coordinator, url).content.decode()
    assert calls == [reports.se21_draft.pk]  # the second reader got the kept page
    client.force_login(reports.steering)
    client.post(reverse("rapporter:approve", args=[reports.se21_draft.pk]))
    body = get(client, reports.coordinator, url).content.decode()
    assert "ej godkänd" not in body and "godkänd av styrgruppen" in body
    assert len(calls) == 2


def test_second_approval_of_same_report_is_refused_with_a_message(client, reports):
    client.force_login(reports.steering)
    response = client.post(reverse("rapporter:approve", args=[reports.draft.pk]), follow=True)
    assert "redan godkänd" in response.content.decode()
    reports.draft.refresh_from_db()
    assert not reports.draft.is_approved


def test_compile_button(client, cast, django_capture_on_commit_callbacks):
    url = reverse("rapporter:compile")
    # The year has gaps (nothing entered): compiling needs the confirmation.
    data = {"year": 2024, "edition": STYR, "omrade": "", "sammanstall_anda": "on"}
    client.force_login(cast.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(data=data, path=url)
    v = Rapportversion.objects.get()
    assert response.status_code == 302 and response["Location"] == v.get_absolute_url()
    v.refresh_from_db()
    assert v.status == "done" and v.requested_by == cast.leader
    for who in ("steering", "coordinator", "board_national"):
        client.force_login(getattr(cast, who))
        assert client.post(url, data).status_code == 403
    assert Rapportversion.objects.count() == 1


def test_compile_a_year_without_participation_says_so(client, cast):
    client.force_login(cast.leader)
    response = client.post(
        reverse("rapporter:compile"), {"year": 2015, "edition": STYR}, follow=True
    )
    assert "Rapporten kan bara sammanställas för projektets år, 2019–" in response.content.decode()
    assert not Rapportversion.objects.exists()


def test_progress_page_polls_until_done(client, cast):
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    client.force_login(cast.leader)
    page = client.get(v.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and "I kö" in page
    status = reverse("rapporter:status", args=[v.pk])
    assert "HX-Refresh" not in client.get(status, headers={"HX-Request": "true"})
    services.rapport_compile(version_id=v.pk)
    response = client.get(status, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert "every 2s" not in response.content.decode()


def test_failed_version_shows_the_reason(client, cast):
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    Rapportversion.objects.filter(pk=v.pk).update(status="failed", failure_reason="Disken full")
    page = get(client, cast.leader, v.get_absolute_url()).content.decode()
    assert "Misslyckades" in page and "Disken full" in page


# --- narrative ---------------------------------------------------------------------


def test_leader_writes_the_overall_assessment(client, cast):
    url = reverse("rapporter:berattelse", args=[2024])
    client.force_login(cast.leader)
    response = client.post(url, {"text": "Bra år.", "omrade": "", "version": 0})
    assert response.status_code == 302
    b = Berattelse.objects.get(year=2024, nuts_omrade__isnull=True)
    assert b.text == "Bra år." and b.version == 1
    # A stale form: conflict, the text stays on screen, nothing saved.
    response = client.post(url, {"text": "Annat.", "omrade": "", "version": 0})
    assert response.status_code == 400
    assert "Någon annan har sparat" in response.content.decode()
    assert "Annat." in response.content.decode()
    assert Berattelse.objects.get(pk=b.pk).text == "Bra år."


def test_coordinator_writes_own_area_only(client, cast):
    url = reverse("rapporter:berattelse", args=[2024])
    client.force_login(cast.coordinator)
    page = client.get(url).content.decode()
    assert "SE21" in page and "SE22" not in page
    assert client.post(url, {"text": "Småland.", "omrade": "SE21", "version": 0}).status_code == 302
    assert client.post(url, {"text": "x", "omrade": "SE22", "version": 0}).status_code == 404
    assert client.post(url, {"text": "x", "omrade": "", "version": 0}).status_code == 403
    assert Berattelse.objects.get().text == "Småland."


# --- costs -------------------------------------------------------------------------


@pytest.fixture
def costs(cast):
    for avd, n in ((cast.a1, 3000), (cast.a2, 1000), (cast.b1, 4000)):
        f.MedlemsantalFactory(avdelning=avd, year=2024, active_members=n)
    Kostnad.objects.create(year=2024, other=1000)
    return cast


def test_leader_edits_costs(client, costs):
    url = reverse("rapporter:kostnad", args=[2024])
    client.force_login(costs.leader)
    response = client.post(
        url, {"coordinators": 600, "project_leader": 300, "other": 100, "version": 0}
    )
    assert response.status_code == 302
    k = Kostnad.objects.get(year=2024)
    assert (k.total, k.version) == (1000, 1)
    assert Handelse.objects.filter(model="rapporter.Kostnad", action="update").exists()
    response = client.post(url, {"coordinators": -1, "project_leader": 0, "other": 0, "version": 1})
    assert response.status_code == 400
    assert "kan inte vara negativt" in response.content.decode()
    assert Kostnad.objects.get(year=2024).coordinators == 600


def test_narrative_with_nul_in_the_area_is_not_found(client, costs):
    """Found by fuzzing: the posted area code went into a lookup; NUL was a server error."""
    client.force_login(costs.leader)
    url = reverse("rapporter:berattelse", args=[2024])
    response = client.post(url, {"text": "x", "omrade": "\x00", "version": 0})
    assert response.status_code == 404


def test_cost_beyond_the_column_is_a_message(client, costs):
    """Found by fuzzing: 10**30 kronor reached PostgreSQL (bigint out of range)."""
    client.force_login(costs.leader)
    url = reverse("rapporter:kostnad", args=[2024])
    data = {"coordinators": 10**30, "project_leader": 0, "other": 0, "version": 0}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "orimligt stort" in response.content.decode()
    assert not Kostnad.objects.filter(year=2024, coordinators__gt=0).exists()


def test_cost_page_rows_per_role(client, costs):
    url = reverse("rapporter:kostnad", args=[2024])
    page = get(client, costs.steering, url).content.decode()
    assert "Avdelning B1" in page and "IF Metall (förbundet)" in page
    page = get(client, costs.coordinator, url).content.decode()
    assert "Avdelning A1" in page and "Avdelning B1" not in page


def test_cost_page_warns_about_missing_counts(client, costs):
    f.AvdelningFactory(name="Avdelning A3", nuts_omrade=costs.se21)
    page = get(client, costs.leader, reverse("rapporter:kostnad", args=[2024])).content.decode()
    assert "Ofullständig" in page and "Avdelning A3" in page and "saknas" in page


def test_cost_export_only_visible_rows(client, costs):
    client.force_login(costs.coordinator)
    response = client.get(reverse("rapporter:kostnad_export", args=[2024, "csv"]))
    text = b"".join(response.streaming_content).decode()
    assert "Avdelning A1" in text and "Avdelning B1" not in text and "förbundet" not in text
    client.force_login(costs.leader)
    response = client.get(reverse("rapporter:kostnad_export", args=[2024, "xlsx"]))
    assert response.status_code == 200
    assert client.get(reverse("rapporter:kostnad_export", args=[2024, "pdf"])).status_code == 404
    assert Handelse.objects.filter(action="export").count() == 2

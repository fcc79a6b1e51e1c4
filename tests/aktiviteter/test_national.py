"""National activities (issue 16 §2): no NUTS area, logged by the project leader and the
working-life unit (``wlu``), the unit's only for departments outside the pilot; shown apart
in the list; counted as docs/raknregler.md says (rule 9).

The cast's pilot is SE21 (since 2019) and SE22 (since 2020). ``outside`` builds a department
in SE12, which does not take part; SE31 takes part from 2026 in the tests that need an area
joining later.
"""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from aktiviteter import importer, services
from aktiviteter.forms import AktivitetForm
from aktiviteter.models import Aktivitet
from aktiviteter.reporting import department_counts, report_data, trend_data
from avdelningar.access import scope_for
from avdelningar.models import NutsOmrade
from filer.imports import read_rows
from historik.models import Handelse
from tests import factories as f

from .helpers import csv_file, data, goals, make_aktivitet, make_forum, make_projekt, row

pytestmark = pytest.mark.django_db

N = Aktivitet.Niva.NATIONELL


@pytest.fixture
def outside(cast):
    """Department C1 in SE12, an area outside the pilot."""
    return f.AvdelningFactory(name="Avdelning C1", nuts_omrade=NutsOmrade.objects.get(code="SE12"))


def national(*, avdelningar=(), mal=(1,), date=datetime.date(2024, 3, 1), **kw):
    kw.setdefault("typ", Aktivitet.Typ.TVARGRUPPSMOTE)
    return make_aktivitet(None, niva=N, avdelningar=avdelningar, mal=mal, date=date, **kw)


def national_data(**kw):
    return data(None, niva=N, typ=Aktivitet.Typ.TVARGRUPPSMOTE, title="Tvärgruppsmöte", **kw)


# --- the model ---------------------------------------------------------------------------


def test_a_national_activity_has_no_area_and_an_area_activity_has_one(cast):
    """The named constraint, in the database (both databases run this test)."""
    assert national().is_national
    with transaction.atomic(), pytest.raises(IntegrityError):
        Aktivitet.objects.create(
            date=datetime.date(2024, 3, 1), typ="mote", title="x", niva=N, nuts_omrade=cast.se21
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Aktivitet.objects.create(date=datetime.date(2024, 3, 1), typ="mote", title="x")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Aktivitet.objects.create(
            date=datetime.date(2024, 3, 1),
            typ="mote",
            title="x",
            niva="okand",
            nuts_omrade=cast.se21,
        )
    assert Aktivitet.objects.count() == 1


def test_the_constraint_speaks_swedish(cast):
    a = Aktivitet(
        date=datetime.date(2024, 3, 1), typ="mote", title="x", niva=N, nuts_omrade=cast.se21
    )
    with pytest.raises(ValidationError) as exc:
        a.validate_constraints()
    assert "en nationell aktivitet har inget" in " ".join(exc.value.messages)


def test_the_national_types_of_work_exist():
    assert {"tvargruppsmote", "af_dialog", "stod"} <= set(Aktivitet.Typ.values)


# --- who logs: the services, every role --------------------------------------------------

READERS = ["steering", "board_national", "nobody"]
AREA_LOGGERS = [
    "board",
    "neighbour",
    "outsider",
    "changeleader",
    "coordinator",
    "other_coordinator",
]


@pytest.mark.parametrize("role", READERS)
def test_readers_log_nothing(cast, role):
    with pytest.raises(PermissionDenied, match=services.CANNOT_LOG):
        services.aktivitet_create(user=getattr(cast, role), data=national_data())


@pytest.mark.parametrize("role", AREA_LOGGERS)
def test_area_roles_do_not_log_national_activities(cast, role, outside):
    for avdelningar in ([], [outside], [cast.a1]):
        with pytest.raises(ValidationError) as exc:
            services.aktivitet_create(
                user=getattr(cast, role), data=national_data(avdelningar=avdelningar)
            )
        assert exc.value.message_dict["niva"] == [services.CANNOT_LOG_NATIONAL]
    assert not Aktivitet.objects.exists()


def test_the_project_leader_logs_any_national_activity(cast, outside):
    for avdelningar in ([], [outside], [cast.a1, cast.b1]):
        a = services.aktivitet_create(user=cast.leader, data=national_data(avdelningar=avdelningar))
        assert a.niva == N and a.nuts_omrade is None
    h = Handelse.objects.filter(model="aktiviteter.Aktivitet").first()
    assert h.changes["niva"] == N and h.nuts_omrade_id is None


def test_the_working_life_unit_logs_national_and_outside_the_pilot_only(cast, outside):
    wlu = cast.wlu
    assert services.aktivitet_create(user=wlu, data=national_data()).is_national
    assert services.aktivitet_create(user=wlu, data=national_data(avdelningar=[outside]))
    # A pilot department: the unit gets no coordinator's rights.
    with pytest.raises(ValidationError) as exc:
        services.aktivitet_create(user=wlu, data=national_data(avdelningar=[outside, cast.a1]))
    assert "Avdelning A1 är med i projektet 2024" in exc.value.message_dict["avdelningar"][0]
    # Nor an area activity, in the pilot or outside it.
    for nuts, deps in ((cast.se21, [cast.a1]), (outside.nuts_omrade, [outside])):
        with pytest.raises(ValidationError) as exc:
            services.aktivitet_create(user=wlu, data=data(nuts, avdelningar=deps))
        assert exc.value.message_dict["nuts_omrade"] == [services.ONLY_NATIONAL]
    assert Aktivitet.objects.count() == 2


def test_outside_the_pilot_is_decided_by_the_activitys_year(cast):
    se31 = NutsOmrade.objects.get(code="SE31")
    f.DeltagandeFactory(nuts_omrade=se31, joined_on=datetime.date(2026, 1, 1))
    d1 = f.AvdelningFactory(name="Avdelning D1", nuts_omrade=se31)
    before = national_data(avdelningar=[d1], date=datetime.date(2025, 11, 3))
    assert services.aktivitet_create(user=cast.wlu, data=before)
    with pytest.raises(ValidationError):
        services.aktivitet_create(
            user=cast.wlu, data=national_data(avdelningar=[d1], date=datetime.date(2026, 2, 3))
        )


def test_a_national_activity_has_no_forum(cast):
    with pytest.raises(ValidationError) as exc:
        services.aktivitet_create(user=cast.leader, data=national_data(forum=make_forum(cast.se21)))
    assert "forum" in exc.value.message_dict


# --- change and delete -------------------------------------------------------------------


def _may(user, a):
    scope = scope_for(user)
    return a.can_edit(scope), a.can_delete(scope)


def test_change_and_delete_follow_who_may_log_it(cast, outside):
    own = national(avdelningar=[outside])  # the unit may log it
    pilot = national(avdelningar=[cast.a1])  # the unit may not
    bare = national()
    assert _may(cast.leader, own) == _may(cast.leader, pilot) == (True, True)
    assert _may(cast.wlu, own) == _may(cast.wlu, bare) == (True, True)
    assert _may(cast.wlu, pilot) == (False, False)
    # A1's own users and SE21's coordinator see the pilot one, and only read it.
    for role in ("board", "changeleader", "coordinator", "steering"):
        assert _may(getattr(cast, role), pilot) == (False, False), role
    # The unit changes no area activity.
    area = make_aktivitet(cast.se21, avdelningar=[cast.a1])
    assert _may(cast.wlu, area) == (False, False)


def test_the_services_refuse_with_the_pages_words(cast):
    pilot = national(avdelningar=[cast.a1])
    with pytest.raises(PermissionDenied, match=services.READ_ONLY):
        services.aktivitet_update(
            aktivitet=pilot, user=cast.wlu, data=national_data(), expected_version=0
        )
    with pytest.raises(PermissionDenied, match=services.CANNOT_DELETE_NATIONAL):
        services.aktivitet_delete(aktivitet=pilot, user=cast.coordinator)
    services.aktivitet_delete(aktivitet=pilot, user=cast.leader)
    assert not Aktivitet.objects.exists()


def test_the_leader_moves_an_activity_to_national_and_back(cast):
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1])
    services.aktivitet_update(
        aktivitet=a, user=cast.leader, data=national_data(), expected_version=0
    )
    a.refresh_from_db()
    assert a.is_national and a.niva == N
    services.aktivitet_update(
        # No level named: an area's activity, as before national ones existed.
        aktivitet=a,
        user=cast.leader,
        data=data(cast.se21),
        expected_version=1,
    )
    a.refresh_from_db()
    assert a.nuts_omrade == cast.se21 and a.niva == "omrade"


# --- the form and the pages --------------------------------------------------------------


def post(**kw):
    d = {
        "title": "Tvärgruppsmöte",
        "typ": "tvargruppsmote",
        "date": "2024-05-02",
        "verksamhetsmal": [g.pk for g in goals(3)],
        "participants_women": 0,
        "participants_men": 0,
        "participants_other": 0,
    }
    d.update(kw)
    return d


def test_the_form_offers_the_level_to_the_leader_only(cast):
    leader = AktivitetForm(scope=scope_for(cast.leader))
    assert leader.chooses_niva and leader.logs_area
    for role in ("coordinator", "board", "changeleader"):
        form = AktivitetForm(scope=scope_for(getattr(cast, role)))
        assert not form.chooses_niva and form.logs_area, role
    wlu = AktivitetForm(scope=scope_for(cast.wlu))
    assert not wlu.chooses_niva and not wlu.logs_area


def test_the_wlu_form_offers_departments_outside_the_pilot(cast, outside):
    form = AktivitetForm(scope=scope_for(cast.wlu))
    assert list(form.fields["avdelningar"].queryset) == [outside]
    assert not form.fields["nuts_omrade"].queryset.exists()


def test_a_coordinator_cannot_post_a_national_activity(client, cast):
    client.force_login(cast.coordinator)
    r = client.post("/aktiviteter/ny/", post(niva=N, avdelningar=[cast.a1.pk]))
    assert r.status_code == 200 and not Aktivitet.objects.exists()


def test_the_leader_logs_a_national_activity_in_the_form(client, cast):
    client.force_login(cast.leader)
    page = client.get("/aktiviteter/ny/").content.decode()
    assert "Nationell (inget område)" in page
    # National with an area: refused on the area field.
    r = client.post("/aktiviteter/ny/", post(niva=N, nuts_omrade=cast.se21.pk))
    assert "En nationell aktivitet har inget NUTS-område." in r.content.decode()
    # An area activity still needs its area.
    r = client.post("/aktiviteter/ny/", post(niva="omrade"))
    assert r.status_code == 200 and not Aktivitet.objects.exists()
    r = client.post("/aktiviteter/ny/", post(niva=N, avdelningar=[cast.a1.pk, cast.b1.pk]))
    a = Aktivitet.objects.get()
    assert r.status_code == 302 and a.is_national and a.avdelningar.count() == 2


def test_the_wlu_logs_for_a_department_outside_the_pilot(client, cast, outside):
    client.force_login(cast.wlu)
    page = client.get("/aktiviteter/ny/").content.decode()
    assert "Arbetslivsenheten loggar nationella" in page and 'name="nuts_omrade"' not in page
    r = client.post("/aktiviteter/ny/", post(typ="stod", avdelningar=[outside.pk]))
    assert r.status_code == 302, r.content.decode()[:3000]
    a = Aktivitet.objects.get()
    assert a.is_national and list(a.avdelningar.all()) == [outside] and a.created_by == cast.wlu
    # A pilot department is not among the choices.
    r = client.post("/aktiviteter/ny/", post(typ="stod", avdelningar=[cast.a1.pk]))
    assert r.status_code == 200 and Aktivitet.objects.count() == 1


def test_the_wlu_pages(client, cast, outside):
    """The working-life unit's answers (it is not a column of the access matrix)."""
    own = national(avdelningar=[outside], next_step="Boka uppföljning")
    pilot = national(avdelningar=[cast.a1], next_step="Boka uppföljning")
    area = make_aktivitet(cast.se21, avdelningar=[cast.a1], next_step="Boka uppföljning")
    client.force_login(cast.wlu)
    expected = [
        ("get", "/aktiviteter/ny/", 200),
        ("get", "/aktiviteter/import/", 200),
        ("get", f"/aktiviteter/{own.pk}/", 200),
        ("get", f"/aktiviteter/{pilot.pk}/", 200),
        ("get", f"/aktiviteter/{area.pk}/", 200),
        ("get", f"/aktiviteter/{own.pk}/andra/", 200),
        ("get", f"/aktiviteter/{pilot.pk}/andra/", 403),
        ("get", f"/aktiviteter/{area.pk}/andra/", 403),
        ("get", f"/aktiviteter/{own.pk}/ta-bort/", 200),
        ("get", f"/aktiviteter/{pilot.pk}/ta-bort/", 403),
        ("get", f"/aktiviteter/{area.pk}/ta-bort/", 403),
        ("post", f"/aktiviteter/{pilot.pk}/nasta-steg-klart/", 403),
        ("post", f"/aktiviteter/{area.pk}/nasta-steg-klart/", 403),
        ("post", f"/aktiviteter/{own.pk}/nasta-steg-klart/", 302),
        ("get", "/aktiviteter/999999/", 404),
        ("get", "/aktiviteter/aktorer/ny/", 403),
    ]
    answers = [(m, url, getattr(client, m)(url).status_code) for m, url, _ in expected]
    assert answers == expected
    r = client.get(f"/aktiviteter/{pilot.pk}/ta-bort/")
    assert services.CANNOT_DELETE_NATIONAL in r.content.decode()


# --- shown apart ---------------------------------------------------------------------------


def test_the_list_shows_national_activities_apart(client, cast):
    national(title="Dialogen med AF i Stockholm", typ="af_dialog")
    make_aktivitet(cast.se21, avdelningar=[cast.a1], title="Möte i Småland")
    client.force_login(cast.leader)
    page = client.get("/aktiviteter/").content.decode()
    assert "Dialogen med AF i Stockholm" in page and "Möte i Småland" in page
    assert page.count('badge text-bg-info">Nationell<') == 1
    only = client.get("/aktiviteter/?niva=nationell").content.decode()
    assert "Dialogen med AF i Stockholm" in only and "Möte i Småland" not in only
    assert "1 aktivitet " in only
    areas = client.get("/aktiviteter/?niva=omrade").content.decode()
    assert "Dialogen med AF" not in areas and "Möte i Småland" in areas
    # The area filter: the area's activities, never a national one.
    se21 = client.get(f"/aktiviteter/?omrade={cast.se21.pk}").content.decode()
    assert "Möte i Småland" in se21 and "Dialogen med AF" not in se21


def test_the_detail_page_labels_it(client, cast):
    a = national(avdelningar=[cast.a1])
    client.force_login(cast.board)
    page = client.get(f"/aktiviteter/{a.pk}/").content.decode()
    assert 'badge text-bg-info">Nationell<' in page
    assert f"/aktiviteter/{a.pk}/andra/" not in page  # A1's board reads it, does not change it


def test_a_national_activity_is_seen_through_its_departments(client, cast, outside):
    a = national(avdelningar=[cast.a1])
    client.force_login(cast.outsider)
    assert client.get(f"/aktiviteter/{a.pk}/").status_code == 404
    client.force_login(cast.coordinator)
    assert client.get(f"/aktiviteter/{a.pk}/").status_code == 200
    client.force_login(cast.other_coordinator)
    assert client.get(f"/aktiviteter/{a.pk}/").status_code == 404


# --- counted as docs/raknregler.md says ---------------------------------------------------


def build(cast, outside):
    d = datetime.date
    make_aktivitet(
        cast.se21, avdelningar=[cast.a1], mal=(1, 2), date=d(2024, 2, 1), participants_women=3
    )
    make_aktivitet(
        cast.se22, avdelningar=[cast.b1], mal=(8,), date=d(2024, 9, 1), participants_men=4
    )
    # National: with pilot departments of both areas, with one outside, with none.
    national(
        avdelningar=[cast.a1, cast.b1],
        mal=(3,),
        date=d(2024, 4, 1),
        participants_women=5,
        participants_men=6,
    )
    national(
        avdelningar=[outside], mal=(2, 5), typ="stod", date=d(2024, 6, 1), participants_other=1
    )
    national(mal=(1,), typ="af_dialog", date=d(2024, 10, 1), participants_men=2)
    national(mal=(1,), typ="af_dialog", date=d(2023, 10, 1))


def independent(year, codes=None):
    """The rules of docs/raknregler.md recomputed in Python, row by row."""
    rows = Aktivitet.objects.filter(date__year=year).prefetch_related(
        "avdelningar__nuts_omrade", "verksamhetsmal"
    )
    area_acts, nat = [], []
    for a in rows:
        if a.nuts_omrade is None:
            nat.append(a)
            continue
        areas = {a.nuts_omrade.code} | {x.nuts_omrade.code for x in a.avdelningar.all()}
        if codes is None or areas & set(codes):
            area_acts.append((a, areas))
    counted = [a for a, _ in area_acts] + (nat if codes is None else [])
    by_area = Counter(c for _, areas in area_acts for c in areas if codes is None or c in codes)

    def goals_of(acts):
        c = Counter(str(g.number) for a in acts for g in a.verksamhetsmal.all())
        return {str(n): c.get(str(n), 0) for n in range(1, 9)}

    def people(acts):
        return {
            "women": sum(a.participants_women for a in acts),
            "men": sum(a.participants_men for a in acts),
            "other": sum(a.participants_other for a in acts),
        }

    shown_nat = nat if codes is None else []
    return {
        "total": len(counted),
        "by_area": dict(by_area),
        "by_goal": goals_of(counted),
        "participants": people(counted),
        "by_type": dict(Counter(a.get_typ_display() for a in counted)),
        "national": {
            "total": len(shown_nat),
            "by_type": dict(Counter(a.get_typ_display() for a in shown_nat)),
            "by_goal": goals_of(shown_nat),
            "participants": people(shown_nat),
        },
    }


def test_report_data_counts_national_activities_apart(cast, outside):
    build(cast, outside)
    data = report_data(year=2024)
    exp = independent(2024)
    assert data["total"] == exp["total"] == 5  # two areas' and three national, once each
    assert data["by_area"] == exp["by_area"] == {"SE21": 1, "SE22": 1}
    assert data["by_goal"] == exp["by_goal"]
    assert data["participants"] == exp["participants"]
    assert data["by_type"] == exp["by_type"]
    assert data["national"] == exp["national"]
    assert data["national"]["total"] == 3 and data["national"]["by_goal"]["1"] == 1
    assert set(data["by_area_goal"]) == {"SE21", "SE22"}
    assert data["by_area_goal"]["SE21"]["3"] == data["by_area_goal"]["SE22"]["3"] == 0


@pytest.mark.parametrize("code", ["SE21", "SE22"])
def test_an_areas_report_has_no_national_activity(cast, outside, code):
    build(cast, outside)
    nuts_ids = [getattr(cast, code.lower()).pk]
    data = report_data(year=2024, nuts_ids=nuts_ids)
    exp = independent(2024, codes=[code])
    assert data["total"] == exp["total"] == 1
    assert data["by_goal"] == exp["by_goal"] and data["by_area"] == {code: 1}
    assert data["national"] == exp["national"] and data["national"]["total"] == 0


def test_the_report_asks_no_more_queries_for_national_activities(
    cast, outside, django_assert_num_queries
):
    """The national part is split from the same grouped queries: the same count with and
    without national activities (tests/aktiviteter/test_reporting.py pins it)."""
    build(cast, outside)
    make_projekt([cast.se21], start=datetime.date(2024, 1, 1))
    with django_assert_num_queries(9):
        report_data(year=2024)
    with django_assert_num_queries(4):
        trend_data(first_year=2022, last_year=2025)
    Aktivitet.objects.national().delete()
    with django_assert_num_queries(9):
        report_data(year=2024)


def test_trend_data_counts_national_activities_apart(cast, outside):
    build(cast, outside)
    trend = trend_data(first_year=2022, last_year=2025)
    for year, t in trend.items():
        exp = independent(year)
        assert t["total"] == exp["total"], year
        assert t["by_area"] == exp["by_area"], year
        assert t["national"] == {
            "total": exp["national"]["total"],
            "participants": exp["national"]["participants"],
        }, year
    assert trend[2023]["national"]["total"] == 1 and trend[2024]["national"]["total"] == 3
    area = trend_data(first_year=2024, last_year=2024, nuts_ids=[cast.se21.pk])
    assert area[2024]["total"] == 1 and area[2024]["national"]["total"] == 0


def test_a_national_activity_counts_for_its_departments(cast, outside):
    """The key-figure comparison reads activities per department: the unit's support to a
    department outside the pilot counts for that department, and for no area."""
    build(cast, outside)
    counts = department_counts(year=2024)
    assert counts == {cast.a1.pk: 2, cast.b1.pk: 2, outside.pk: 1}
    assert "SE12" not in report_data(year=2024)["by_area"]


# --- the import: an empty area column is national ----------------------------------------


def _check(cast, user, *lines):
    return importer.check(
        read_rows(csv_file(cast, *lines), required_headers=importer.REQUIRED), user=user
    )


def test_an_empty_area_imports_a_national_activity(cast, outside):
    plan = _check(
        cast,
        cast.leader,
        row(title="Tvärgruppsmöte i Stockholm", area=""),
        row(title="Möte med regionen", area="SE21"),
    )
    assert plan.errors == [] and len(plan.ready) == 2
    assert importer.save(plan, user=cast.leader) == 2
    a = Aktivitet.objects.get(title="Tvärgruppsmöte i Stockholm")
    assert a.is_national and a.niva == N
    assert Aktivitet.objects.get(title="Möte med regionen").nuts_omrade == cast.se21
    # The same file again: both skipped, the national row by its key with an empty area.
    again = _check(cast, cast.leader, row(title="Tvärgruppsmöte i Stockholm", area=""))
    assert again.skipped and not again.ready


@pytest.mark.parametrize("role", ["coordinator", "board", "changeleader"])
def test_only_those_who_log_national_activities_import_them(cast, role):
    plan = _check(cast, getattr(cast, role), row(area="", avd="Avdelning A1"))
    assert [m for _n, m in plan.errors] == [services.CANNOT_LOG_NATIONAL]


def test_the_wlu_imports_national_rows_outside_the_pilot_only(cast, outside):
    plan = _check(
        cast,
        cast.wlu,
        row(title="Stöd i C1", area="", avd="Avdelning C1"),
        row(title="Stöd i A1", area="", avd="Avdelning A1"),
        row(title="Möte i SE21", area="SE21", avd="Avdelning A1"),
        row(title="Dialog med AF", area="", avd=""),
    )
    errors = dict(plan.errors)
    assert [n for n, *_ in plan.ready] == [2, 5]
    assert "Avdelning A1 är med i projektet 2023" in errors[3]
    assert errors[4] == services.ONLY_NATIONAL
    assert importer.save(_check(cast, cast.wlu, row(area="", avd="Avdelning C1")), user=cast.wlu)
    assert Aktivitet.objects.national().get().avdelningar.get() == outside


def test_a_national_row_has_no_forum(cast):
    line = row(area="")
    line[importer.HEADERS.index("forum")] = "Industrirådet"
    plan = _check(cast, cast.leader, line)
    assert [m for _n, m in plan.errors] == [services.NATIONAL_NO_FORUM]


def test_the_wlu_changes_its_own_activity_in_the_form(client, cast, outside):
    a = national(avdelningar=[outside], typ="stod", title="Stöd i C1")
    client.force_login(cast.wlu)
    r = client.post(
        f"/aktiviteter/{a.pk}/andra/",
        post(typ="stod", title="Stöd i C1, uppföljning", avdelningar=[outside.pk], version=0),
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.title == "Stöd i C1, uppföljning" and a.is_national and a.updated_by == cast.wlu


def test_the_export_writes_a_national_activity_without_an_area(client, cast):
    national(title="Dialogen med AF i Stockholm")
    client.force_login(cast.leader)
    text = b"".join(client.get("/aktiviteter/export.csv?niva=nationell").streaming_content)
    lines = [line for line in text.decode("utf-8-sig").splitlines() if line]
    assert len(lines) == 2 and "Dialogen med AF i Stockholm" in lines[1]
    header = lines[0].split(";")
    assert lines[1].split(";")[header.index("NUTS-område")] == ""

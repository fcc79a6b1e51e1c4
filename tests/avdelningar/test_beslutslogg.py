"""The decision log: the model's constraints, the services (their right, the trail, the
links, the optimistic lock), and the report's section, frozen with the snapshot."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from avdelningar import services
from avdelningar.models import Projektbeslut, ProjektbeslutLank, check_beslut_url
from historik.models import Handelse
from historik.services import ConflictError
from rapporter.models import Rapportversion
from rapporter.render import workbook_sheets
from rapporter.snapshot import gather

pytestmark = pytest.mark.django_db

T, ORG = Projektbeslut.Typ, Projektbeslut.Organ
DAY = datetime.date(2024, 3, 14)


def record(user, **kwargs):
    data = {
        "kind": T.OMFATTNING,
        "body": ORG.STYRGRUPP,
        "decided_on": DAY,
        "title": "Projektgruppen breddas",
    }
    data.update(kwargs)
    return services.projektbeslut_record(user=user, **data)


# --- the model ---------------------------------------------------------------------------


def _insert(**kwargs):
    data = {"kind": "start", "body": "styrgrupp", "decided_on": DAY, "title": "Start"}
    data.update(kwargs)
    with transaction.atomic():
        Projektbeslut.objects.create(**data)


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "paus"},
        {"body": "kongressen"},
        {"kind": "utvidgning", "body": "styrgrupp"},
        {"title": ""},
    ],
)
def test_the_database_refuses_what_the_log_cannot_hold(bad):
    with pytest.raises(IntegrityError):
        _insert(**bad)
    assert not Projektbeslut.objects.exists()


def test_an_expansion_decided_by_the_national_board_is_accepted():
    _insert(kind="utvidgning", body="forbundsstyrelse")
    assert Projektbeslut.objects.get().get_body_display() == "Förbundsstyrelsen"


@pytest.mark.parametrize(
    "url",
    ["/rapporter/", "/omrade/SE22/", "https://www.ifmetall.se/", "https://example.org/a?b=1"],
)
def test_a_link_is_a_path_in_the_app_or_an_https_address(url):
    assert check_beslut_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://example.org/",
        "//evil.example/",
        "/\\evil.example/",
        "https://",
        "rapporter/",
        "/rapporter/ x",
        "ftp://example.org/",
    ],
)
def test_any_other_link_is_refused(url):
    with pytest.raises(ValidationError):
        check_beslut_url(url)


def test_the_database_refuses_an_unsafe_link_too(cast):
    beslut = record(cast.leader)
    for url in ("javascript:alert(1)", "//evil.example/", "http://example.org/"):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjektbeslutLank.objects.create(beslut=beslut, label="x", url=url)
    assert not beslut.lankar.exists()


# --- the services ------------------------------------------------------------------------


def test_the_project_leader_records_a_decision_with_links_and_the_trail_has_it(cast):
    beslut = record(
        cast.leader,
        paragraph="§ 7",
        nuts_omrade=cast.se22,
        links=[("Rapporterna", "/rapporter/"), {"label": "IF Metall", "url": "https://x.se/"}],
    )
    assert [(link.label, link.url) for link in beslut.lankar.all()] == [
        ("Rapporterna", "/rapporter/"),
        ("IF Metall", "https://x.se/"),
    ]
    row = Handelse.objects.get(model="avdelningar.Projektbeslut", object_id=str(beslut.pk))
    assert row.action == Handelse.Action.CREATE and row.user == cast.leader
    assert row.nuts_omrade_id == cast.se22.pk
    assert row.changes["title"] == [None, "Projektgruppen breddas"]
    assert row.changes["lankar"][1] == ["Rapporterna (/rapporter/)", "IF Metall (https://x.se/)"]


@pytest.mark.parametrize("role", ["steering", "board_national", "wlu", "coordinator", "board"])
def test_no_one_else_records_a_decision_the_service_asks_itself(cast, role):
    with pytest.raises(PermissionDenied):
        record(getattr(cast, role))
    assert not Projektbeslut.objects.exists()
    assert not Handelse.objects.filter(model="avdelningar.Projektbeslut").exists()


def test_an_admin_without_an_assignment_records_nothing(cast, root):
    with pytest.raises(PermissionDenied):
        record(root)


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"kind": T.UTVIDGNING, "body": ORG.STYRGRUPP}, None),
        ({"decided_on": datetime.date.today() + datetime.timedelta(days=1)}, "decided_on"),
        ({"title": "  "}, "title"),
        ({"kind": "paus"}, "kind"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_a_bad_decision_is_refused_with_a_message_and_nothing_is_saved(cast, bad, field):
    with pytest.raises(ValidationError) as exc:
        record(cast.leader, **bad)
    if field:
        assert field in exc.value.message_dict
    else:
        assert "förbundsstyrelsen" in str(exc.value)
    assert not Projektbeslut.objects.exists()


def test_a_bad_link_refuses_the_whole_decision(cast):
    with pytest.raises(ValidationError):
        record(cast.leader, links=[("Bra", "/mal/"), ("Dålig", "javascript:alert(1)")])
    assert not Projektbeslut.objects.exists()
    assert not ProjektbeslutLank.objects.exists()


def test_an_edit_replaces_the_links_and_records_what_changed(cast):
    beslut = record(cast.leader, links=[("Gammal", "/mal/")])
    services.projektbeslut_update(
        beslut=beslut,
        user=cast.leader,
        expected_version=beslut.version,
        kind=T.OMFATTNING,
        body=ORG.STYRGRUPP,
        decided_on=DAY,
        title="Projektgruppen breddas",
        paragraph="§ 9",
        links=[("Ny", "/rapporter/")],
    )
    beslut.refresh_from_db()
    assert beslut.paragraph == "§ 9" and beslut.updated_by == cast.leader
    assert [link.label for link in beslut.lankar.all()] == ["Ny"]
    row = Handelse.objects.filter(action=Handelse.Action.UPDATE).get()
    assert row.changes == {
        "paragraph": ["", "§ 9"],
        "lankar": [["Gammal (/mal/)"], ["Ny (/rapporter/)"]],
    }


def test_an_edit_from_an_old_form_is_refused_and_changes_nothing(cast):
    beslut = record(cast.leader, links=[("Kvar", "/mal/")])
    loaded = beslut.version
    fields = {"kind": T.OMFATTNING, "body": ORG.STYRGRUPP, "decided_on": DAY}
    services.projektbeslut_update(
        beslut=Projektbeslut.objects.get(pk=beslut.pk),
        user=cast.leader,
        expected_version=loaded,
        title="Först",
        **fields,
    )
    with pytest.raises(ConflictError):
        services.projektbeslut_update(
            beslut=Projektbeslut.objects.get(pk=beslut.pk),
            user=cast.leader,
            expected_version=loaded,
            title="Sedan",
            links=[],
            **fields,
        )
    beslut.refresh_from_db()
    assert beslut.title == "Först"
    assert [link.label for link in beslut.lankar.all()] == ["Kvar"]


def test_the_steering_group_cannot_edit_through_the_service(cast):
    beslut = record(cast.leader)
    with pytest.raises(PermissionDenied):
        services.projektbeslut_update(
            beslut=beslut,
            user=cast.steering,
            expected_version=beslut.version,
            kind=T.STOPP,
            body=ORG.STYRGRUPP,
            decided_on=DAY,
            title="Stopp",
        )
    beslut.refresh_from_db()
    assert beslut.kind == T.OMFATTNING


# --- the report ----------------------------------------------------------------------------


def test_the_report_lists_the_years_decisions_and_an_area_edition_its_own(cast):
    record(cast.leader, title="Hela projektet 2024", links=[("Mål", "/mal/")])
    record(cast.leader, title="Sydsverige 2024", nuts_omrade=cast.se22)
    record(cast.leader, title="Förra året", decided_on=datetime.date(2023, 5, 2))
    full = gather(year=2024, edition=Rapportversion.Edition.STYRGRUPP)
    assert [b["title"] for b in full["beslutslogg"]] == ["Hela projektet 2024", "Sydsverige 2024"]
    assert full["beslutslogg"][0]["links"] == [{"label": "Mål", "url": "/mal/"}]
    assert full["beslutslogg"][1]["area"] == "SE22"
    short = gather(year=2024, edition=Rapportversion.Edition.FORBUNDSSTYRELSE)
    assert len(short["beslutslogg"]) == 2
    se21 = gather(year=2024, nuts_omrade=cast.se21, edition=Rapportversion.Edition.STYRGRUPP)
    assert [b["title"] for b in se21["beslutslogg"]] == ["Hela projektet 2024"]


def test_the_workbook_lists_the_years_decisions(cast):
    record(cast.leader, title="Hela projektet 2024", links=[("Mål", "/mal/")])
    full = gather(year=2024, edition=Rapportversion.Edition.STYRGRUPP)
    _title, header, rows = next(s for s in workbook_sheets(full) if s[0] == "Beslut")
    assert header[:4] == ["Datum", "Organ", "Typ", "Beslut"]
    ((row),) = rows
    assert row[3] == "Hela projektet 2024" and row[7] == "Mål: /mal/"
    # A year without decisions has no sheet.
    empty = gather(year=2022, edition=Rapportversion.Edition.STYRGRUPP)
    assert "Beslut" not in [s[0] for s in workbook_sheets(empty)]


def test_the_report_section_takes_a_constant_number_of_queries(cast, django_assert_num_queries):
    from rapporter.snapshot import _beslutslogg

    for n in range(5):
        record(cast.leader, title=f"Beslut {n}", links=[("A", "/a/"), ("B", "/b/")])
    with django_assert_num_queries(2):
        assert len(_beslutslogg(2024, None)) == 5


def _compiled(edition, approve_by=None):
    from rapporter import services as rapporter_services

    v = rapporter_services.rapport_request(year=2024, edition=edition, enqueue=False)
    v = rapporter_services.rapport_compile(version_id=v.pk)
    if approve_by is not None:
        v = rapporter_services.rapport_approve(version=v, user=approve_by)
    return v


@pytest.mark.parametrize("edition", Rapportversion.Edition.values)
def test_an_approved_report_keeps_the_decisions_as_they_were(client, cast, edition):
    beslut = record(cast.leader, title="Som det beslutades", links=[("Målen", "/mal/")])
    version = _compiled(edition, approve_by=cast.steering)
    services.projektbeslut_update(
        beslut=beslut,
        user=cast.leader,
        expected_version=beslut.version,
        kind=T.OMFATTNING,
        body=ORG.STYRGRUPP,
        decided_on=DAY,
        title="Ändrat efteråt",
        links=[],
    )
    record(cast.leader, title="Fört in efteråt")
    client.force_login(cast.board_national)
    body = client.get(version.get_absolute_url()).content.decode()
    assert "Beslut om projektet 2024" in body
    assert "Som det beslutades" in body and 'href="/mal/"' in body
    assert "Ändrat efteråt" not in body and "Fört in efteråt" not in body


def test_a_report_without_decisions_says_so(client, cast):
    version = _compiled(Rapportversion.Edition.STYRGRUPP)
    client.force_login(cast.leader)
    body = client.get(version.get_absolute_url()).content.decode()
    assert "Inga beslut om projektet fördes in i beslutsloggen under 2024." in body

"""The decision log's pages: the list (newest first, filters, a pinned query count), one
decision, the forms (links as a formset, bad input refused with a message), and the roles
the access matrix has no column for (the working-life unit, a department outside the
pilot)."""

import datetime

import pytest
from django.urls import reverse

from avdelningar import services
from avdelningar.models import NutsOmrade, Projektbeslut, Roll
from tests import factories as f
from tests.helpers import management

pytestmark = pytest.mark.django_db

T, ORG = Projektbeslut.Typ, Projektbeslut.Organ


def record(user, title, day, **kwargs):
    data = {"kind": T.OMFATTNING, "body": ORG.STYRGRUPP}
    data.update(kwargs)
    return services.projektbeslut_record(user=user, title=title, decided_on=day, **data)


def form_data(**overrides):
    data = {
        "decided_on": "2024-05-02",
        "body": "styrgrupp",
        "kind": "omfattning",
        "title": "Projektgruppen breddas",
        "paragraph": "§ 3",
        "nuts_omrade": "",
        "description": "Fler verksamheter in i projektgruppen.",
        "version": "0",
        **management("lankar", 2),
        "lankar-0-label": "Rapporterna",
        "lankar-0-url": "/rapporter/",
        "lankar-1-label": "",
        "lankar-1-url": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def log(cast):
    record(cast.leader, "Start i SE21", datetime.date(2019, 1, 1), kind=T.START)
    record(
        cast.leader,
        "Sydsverige med",
        datetime.date(2019, 11, 28),
        kind=T.UTVIDGNING,
        body=ORG.FORBUNDSSTYRELSE,
        links=[("Sydsverige", "/omrade/SE22/")],
    )
    record(cast.leader, "Förlängning", datetime.date(2020, 9, 24))
    return cast


def page(client, user, url):
    client.force_login(user)
    r = client.get(url)
    assert r.status_code == 200
    return r.content.decode()


def test_the_log_is_newest_first_and_filters_by_year_and_kind(client, log):
    body = page(client, log.steering, reverse("beslutslogg"))
    assert body.index("Förlängning") < body.index("Sydsverige med") < body.index("Start i SE21")
    assert 'href="/omrade/SE22/"' in body
    assert "För in beslut" not in body  # the steering group reads
    by_year = page(client, log.steering, reverse("beslutslogg") + "?ar=2019")
    assert "Start i SE21" in by_year and "Sydsverige med" in by_year
    assert "Förlängning" not in by_year
    by_kind = page(client, log.steering, reverse("beslutslogg") + "?slag=utvidgning")
    assert "Sydsverige med" in by_kind and "Start i SE21" not in by_kind
    # An unknown year or kind shows everything, not an error.
    assert "Förlängning" in page(client, log.steering, reverse("beslutslogg") + "?ar=abc&slag=x")


def test_the_list_takes_the_same_queries_however_many_decisions(
    client, log, django_assert_num_queries
):
    client.force_login(log.leader)
    url = reverse("beslutslogg")
    client.get(url)  # the session's first request refreshes it once
    # session, user, assignments (scope), years, decisions, their links.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    for n in range(10):
        record(log.leader, f"Fler {n}", datetime.date(2021, 1, 1 + n), links=[("A", "/a/")])
    with django_assert_num_queries(6):
        body = client.get(url).content.decode()
    assert "Fler 9" in body


def test_the_detail_shows_links_and_history(client, log):
    beslut = Projektbeslut.objects.get(title="Sydsverige med")
    body = page(client, log.board_national, beslut.get_absolute_url())
    assert "Förbundsstyrelsen" in body and "Utvidgning" in body
    assert 'href="/omrade/SE22/"' in body
    assert "Historik" in body and "skapad" in body
    assert "Ändra beslutet" not in body
    assert "Ändra beslutet" in page(client, log.leader, beslut.get_absolute_url())


def test_the_project_leader_records_a_decision_with_a_link(client, cast):
    client.force_login(cast.leader)
    r = client.post(reverse("beslut_ny"), form_data())
    beslut = Projektbeslut.objects.get()
    assert r.status_code == 302 and r["Location"] == beslut.get_absolute_url()
    assert beslut.created_by == cast.leader and beslut.paragraph == "§ 3"
    assert [(link.label, link.url) for link in beslut.lankar.all()] == [
        ("Rapporterna", "/rapporter/")
    ]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"lankar-0-url": "javascript:alert(1)"}, "https://-adress"),
        ({"lankar-0-url": "http://example.org/"}, "https://-adress"),
        ({"lankar-0-url": "//evil.example/"}, "https://-adress"),
        ({"lankar-0-label": ""}, "Skriv en text för länken."),
        ({"kind": "utvidgning"}, "förbundsstyrelsen beslutar"),
        ({"decided_on": "2999-01-01"}, "kan inte ligga i framtiden"),
        ({"title": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(client, cast, overrides, message):
    client.force_login(cast.leader)
    r = client.post(reverse("beslut_ny"), form_data(**overrides))
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Projektbeslut.objects.exists()


def test_editing_keeps_the_form_on_a_conflict(client, log):
    beslut = Projektbeslut.objects.get(title="Förlängning")
    url = reverse("beslut_andra", args=[beslut.pk])
    body = page(client, log.leader, url)
    assert 'value="Förlängning"' in body
    stale = beslut.version
    ok = client.post(url, form_data(title="Förlängning till 2023", version=str(stale)))
    assert ok.status_code == 302
    r = client.post(url, form_data(title="Något annat", version=str(stale)))
    assert r.status_code == 400
    assert "Någon annan har sparat" in r.content.decode()
    assert 'value="Något annat"' in r.content.decode()
    beslut.refresh_from_db()
    assert beslut.title == "Förlängning till 2023"


def test_an_edit_can_remove_a_link(client, log):
    beslut = Projektbeslut.objects.get(title="Sydsverige med")
    client.force_login(log.leader)
    data = form_data(
        kind="utvidgning",
        body="forbundsstyrelse",
        title="Sydsverige med",
        version=str(beslut.version),
        **{"lankar-0-label": "", "lankar-0-url": ""},
    )
    r = client.post(reverse("beslut_andra", args=[beslut.pk]), data)
    assert r.status_code == 302
    assert not beslut.lankar.exists()


def test_the_working_life_unit_reads_and_a_department_outside_the_pilot_does_not(client, log):
    beslut = Projektbeslut.objects.get(title="Förlängning")
    assert "Förlängning" in page(client, log.wlu, reverse("beslutslogg"))
    client.force_login(log.wlu)
    assert client.get(reverse("beslut_ny")).status_code == 403
    assert client.post(reverse("beslut_andra", args=[beslut.pk]), form_data()).status_code == 403
    outside = f.AvdelningFactory(nuts_omrade=NutsOmrade.objects.get(code="SE33"))
    user = f.user_with_role("outside-board", Roll.STYRELSELEDAMOT, avdelning=outside)
    client.force_login(user)
    for url in (reverse("beslutslogg"), beslut.get_absolute_url(), reverse("beslut_ny")):
        assert client.get(url).status_code == 404


def test_the_nav_links_the_log_for_its_readers_only(client, log):
    link = f'href="{reverse("beslutslogg")}"'
    for reader in (log.leader, log.steering, log.board_national, log.wlu):
        assert link in page(client, reader, reverse("start"))
    for other in (log.coordinator, log.board, log.changeleader):
        assert link not in page(client, other, reverse("start"))


def test_the_nav_links_the_comparison_for_those_who_may_see_it(client, cast):
    link = f'href="{reverse("nyckeltal:jamforelse")}"'
    for user in (cast.leader, cast.steering, cast.wlu, cast.coordinator):
        assert link in page(client, user, reverse("start"))
    for user in (cast.board, cast.changeleader):
        assert link not in page(client, user, reverse("start"))

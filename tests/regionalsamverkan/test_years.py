"""Years the project cannot hold answer 404 on every page with a year, never 500
(issue 12 §1, issue 13 #7): year 0 and 10000 made datetime.date raise, 2147483648 and
larger overflowed, and ?ar=-1 broke a link on the report list."""

import datetime

import pytest
from django.urls import reverse

from avdelningar.models import Deltagande
from avdelningar.years import project_years

pytestmark = pytest.mark.django_db

BAD = [0, 1, 2017, 2028, 9999, 10000, 99999, 2**31, 2**63, 2**64]


def year_urls(cast, year):
    return [
        reverse("rapporter:kostnad", args=[year]),
        reverse("rapporter:kostnad_export", args=[year, "csv"]),
        reverse("rapporter:kostnad_export", args=[year, "xlsx"]),
        reverse("rapporter:berattelse", args=[year]),
        reverse("mal:avdelning_ar", args=[cast.a1.pk, year]),
        reverse("mal:ny_avdelning", args=[cast.a1.pk, year]),
        reverse("mal:omrade_ar", args=["SE21", year]),
        reverse("mal:ny_omrade", args=["SE21", year]),
        reverse("mal:nationellt", args=[year]),
        reverse("mal:ny_nationellt", args=[year]),
    ]


def test_project_years_come_from_the_participations(cast):
    today = datetime.date(2026, 12, 1)
    # The cast's SE21 joined in 2019: one year before it, to the year after today.
    assert project_years(today) == range(2018, 2028)
    Deltagande.objects.filter(nuts_omrade=cast.se22).update(left_on="2031-12-31")
    assert project_years(today) == range(2018, 2033)


def test_bad_years_answer_404_on_every_page_with_a_year(client, cast, monkeypatch):
    monkeypatch.setattr("avdelningar.years.timezone.localdate", lambda: datetime.date(2026, 6, 1))
    client.force_login(cast.leader)
    got = {url: client.get(url).status_code for y in BAD for url in year_urls(cast, y)}
    assert {url: s for url, s in got.items() if s != 404} == {}
    for url in year_urls(cast, 2024):
        assert client.get(url).status_code == 200, url
    # POSTed to a year outside the project: 404 too, nothing saved.
    r = client.post(reverse("rapporter:kostnad", args=[10000]), {"other": 1, "version": 0})
    assert r.status_code == 404


@pytest.mark.parametrize("ar", ["-1", "0", "10000", "2147483648", str(2**64), "9" * 5000])
def test_report_list_answers_404_for_a_year_outside_the_project(client, cast, ar):
    client.force_login(cast.leader)
    assert client.get(reverse("rapporter:list"), {"ar": ar}).status_code == 404


@pytest.mark.parametrize("ar", ["", "abc", "2024-01"])
def test_report_list_shows_last_year_for_a_year_that_is_not_a_number(client, cast, ar):
    client.force_login(cast.leader)
    r = client.get(reverse("rapporter:list"), {"ar": ar})
    assert r.status_code == 200
    assert r.context["year"] == datetime.date.today().year - 1

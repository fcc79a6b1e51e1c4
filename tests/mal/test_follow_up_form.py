"""The follow-up form: numbers first, then the status; halvår before helår; a status
that contradicts the numbers is saved only when confirmed; a reopened period shows the
department's open-until date where it shows the closing date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mal.forms import UppfoljningForm
from mal.models import Periodoppning, Uppfoljning, Uppfoljningsperiod

pytestmark = pytest.mark.django_db


def test_numbers_come_before_the_status(cast, mk):
    a = mk(cast.a1, status="approved", targets=2)
    targets = list(a.malvarden.order_by("pk"))
    names = list(UppfoljningForm(targets=targets).fields)
    assert names.index(f"actual_{targets[1].pk}") < names.index("status")
    assert names.index("status") < names.index("comment")


def test_halvar_comes_before_helar(cast, mk):
    Uppfoljningsperiod.ensure_year(2024)
    assert [p.kind for p in Uppfoljningsperiod.objects.filter(year=2024)] == ["halvar", "helar"]


def post(client, a, period, m, actual, status, **extra):
    url = reverse("mal:uppfoljning", args=[a.pk, period.pk])
    data = {f"actual_{m.pk}": actual, "status": status, "version": "0", **extra}
    return client.post(url, data)


@pytest.mark.parametrize(
    ("actual", "status", "warning"),
    [("10", "not_achieved", "Alla målvärden är nådda"), ("0", "achieved", "Utfallet är 0 %")],
)
def test_a_contradicting_status_asks_before_it_is_saved(
    client, cast, mk, periods, actual, status, warning
):
    a = mk(cast.a1, status="approved")  # one target of 10
    m = a.malvarden.get()
    client.force_login(cast.board)
    r = post(client, a, periods[0], m, actual, status)
    body = r.content.decode()
    assert r.status_code == 200 and warning in body and 'name="confirm"' in body
    assert not Uppfoljning.objects.exists()
    r = post(client, a, periods[0], m, actual, status, confirm="on")
    assert r.status_code == 302
    assert Uppfoljning.objects.get().status == status


def test_a_status_that_agrees_is_saved_at_once(client, cast, mk, periods):
    a = mk(cast.a1, status="approved")
    m = a.malvarden.get()
    client.force_login(cast.board)
    assert post(client, a, periods[0], m, "10", "achieved").status_code == 302
    assert post(client, a, periods[1], m, "3", "not_achieved").status_code == 302


def test_a_reopened_period_shows_the_departments_open_until_date(client, cast, mk):
    a = mk(cast.a1, status="approved")
    halvar, _ = Uppfoljningsperiod.ensure_year(2024)  # closed long ago (2024-08-31)
    until = timezone.localdate() + datetime.timedelta(days=10)
    Periodoppning.objects.create(
        period=halvar, avdelning=cast.a1, open_until=until, reason="Sjukdom", created_by=cast.leader
    )
    client.force_login(cast.board)
    body = client.get(reverse("mal:atagande", args=[a.pk])).content.decode()
    assert f"öppen för avdelningen till och med {until:%Y-%m-%d}" in body
    assert "stänger 2024-08-31" not in body
    body = client.get(reverse("mal:uppfoljning", args=[a.pk, halvar.pk])).content.decode()
    assert f"öppen för avdelningen till och med {until:%Y-%m-%d}" in body
    assert "Perioden stänger 2024-08-31" not in body
    # Another department's page keeps the closing date.
    other = mk(cast.a2, status="approved")
    client.force_login(cast.coordinator)
    body = client.get(reverse("mal:atagande", args=[other.pk])).content.decode()
    assert "stänger 2024-08-31" in body and "öppen för avdelningen" not in body

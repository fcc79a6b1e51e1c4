"""Who sees and enters key figures, for the roles the access matrix has no column for: the
working-life unit, and the users of a department outside the pilot. The matrix itself
(tests/security/tables/nyckeltal.py) covers the cast's roles on every URL."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from avdelningar.access import scope_for
from avdelningar.models import Deltagande
from nyckeltal.models import Nyckeltal

pytestmark = pytest.mark.django_db

YEAR = 2024


def status(client, user, name, *args, data=None):
    client.force_login(user)
    url = reverse(name, args=args)
    return (client.get(url) if data is None else client.post(url, data)).status_code


def save(client, user, avd, year=YEAR):
    return status(
        client, user, "nyckeltal:ar", avd.pk, year, data={"version": "0", "skills_men": "4"}
    )


def test_a_department_outside_the_pilot_sees_its_own_figures_only(client, union):
    c = union
    assert status(client, c.outside_board, "nyckeltal:avdelning", c.c1.pk) == 200
    assert status(client, c.outside_board, "nyckeltal:ar", c.c1.pk, YEAR) == 200
    for other in (c.a1, c.a2, c.b1):
        assert status(client, c.outside_board, "nyckeltal:avdelning", other.pk) == 404
        assert status(client, c.outside_board, "nyckeltal:ar", other.pk, YEAR) == 404
        assert status(client, c.outside_board, "avdelning", other.pk) == 404
        assert save(client, c.outside_board, other) == 404
    # Its board enters them; its change leader reads them.
    assert save(client, c.outside_board, c.c1) == 302
    assert status(client, c.outside_changeleader, "nyckeltal:ar", c.c1.pk, YEAR) == 200
    Nyckeltal.objects.all().delete()
    assert save(client, c.outside_changeleader, c.c1) == 403
    # The pilot's own people do not see it.
    for user in (c.board, c.outsider, c.coordinator, c.other_coordinator, c.changeleader):
        assert status(client, user, "nyckeltal:avdelning", c.c1.pk) == 404


def test_the_import_shows_an_outside_department_only_its_own_rows(client, union):
    c = union
    assert status(client, c.outside_board, "nyckeltal:import") == 200
    client.force_login(c.outside_board)
    r = client.get(reverse("nyckeltal:import_mall"))
    assert r.status_code == 200
    sheet = load_workbook(BytesIO(r.content)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Avdelning C1"]
    assert status(client, c.outside_changeleader, "nyckeltal:import") == 403


def test_the_working_life_unit_enters_figures_outside_the_pilot_and_reads_the_rest(client, union):
    c = union
    assert status(client, c.working_life, "nyckeltal:avdelning", c.a1.pk) == 200
    assert status(client, c.working_life, "nyckeltal:ar", c.a1.pk, YEAR) == 200
    assert save(client, c.working_life, c.c1) == 302
    # A pilot department has a coordinator: its figures are the department's to enter.
    assert save(client, c.working_life, c.a1) == 403
    assert save(client, c.working_life, c.b1) == 403
    # Sydsverige joined in 2020: for 2019 Avdelning B1 was outside the pilot.
    assert save(client, c.working_life, c.b1, 2019) == 302
    assert status(client, c.working_life, "nyckeltal:import") == 200
    # When SE33 joins, its departments' figures are theirs and the coordinator's.
    Deltagande.objects.create(nuts_omrade=c.se33, joined_on=datetime.date(2025, 1, 1))
    assert save(client, c.working_life, c.c1, 2025) == 403
    assert save(client, c.outside_board, c.c1, 2025) == 302


def test_the_predicates(union):
    c = union
    leader, life = scope_for(c.leader), scope_for(c.working_life)
    board, outside = scope_for(c.board), scope_for(c.outside_board)
    assert life.is_working_life_unit and life.enters_key_figures
    assert life.can_see_nyckeltal(c.a1) and life.can_see_nyckeltal(c.c1)
    assert life.can_edit_nyckeltal(c.c1, in_pilot=False)
    assert not life.can_edit_nyckeltal(c.a1, in_pilot=True)
    assert leader.can_edit_nyckeltal(c.a1, in_pilot=True)
    assert leader.can_edit_nyckeltal(c.c1, in_pilot=False)
    assert board.can_edit_nyckeltal(c.a1, in_pilot=True)
    assert not board.can_see_nyckeltal(c.c1)
    assert outside.can_edit_nyckeltal(c.c1, in_pilot=False)
    assert not outside.can_see_nyckeltal(c.a1)
    assert not scope_for(c.steering).enters_key_figures
    assert not scope_for(c.outside_changeleader).enters_key_figures
    assert timezone.localdate().year >= YEAR

"""The model's constraints hold in the database itself (PostgreSQL and SQLite), with Swedish
messages when a form or service validates first."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nyckeltal.models import Nyckeltal

pytestmark = pytest.mark.django_db


def test_one_row_per_department_and_year(cast):
    Nyckeltal.objects.create(avdelning=cast.a1, year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nyckeltal.objects.create(avdelning=cast.a1, year=2024)
    Nyckeltal.objects.create(avdelning=cast.a1, year=2025)
    Nyckeltal.objects.create(avdelning=cast.a2, year=2024)
    with pytest.raises(ValidationError) as exc:
        Nyckeltal(avdelning=cast.a1, year=2024).full_clean()
    assert "Avdelningen har redan nyckeltal för det året." in exc.value.messages


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"year": 1999}, "Året ska ligga mellan 2000 och 2100."),
        ({"year": 2101}, "Året ska ligga mellan 2000 och 2100."),
        ({"workplaces": 3, "workplaces_change_started": 4}, "kan inte vara fler"),
    ],
)
def test_checks_refuse_in_the_database_and_say_why(cast, fields, message):
    values = {"year": 2024, **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Nyckeltal.objects.create(avdelning=cast.a1, **values)
    with pytest.raises(ValidationError) as exc:
        Nyckeltal(avdelning=cast.a1, **values).full_clean()
    assert message in " ".join(exc.value.messages)


@pytest.mark.parametrize(
    "field", ["workplaces", "clubs", "workplaces_change_started", "skills_women", "skills_men"]
)
def test_negative_figures_are_refused_in_the_database(cast, field):
    # A raw UPDATE skips every check the model makes: the database's own refuses it.
    row = Nyckeltal.objects.create(avdelning=cast.a1, year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nyckeltal.objects.filter(pk=row.pk).update(**{field: -1})
    with pytest.raises(ValidationError):
        Nyckeltal(avdelning=cast.a1, year=2023, **{field: -1}).full_clean()


def test_unknown_is_not_zero_and_change_work_needs_no_workplaces(cast):
    row = Nyckeltal.objects.create(avdelning=cast.a1, year=2024, workplaces_change_started=5)
    row.full_clean()
    assert row.workplaces is None and row.skills_women is None
    assert row.audit_tenant == (cast.se21.pk, cast.a1.pk)
    assert row.get_absolute_url() == f"/nyckeltal/avdelning/{cast.a1.pk}/2024/"

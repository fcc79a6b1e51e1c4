"""A number too large for its column is a form error on both databases (issue 12 §2).

Django bounds an integer model field by its column's range, which it asks the backend
for; SQLite said 2^63 for every type, so on SQLite such a number passed the form (and
above 2^63 was a server error) where PostgreSQL refused it. The project's SQLite backend
(regionalsamverkan/sqlite3) answers PostgreSQL's ranges.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from avdelningar.models import Medlemsantal
from mal.models import Atagande
from tests import factories as f
from tests.mal.helpers import form_data

pytestmark = pytest.mark.django_db

# PostgreSQL's columns: smallint, integer, bigint.
POSTGRESQL = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}


def integer_fields():
    for label in ["historik", "avdelningar", "mal", "aktiviteter", "rapporter"]:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                integer = isinstance(field, models.IntegerField) and not field.is_relation
                if integer and not isinstance(field, models.AutoField):
                    yield model, field


def bounds(field):
    lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    return max(lows, default=None), min(highs, default=None)


def test_every_integer_field_is_bounded_by_its_postgresql_column():
    fields = list(integer_fields())
    assert len(fields) > 30
    for model, field in fields:
        low, high = POSTGRESQL[field.get_internal_type()]
        got_low, got_high = bounds(field)
        where = f"{model._meta.label}.{field.name}"
        assert got_low is not None and got_low >= low, where
        assert got_high is not None and got_high <= high, where


@pytest.mark.parametrize(
    ("year", "members", "message"),
    [
        (2024, 2**31, "mindre än eller lika med 2147483647"),
        (2024, 10**20, "mindre än eller lika med 2147483647"),
        (2**15, 10, "mindre än eller lika med 32767"),
    ],
)
def test_model_validation_refuses_what_the_column_cannot_hold(year, members, message):
    count = Medlemsantal(avdelning=f.AvdelningFactory(), year=year, active_members=members)
    with pytest.raises(ValidationError) as exc:
        count.full_clean()
    assert message in " ".join(exc.value.messages)


@pytest.mark.parametrize("hours", [str(2**31), str(2**63), "9" * 30])
def test_commitment_form_refuses_hours_beyond_the_column(client, cast, hours):
    client.force_login(cast.board)
    url = reverse("mal:ny_avdelning", args=[cast.a1.pk, 2024])
    r = client.post(url, form_data(2, resources_hours=hours))
    assert r.status_code == 200
    assert "mindre än eller lika med 2147483647" in r.content.decode()
    assert not Atagande.objects.exists()


def test_admin_refuses_a_member_count_beyond_the_column(admin_client):
    avdelning = f.AvdelningFactory()
    url = reverse("admin:avdelningar_medlemsantal_add")
    r = admin_client.post(url, {"avdelning": avdelning.pk, "year": 40000, "active_members": 2**40})
    assert r.status_code == 200
    body = r.content.decode()
    assert "mindre än eller lika med 32767" in body
    assert "mindre än eller lika med 2147483647" in body
    assert not Medlemsantal.objects.exists()

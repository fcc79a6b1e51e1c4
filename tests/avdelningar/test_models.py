import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from avdelningar.models import Avdelning, Deltagande, Lan, Medlemsantal, NutsOmrade, Roll, Uppdrag
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_reference_data_is_in_every_database():
    assert NutsOmrade.objects.count() == 8
    assert Lan.objects.count() == 21
    assert Lan.objects.get(code="09").nuts_omrade.code == "SE21"
    assert Lan.objects.get(code="07").af_region.name == "Syd"
    assert list(NutsOmrade.objects.get(code="SE22").lan.values_list("code", flat=True)) == [
        "10",
        "12",
    ]


def test_names_sort_the_swedish_way():
    for name in ["Örebro", "Ängelholm", "Zinkgruvan", "Åmål", "Arboga", "ärla"]:
        f.AvdelningFactory(name=name)
    names = list(Avdelning.objects.values_list("name", flat=True))
    assert names == ["Arboga", "Zinkgruvan", "Åmål", "Ängelholm", "ärla", "Örebro"]


def test_one_member_count_per_department_and_year():
    count = f.MedlemsantalFactory(year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        Medlemsantal.objects.create(avdelning=count.avdelning, year=2024, active_members=5)
    assert Medlemsantal.objects.count() == 1


def test_member_count_cannot_be_negative():
    avd = f.AvdelningFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Medlemsantal.objects.create(avdelning=avd, year=2024, active_members=-1)


def test_overlapping_participation_is_refused_with_a_message():
    se21 = NutsOmrade.objects.get(code="SE21")
    Deltagande.objects.create(
        nuts_omrade=se21, joined_on=datetime.date(2019, 1, 1), left_on=datetime.date(2021, 12, 31)
    )
    overlapping = Deltagande(nuts_omrade=se21, joined_on=datetime.date(2021, 6, 1))
    with pytest.raises(ValidationError, match="deltar redan"):
        overlapping.full_clean()
    after = Deltagande(nuts_omrade=se21, joined_on=datetime.date(2022, 1, 1))
    after.full_clean()  # a later, non-overlapping period is fine


def test_only_one_open_participation_per_area_in_the_database():
    se21 = NutsOmrade.objects.get(code="SE21")
    Deltagande.objects.create(nuts_omrade=se21, joined_on=datetime.date(2019, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Deltagande.objects.create(nuts_omrade=se21, joined_on=datetime.date(2023, 1, 1))


def test_participation_maturity_counts_years_in_project():
    d = f.DeltagandeFactory(joined_on=datetime.date(2020, 1, 1))
    assert d.maturity(2019) is None
    assert d.maturity(2020) == 1
    assert d.maturity(2023) == 4


def test_assignment_cannot_end_before_it_starts():
    person = f.PersonFactory()
    avd = f.AvdelningFactory()
    bad = Uppdrag(
        person=person,
        role=Roll.STYRELSELEDAMOT,
        avdelning=avd,
        start=datetime.date(2024, 5, 1),
        end=datetime.date(2024, 4, 1),
    )
    with pytest.raises(ValidationError, match="sluta innan"):
        bad.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


@pytest.mark.parametrize(
    ("role", "scope", "ok"),
    [
        (Roll.PROJEKTLEDARE, None, True),
        (Roll.PROJEKTLEDARE, "avdelning", False),
        (Roll.SAMORDNARE, "nuts", True),
        (Roll.SAMORDNARE, None, False),
        (Roll.STYRELSELEDAMOT, "avdelning", True),
        (Roll.STYRELSELEDAMOT, "nuts", False),
    ],
)
def test_assignment_scope_must_match_role_in_the_database(role, scope, ok):
    person = f.PersonFactory()
    kwargs = {}
    if scope == "avdelning":
        kwargs["avdelning"] = f.AvdelningFactory()
    if scope == "nuts":
        kwargs["nuts_omrade"] = NutsOmrade.objects.get(code="SE21")
    u = Uppdrag(person=person, role=role, start=datetime.date(2024, 1, 1), **kwargs)
    if ok:
        u.full_clean()
        u.save()
    else:
        with pytest.raises(ValidationError):
            u.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            u.save()


def test_invalid_role_is_refused_by_the_database():
    person = f.PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Uppdrag.objects.create(person=person, role="kung", start=datetime.date(2024, 1, 1))


def test_current_assignments_respect_dates():
    person = f.PersonFactory()
    avd = f.AvdelningFactory()
    old = f.UppdragFactory(person=person, avdelning=avd, end=datetime.date(2020, 1, 1))
    now = f.UppdragFactory(person=person, avdelning=avd)
    assert list(Uppdrag.objects.current()) == [now]
    assert old not in Uppdrag.objects.current()

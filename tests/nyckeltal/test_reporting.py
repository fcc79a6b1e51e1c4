"""The key figures' contract (nyckeltal.reporting): each computed figure against the rows of
the register it counts, the entered ones as entered, None where nothing is known, the
whole demo against a plain computation one department and year at a time, and a constant
number of queries."""

import datetime

import pytest
from django.utils import timezone

from aktiviteter import demo as aktiviteter_demo
from aktiviteter.models import ForumPlats, Strukturfondsprojekt
from avdelningar import demo as organisation
from avdelningar.models import (
    Arbetsplats,
    Avdelning,
    Deltagande,
    Klubb,
    Kommitte,
    KommitteLedamot,
    Medlemsantal,
    NutsOmrade,
    Roll,
    Uppdrag,
)
from nyckeltal import demo as nyckeltal_demo
from nyckeltal import reporting
from nyckeltal.models import Nyckeltal
from tests import factories as f
from tests.aktiviteter.helpers import make_forum, make_projekt

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
D = datetime.date


def assign(avdelning, role, start, end=None, person=None):
    person = person or f.PersonFactory(user=None)
    Uppdrag.objects.create(person=person, role=role, avdelning=avdelning, start=start, end=end)
    return person


def test_the_figures_are_the_contracts_keys_in_order():
    assert [fig.key for fig in reporting.FIGURES] == [
        "members",
        "workplaces",
        "clubs",
        "workplaces_change_started",
        "skills_women",
        "skills_men",
        "labour_market_committee",
        "labour_market_officer",
        "change_leaders",
        "forum_seats",
        "fund_projects",
    ]
    assert {fig.source for fig in reporting.FIGURES} == {"register", "inmatad"}
    assert set(reporting.SOURCES) == set(reporting.KEYS)
    entered = {fig.key for fig in reporting.FIGURES if fig.source == "inmatad"}
    assert entered == {"workplaces_change_started", "skills_women", "skills_men"}


def test_members_and_the_entered_figures_are_read_as_recorded(cast):
    Medlemsantal.objects.create(avdelning=cast.a1, year=2024, active_members=1234)
    Nyckeltal.objects.create(
        avdelning=cast.a1,
        year=2023,
        workplaces=7,
        clubs=2,
        workplaces_change_started=3,
        skills_women=10,
        skills_men=20,
    )
    figures = reporting.key_figures(years=[2023, 2024], avdelning_ids=[cast.a1.pk])
    assert list(figures) == [cast.a1.pk]
    y23, y24 = figures[cast.a1.pk][2023], figures[cast.a1.pk][2024]
    assert list(y23) == reporting.KEYS
    assert y23["members"] is None and y24["members"] == 1234
    assert (y23["workplaces"], y23["clubs"], y23["workplaces_change_started"]) == (7, 2, 3)
    assert (y23["skills_women"], y23["skills_men"]) == (10, 20)
    # 2024 has no figures entered: unknown, not zero.
    assert all(y24[k] is None for k in ["workplaces", "clubs", "skills_women", "skills_men"])


def test_this_years_workplaces_and_clubs_are_the_registers_count(cast):
    places = [f.ArbetsplatsFactory(avdelning=cast.a1) for _ in range(3)]
    Klubb.objects.create(avdelning=cast.a1, name="Klubben", arbetsplats=places[0])
    f.ArbetsplatsFactory(avdelning=cast.a2)
    # A count kept with this year's figures earlier is not this year's figure: the
    # register is.
    Nyckeltal.objects.create(avdelning=cast.a1, year=THIS_YEAR, workplaces=9, clubs=5)
    Nyckeltal.objects.create(avdelning=cast.a1, year=THIS_YEAR - 1, workplaces=9, clubs=5)
    figures = reporting.key_figures(years=[THIS_YEAR - 1, THIS_YEAR])
    assert (
        figures[cast.a1.pk][THIS_YEAR]["workplaces"],
        figures[cast.a1.pk][THIS_YEAR]["clubs"],
    ) == (3, 1)
    assert figures[cast.a1.pk][THIS_YEAR - 1]["workplaces"] == 9
    assert (
        figures[cast.a2.pk][THIS_YEAR]["workplaces"],
        figures[cast.a2.pk][THIS_YEAR]["clubs"],
    ) == (1, 0)
    assert figures[cast.b1.pk][THIS_YEAR]["workplaces"] == 0


def test_committee_officer_and_change_leaders_follow_the_periods_held(cast):
    amk = Kommitte.objects.create(
        name="AMK A1", typ=Kommitte.Typ.ARBETSMARKNADSKOMMITTE, avdelning=cast.a1
    )
    KommitteLedamot.objects.create(
        kommitte=amk, person=f.PersonFactory(user=None), start=D(2022, 3, 1), end=D(2023, 6, 30)
    )
    group = Kommitte.objects.create(name="AG A2", typ=Kommitte.Typ.ARBETSGRUPP, avdelning=cast.a2)
    KommitteLedamot.objects.create(
        kommitte=group, person=f.PersonFactory(user=None), start=D(2024, 1, 1)
    )
    # A cooperation committee is no department's own committee.
    skane = Kommitte.objects.create(
        name="Samverkan", typ=Kommitte.Typ.SAMVERKANSKOMMITTE, nuts_omrade=cast.se22
    )
    KommitteLedamot.objects.create(
        kommitte=skane, person=f.PersonFactory(user=None), start=D(2020, 1, 1)
    )
    Kommitte.objects.create(
        name="AMK B1", typ=Kommitte.Typ.ARBETSMARKNADSKOMMITTE, avdelning=cast.b1
    )

    assign(cast.a1, Roll.ARBETSMARKNADSANSVARIG, D(2021, 1, 1), D(2022, 12, 31))
    p1 = assign(cast.a1, Roll.FORANDRINGSLEDARE, D(2023, 2, 1), D(2024, 3, 31))
    assign(cast.a1, Roll.FORANDRINGSLEDARE, D(2024, 4, 1), person=p1)  # the same person again
    assign(cast.a1, Roll.FORANDRINGSLEDARE, D(2024, 6, 1))
    assign(cast.a1, Roll.STYRELSELEDAMOT, D(2020, 1, 1))  # counts for neither

    figures = reporting.key_figures(years=range(2021, 2026))
    a1, a2, b1 = figures[cast.a1.pk], figures[cast.a2.pk], figures[cast.b1.pk]
    assert [a1[y]["labour_market_committee"] for y in range(2021, 2026)] == [
        False, True, True, False, False,
    ]  # fmt: skip
    assert [a2[y]["labour_market_committee"] for y in (2023, 2024, 2025)] == [False, True, True]
    assert b1[2024]["labour_market_committee"] is False  # a committee without members
    assert [a1[y]["labour_market_officer"] for y in range(2021, 2026)] == [
        True, True, False, False, False,
    ]  # fmt: skip
    # The cast's change leader in A1 (since 2019) is one of them.
    assert [a1[y]["change_leaders"] for y in range(2021, 2026)] == [1, 1, 2, 3, 3]
    assert a2[2024]["change_leaders"] == 0


def test_forum_seats_are_the_departments_peoples_seats_in_the_year(cast):
    forum = make_forum(cast.se21)
    other = make_forum(cast.se22, name="Omställningsrådet")
    board = assign(cast.a1, Roll.STYRELSELEDAMOT, D(2020, 1, 1), D(2024, 12, 31))
    ForumPlats.objects.create(forum=forum, person=board, start=D(2023, 1, 1))
    # Two departments: the seat counts for each.
    both = assign(cast.a1, Roll.ORDFORANDE, D(2019, 1, 1))
    assign(cast.a2, Roll.STYRELSELEDAMOT, D(2019, 1, 1), person=both)
    ForumPlats.objects.create(
        forum=other,
        person=both,
        role=ForumPlats.Roll.ERSATTARE,
        start=D(2022, 1, 1),
        end=D(2022, 12, 31),
    )
    # A coordinator's seat is the area's, no department's.
    coordinator = f.PersonFactory(user=None)
    Uppdrag.objects.create(
        person=coordinator, role=Roll.SAMORDNARE, nuts_omrade=cast.se21, start=D(2019, 1, 1)
    )
    ForumPlats.objects.create(forum=forum, person=coordinator, start=D(2019, 1, 1))

    figures = reporting.key_figures(years=range(2021, 2026))
    a1, a2 = figures[cast.a1.pk], figures[cast.a2.pk]
    assert [a1[y]["forum_seats"] for y in range(2021, 2026)] == [0, 1, 1, 1, 0]
    assert [a2[y]["forum_seats"] for y in range(2021, 2026)] == [0, 1, 0, 0, 0]
    assert figures[cast.b1.pk][2022]["forum_seats"] == 0


def test_fund_projects_are_the_departments_projects_running_in_the_year(cast):
    p = make_projekt([cast.se21], start=D(2022, 5, 1), end=D(2024, 2, 28))
    p.avdelningar.set([cast.a1, cast.a2])
    open_ended = make_projekt([cast.se21], name="Framtidssäkrad industri", start=None, end=None)
    open_ended.avdelningar.set([cast.a1])
    make_projekt([cast.se22], name="Utan avdelning", start=D(2020, 1, 1))
    role = make_projekt(
        [cast.se22],
        name="Referens",
        start=D(2023, 1, 1),
        union_role=Strukturfondsprojekt.Roll.REFERENSGRUPP,
    )
    role.avdelningar.set([cast.b1])

    figures = reporting.key_figures(years=range(2021, 2026))
    assert [figures[cast.a1.pk][y]["fund_projects"] for y in range(2021, 2026)] == [1, 2, 2, 2, 1]
    assert [figures[cast.a2.pk][y]["fund_projects"] for y in range(2021, 2026)] == [0, 1, 1, 1, 0]
    assert figures[cast.b1.pk][2023]["fund_projects"] == 1


def test_a_year_ahead_is_unknown_and_a_missing_department_is_left_out(cast):
    Medlemsantal.objects.create(avdelning=cast.a1, year=THIS_YEAR + 1, active_members=10)
    assign(cast.a1, Roll.ARBETSMARKNADSANSVARIG, D(2019, 1, 1))
    figures = reporting.key_figures(years=[THIS_YEAR + 1], avdelning_ids=[cast.a1.pk, 10**9])
    assert list(figures) == [cast.a1.pk]
    assert set(figures[cast.a1.pk][THIS_YEAR + 1].values()) == {None}
    assert reporting.key_figures(years=[2024], avdelning_ids=[]) == {}


def test_the_number_of_queries_does_not_grow_with_departments_or_years(
    cast, django_assert_num_queries
):
    seat_holder = assign(cast.a1, Roll.STYRELSELEDAMOT, D(2020, 1, 1))
    ForumPlats.objects.create(forum=make_forum(cast.se21), person=seat_holder, start=D(2021, 1, 1))
    with django_assert_num_queries(10):
        reporting.key_figures(years=[2024, THIS_YEAR], avdelning_ids=[cast.a1.pk])
    for i in range(20):
        avd = f.AvdelningFactory(nuts_omrade=cast.se22)
        Medlemsantal.objects.create(avdelning=avd, year=2020 + i % 5, active_members=100 + i)
        assign(avd, Roll.FORANDRINGSLEDARE, D(2019 + i % 7, 1, 1))
        Nyckeltal.objects.create(avdelning=avd, year=2019 + i % 8, skills_men=i)
        f.ArbetsplatsFactory(avdelning=avd)
    with django_assert_num_queries(10):
        reporting.key_figures(years=range(2010, THIS_YEAR + 1))
    with django_assert_num_queries(2):
        reporting.pilot_years(years=range(2010, THIS_YEAR + 1))


def test_pilot_years_are_the_areas_joining_years(cast):
    outside = f.AvdelningFactory(name="Norrbotten", nuts_omrade=NutsOmrade.objects.get(code="SE33"))
    got = reporting.pilot_years(years=range(2019, 2027))
    assert got[cast.a1.pk] == got[cast.a2.pk] == 2019
    assert got[cast.b1.pk] == 2020
    assert got[outside.pk] is None
    # Years before an area joined: it takes part in none of them.
    assert reporting.pilot_years(years=[2019])[cast.b1.pk] is None
    # An area that left before the years asked for is not in the pilot during them.
    Deltagande.objects.filter(nuts_omrade=cast.se22).update(left_on=D(2021, 12, 31))
    assert reporting.pilot_years(years=[2023, 2024])[cast.b1.pk] is None
    assert reporting.pilot_years(years=[2021, 2024])[cast.b1.pk] == 2020


def _plain(avd, year, this_year):
    """The figures as the module's docstring defines them, one query per figure."""
    if year > this_year:
        return dict.fromkeys(reporting.KEYS)
    first, last = D(year, 1, 1), D(year, 12, 31)

    def during(qs):
        return [r for r in qs if r.start <= last and (r.end is None or r.end >= first)]

    m = Medlemsantal.objects.filter(avdelning=avd, year=year).first()
    kept = Nyckeltal.objects.filter(avdelning=avd, year=year).first()
    out = {"members": m.active_members if m else None}
    for key in ["workplaces", "clubs", "workplaces_change_started", "skills_women", "skills_men"]:
        out[key] = getattr(kept, key) if kept else None
    if year == this_year:
        out["workplaces"] = Arbetsplats.objects.filter(avdelning=avd).count()
        out["clubs"] = Klubb.objects.filter(avdelning=avd).count()
    out["labour_market_committee"] = bool(
        during(
            KommitteLedamot.objects.filter(
                kommitte__avdelning=avd, kommitte__typ__in=["arbetsmarknadskommitte", "arbetsgrupp"]
            )
        )
    )
    uppdrag = Uppdrag.objects.filter(avdelning=avd)
    out["labour_market_officer"] = bool(during(uppdrag.filter(role=Roll.ARBETSMARKNADSANSVARIG)))
    out["change_leaders"] = len(
        {u.person_id for u in during(uppdrag.filter(role=Roll.FORANDRINGSLEDARE))}
    )
    people = {u.person_id for u in during(uppdrag)}
    out["forum_seats"] = len(during(ForumPlats.objects.filter(person_id__in=people)))
    out["fund_projects"] = sum(
        1
        for p in Strukturfondsprojekt.objects.filter(avdelningar=avd)
        if (p.start is None or p.start <= last) and (p.end is None or p.end >= first)
    )
    return {k: out[k] for k in reporting.KEYS}


def test_the_demo_matches_a_plain_computation_for_every_department_and_year():
    today = timezone.localdate()
    organisation.seed(today)
    aktiviteter_demo.seed(today)
    nyckeltal_demo.seed(today)
    years = range(2018, today.year + 2)
    figures = reporting.key_figures(years=years)
    departments = list(Avdelning.objects.all())
    assert len(departments) == len(organisation.AVDELNINGAR) == len(figures)
    wrong = [
        (avd.name, y)
        for avd in departments
        for y in years
        if figures[avd.pk][y] != _plain(avd, y, today.year)
    ]
    assert wrong == []
    # The demo has something to count in every figure.
    for key in reporting.KEYS:
        assert any(figures[a.pk][y][key] for a in departments for y in years), key

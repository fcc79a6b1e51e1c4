import datetime

import pytest

from aktiviteter import demo
from aktiviteter.models import Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt
from avdelningar import demo as organisation
from avdelningar.models import Avdelning, Deltagande, NutsOmrade

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count() for m in (Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt)
    ] + [Aktivitet.avdelningar.through.objects.count()]


def first_titles():
    return list(Aktivitet.objects.order_by("import_key").values_list("title", "date")[:20])


TODAY = datetime.date(2025, 12, 31)


def test_demo_is_rich_deterministic_and_idempotent():
    organisation.seed(TODAY)
    demo.seed(TODAY)
    first = counts()
    titles = first_titles()
    demo.seed(TODAY)
    assert counts() == first
    assert Aktivitet.objects.count() >= 300
    assert Aktor.objects.count() >= 40
    years = {d.year for d in Aktivitet.objects.values_list("date", flat=True)}
    assert years == set(range(2019, 2026))
    assert not Aktivitet.objects.filter(nuts_omrade__code="SE22", date__year=2019).exists()
    # Every activity serves at least one goal.
    assert not Aktivitet.objects.filter(verksamhetsmal__isnull=True).exists()
    co = Strukturfondsprojekt.objects.get(name="CO-Skill")
    assert co.owner.name == "Region Skåne"
    assert {a.name for a in co.partners.all()} == {"Region Blekinge", "IUC Skåne", "Techtank"}
    fi = Strukturfondsprojekt.objects.get(name="Framtidssäkrad industri")
    assert fi.owner.name == "Region Jönköpings län"
    assert {a.name for a in fi.partners.all()} == {
        "Region Kronoberg",
        "IF Metall förbundet",
        "Teknikföretagen",
        "Unionen",
    }
    # Deterministic: a fresh run gives the same rows.
    Aktivitet.objects.all().delete()
    demo.seed(TODAY)
    assert first_titles() == titles


def test_demo_activities_lie_within_their_fund_projects_and_run_up_to_today(settings):
    """An activity is linked to a fund project only while the project runs, and the
    activities run up to the day of seeding, so recent actors and forums are current."""
    today = datetime.date(2026, 12, 1)
    organisation.seed(today)
    demo.seed(today)
    linked = Aktivitet.objects.filter(projekt__isnull=False).select_related("projekt")
    assert linked.count() > 10
    outside = [
        (a.title, a.date, a.projekt.start, a.projekt.end)
        for a in linked
        if a.date < a.projekt.start or (a.projekt.end and a.date > a.projekt.end)
    ]
    assert outside == []
    dates = list(Aktivitet.objects.values_list("date", flat=True))
    assert max(dates) <= today
    assert sum(d.year == 2026 for d in dates) >= 60
    recent = today - datetime.timedelta(days=30 * settings.RELATION_STALE_MONTHS)
    current = Aktor.objects.filter(aktiviteter__date__gte=recent).distinct().count()
    assert current >= 10
    assert Forum.objects.filter(aktiviteter__date__gte=recent).distinct().count() >= 4


def test_demo_has_national_activities_and_support_outside_the_pilot():
    """A handful of national activities from 2021; the working-life unit's support goes to a
    department outside the pilot when the register has one (a later seed adds it then)."""
    organisation.seed(TODAY)
    demo.seed(TODAY)
    national = Aktivitet.objects.national()
    assert national.count() >= 5
    assert {a.date.year for a in national} == {2021, 2022, 2023, 2024, 2025}
    assert {"tvargruppsmote", "af_dialog"} <= {a.typ for a in national}
    pilot = Deltagande.objects.nuts_ids(TODAY.year)
    if not Avdelning.objects.exclude(nuts_omrade_id__in=pilot).exists():
        assert not national.filter(typ="stod").exists()
        Avdelning.objects.create(
            name="IF Metall Mälardalen (exempel)", nuts_omrade=NutsOmrade.objects.get(code="SE12")
        )
        demo.seed(TODAY)
    support = Aktivitet.objects.national().filter(typ="stod").prefetch_related("avdelningar")
    assert support.count() == 2
    for a in support:
        (avdelning,) = a.avdelningar.all()
        assert avdelning.nuts_omrade_id not in Deltagande.objects.nuts_ids(a.date.year)
    before = Aktivitet.objects.count()
    demo.seed(TODAY)
    assert Aktivitet.objects.count() == before

import pytest

from aktiviteter import demo
from aktiviteter.models import Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt
from avdelningar import demo as organisation

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count() for m in (Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt)
    ] + [Aktivitet.avdelningar.through.objects.count()]


def first_titles():
    return list(Aktivitet.objects.order_by("import_key").values_list("title", "date")[:20])


def test_demo_is_rich_deterministic_and_idempotent():
    organisation.seed()
    demo.seed()
    first = counts()
    titles = first_titles()
    demo.seed()
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
    demo.seed()
    assert first_titles() == titles

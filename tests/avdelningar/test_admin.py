import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from avdelningar.models import Avdelning, Deltagande, Lan, NutsOmrade, Roll, Uppdrag
from historik.models import Handelse
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_and_add_page_renders(admin_client):
    f.MedlemsantalFactory()
    for model in admin.site._registry:
        if model._meta.app_label not in ("avdelningar", "mal"):
            continue
        meta = model._meta
        r = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert r.status_code == 200, meta.model_name
        r = admin_client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + "?q=a"
        )
        assert r.status_code == 200, meta.model_name


def test_admin_refuses_overlapping_participation_with_message(admin_client):
    se21 = NutsOmrade.objects.get(code="SE21")
    Deltagande.objects.create(nuts_omrade=se21, joined_on="2019-01-01")
    r = admin_client.post(
        reverse("admin:avdelningar_deltagande_add"),
        {"nuts_omrade": se21.pk, "joined_on": "2020-01-01", "left_on": ""},
    )
    assert r.status_code == 200
    assert "deltar redan" in r.content.decode()
    assert Deltagande.objects.count() == 1


def test_admin_refuses_duplicate_member_count(admin_client):
    count = f.MedlemsantalFactory(year=2023)
    r = admin_client.post(
        reverse("admin:avdelningar_medlemsantal_add"),
        {"avdelning": count.avdelning.pk, "year": 2023, "active_members": 10},
    )
    assert r.status_code == 200
    assert "Avdelningen har redan ett medlemsantal för det året" in r.content.decode()
    assert count.avdelning.medlemsantal.count() == 1


def test_admin_is_swedish(admin_client):
    body = admin_client.get(reverse("admin:index")).content.decode()
    assert "NUTS-områden" in body and "Avdelningar" in body


def _inlines(*prefixes):
    data = {}
    for prefix in prefixes:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def test_admin_refuses_a_county_outside_the_departments_area(admin_client):
    se21 = NutsOmrade.objects.get(code="SE21")
    skane = Lan.objects.get(code="12")  # Skåne, SE22
    kalmar = Lan.objects.get(code="08")  # SE21
    r = admin_client.post(
        reverse("admin:avdelningar_avdelning_add"),
        {
            "name": "IF Metall Prov",
            "nuts_omrade": se21.pk,
            "lan": [kalmar.pk, skane.pk],
            **_inlines("medlemsantal", "arbetsplatser"),
        },
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "Länen ska ligga i avdelningens NUTS-område" in body and "Skåne" in body
    assert not Avdelning.objects.filter(name="IF Metall Prov").exists()
    r = admin_client.post(
        reverse("admin:avdelningar_avdelning_add"),
        {
            "name": "IF Metall Prov",
            "nuts_omrade": se21.pk,
            "lan": [kalmar.pk],
            **_inlines("medlemsantal", "arbetsplatser"),
        },
    )
    assert r.status_code == 302
    assert Avdelning.objects.get(name="IF Metall Prov").lan.get() == kalmar


def test_a_participations_coordinator_gets_the_coordinator_assignment(admin_client):
    se21 = NutsOmrade.objects.get(code="SE21")
    person = f.PersonFactory(name="Ny Samordnare")
    r = admin_client.post(
        reverse("admin:avdelningar_deltagande_add"),
        {"nuts_omrade": se21.pk, "joined_on": "2019-01-01", "left_on": "", "samordnare": person.pk},
        follow=True,
    )
    assert r.status_code == 200
    uppdrag = Uppdrag.objects.get(person=person)
    assert (uppdrag.role, uppdrag.nuts_omrade, uppdrag.start, uppdrag.end) == (
        Roll.SAMORDNARE,
        se21,
        datetime.date(2019, 1, 1),
        None,
    )
    assert "fick uppdraget som regional samordnare" in r.content.decode()
    assert Handelse.objects.filter(model="avdelningar.Uppdrag", object_id=str(uppdrag.pk)).exists()
    # Saved again, the coordinator already holds it: no second assignment.
    deltagande = Deltagande.objects.get(nuts_omrade=se21)
    admin_client.post(
        reverse("admin:avdelningar_deltagande_change", args=[deltagande.pk]),
        {"nuts_omrade": se21.pk, "joined_on": "2019-01-01", "left_on": "", "samordnare": person.pk},
    )
    assert Uppdrag.objects.filter(person=person).count() == 1


def test_person_list_filters_by_role_area_department_and_current(admin_client, cast):
    url = reverse("admin:avdelningar_person_changelist")
    gone = f.PersonFactory(name="Slutad Person", user=None)
    f.UppdragFactory(person=gone, avdelning=cast.b1, start="2019-01-01", end="2020-12-31")

    def names(query):
        r = admin_client.get(url + query)
        assert r.status_code == 200
        return {p.name for p in r.context["cl"].result_list}

    coordinator = cast.coordinator.person.name
    assert names("?roll=samordnare") == {coordinator, cast.other_coordinator.person.name}
    assert names("?omrade=SE22") == {
        cast.other_coordinator.person.name,
        cast.outsider.person.name,
        "Slutad Person",
    }
    assert names(f"?avdelning={cast.a2.pk}") == {cast.neighbour.person.name}
    assert names("?aktuell=nej") == {"Slutad Person"}
    assert "Slutad Person" not in names("?aktuell=ja")
    assert names("?avdelning=abc") == names("")


def test_a_persons_name_and_email_are_copied_to_the_login(admin_client, cast):
    person = cast.board.person
    data = {
        "name": "Greta Ny Efternamn",
        "email": "greta@example.org",
        "phone": "",
        "user": cast.board.pk,
        **_inlines("uppdrag"),
    }
    r = admin_client.post(reverse("admin:avdelningar_person_change", args=[person.pk]), data)
    assert r.status_code == 302
    cast.board.refresh_from_db()
    assert (cast.board.first_name, cast.board.last_name, cast.board.email) == (
        "Greta",
        "Ny Efternamn",
        "greta@example.org",
    )
    # The login's page shows them read-only: they are typed once, on the person.
    r = admin_client.get(reverse("admin:auth_user_change", args=[cast.board.pk]))
    assert 'name="email"' not in r.content.decode()
    assert "greta@example.org" in r.content.decode()

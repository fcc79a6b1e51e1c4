"""The candidate pages: what the project leader and the steering group see and do, the
clear refusals, and the pinned query counts of the list and the side-by-side page."""

import datetime

import pytest
from django.urls import reverse

from historik.models import Handelse
from tests.helpers import client_for
from tests.utveckling.helpers import area_with_departments, kandidat, krav
from utveckling.models import Kandidat, Krav, Kravbedomning, Status

pytestmark = pytest.mark.django_db


def test_leader_adds_a_candidate_and_a_wrong_one_is_refused(cast):
    c = client_for(cast.leader)
    r = c.get(reverse("utveckling:lista"))
    assert r.status_code == 200 and "Nytt kandidatområde" in r.text
    r = c.post(reverse("utveckling:lista"), {"nuts_omrade": cast.se21.pk, "year": "2027"})
    assert r.status_code == 400 and not Kandidat.objects.exists()  # SE21 takes part
    se12 = area_with_departments()[0]
    r = c.post(reverse("utveckling:lista"), {"nuts_omrade": se12.pk, "year": "2027"})
    k = Kandidat.objects.get()
    assert r.status_code == 302 and r["Location"] == k.get_absolute_url()


def test_the_steering_group_reads_but_does_not_add(cast):
    kandidat(cast)
    c = client_for(cast.steering)
    r = c.get(reverse("utveckling:lista"))
    assert r.status_code == 200 and "Nytt kandidatområde" not in r.text
    assert "SE12" in r.text


def _assess_post(k, **extra):
    data = {
        "version": k.version,
        "nytta": "N",
        "forutsattningar": "F",
        "syften": "S",
        "samordnare": "",
    }
    for key in ("struktur", "geografi", "samarbete", "vilja", "samordnare", "resurser"):
        data[f"{key}_score"] = "3"
        data[f"{key}_comment"] = f"Kommentar {key}"
        data[f"{key}_evidence"] = ""
    return {**data, **extra}


def test_assessment_form_saves_and_shows_evidence(cast):
    _nuts, departments = area_with_departments()
    k = kandidat(cast, stage="ny")
    c = client_for(cast.leader)
    r = c.get(reverse("utveckling:bedom", args=[k.pk]))
    assert r.status_code == 200 and departments[0].name in r.text
    r = c.post(reverse("utveckling:bedom", args=[k.pk]), _assess_post(k, geografi_score="9"))
    assert r.status_code == 400 and "1–5" in r.text
    r = c.post(reverse("utveckling:bedom", args=[k.pk]), _assess_post(k))
    assert r.status_code == 302
    assert Kandidat.objects.get(pk=k.pk).kriterier.filter(score=3).count() == 6
    # A form loaded before that save is refused, and says why.
    r = c.post(reverse("utveckling:bedom", args=[k.pk]), _assess_post(k, nytta="Annat"))
    assert r.status_code == 400 and "Någon annan har sparat" in r.text
    assert Kandidat.objects.get(pk=k.pk).nytta == "N"


def test_propose_decide_and_take_part_through_the_pages(cast):
    area_with_departments()
    k = kandidat(cast)
    leader, steering = client_for(cast.leader), client_for(cast.steering)
    r = leader.post(reverse("utveckling:foresla", args=[k.pk]), {"proposal": ""})
    assert r.status_code == 400 and "Skriv förslaget" in r.text
    r = leader.post(reverse("utveckling:foresla", args=[k.pk]), {"proposal": "SE12 från 2027."})
    assert r.status_code == 302
    page = steering.get(k.get_absolute_url()).text
    assert "Registrera styrgruppens beslut" in page
    assert (
        steering.post(reverse("utveckling:foresla", args=[k.pk]), {"proposal": "x"}).status_code
        == 403
    )
    assert leader.post(reverse("utveckling:styrgrupp", args=[k.pk]), {}).status_code == 403
    today = datetime.date.today().isoformat()
    r = steering.post(
        reverse("utveckling:styrgrupp", args=[k.pk]),
        {"recommended": "ja", "decided_on": today, "paragraph": ""},
    )
    assert r.status_code == 400 and "paragraf" in r.text
    r = steering.post(
        reverse("utveckling:styrgrupp", args=[k.pk]),
        {"recommended": "ja", "decided_on": today, "paragraph": "§ 4"},
    )
    assert r.status_code == 302 and Kandidat.objects.get(pk=k.pk).status == Status.TILLSTYRKT
    url = reverse("utveckling:forbundsstyrelsen", args=[k.pk])
    r = leader.post(url, {"yes": "ja", "decided_on": today})
    assert r.status_code == 400 and "Ange från vilket datum" in r.text
    r = leader.post(
        url,
        {
            "yes": "ja",
            "decided_on": today,
            "joined_on": "2027-01-01",
            "samordnare": k.samordnare_id,
        },
    )
    assert r.status_code == 302
    k.refresh_from_db()
    assert k.status == Status.DELTAR and k.deltagande.joined_on == datetime.date(2027, 1, 1)
    page = leader.get(k.get_absolute_url()).text
    assert "Området deltar från 2027-01-01" in page


def test_get_on_a_post_only_step_is_405(cast):
    k = kandidat(cast)
    c = client_for(cast.leader)
    for name in ("foresla", "styrgrupp", "forbundsstyrelsen"):
        assert c.get(reverse(f"utveckling:{name}", args=[k.pk])).status_code == 405


def test_coordinator_assessment_against_the_requirement_profile(cast):
    first, second = krav("Erfarenhet av omställning", "Avdelningarnas förtroende")
    k = kandidat(cast)
    url = reverse("utveckling:samordnare", args=[k.pk])
    c = client_for(cast.leader)
    r = c.get(url)
    assert r.status_code == 200 and "Erfarenhet av omställning" in r.text
    r = c.post(
        url,
        {
            f"krav_{first.pk}_score": "5",
            f"krav_{first.pk}_comment": "Lång erfarenhet",
            f"krav_{second.pk}_score": "",
            f"krav_{second.pk}_comment": "",
        },
    )
    assert r.status_code == 302
    row = Kravbedomning.objects.get()
    assert (row.person, row.krav, row.score) == (k.samordnare, first, 5)
    r = client_for(cast.steering).get(url)
    assert r.status_code == 200 and "Lång erfarenhet" in r.text
    assert client_for(cast.steering).post(url, {}).status_code == 403
    assert client_for(cast.board_national).get(url).status_code == 404


def test_requirement_profile_edits_are_in_the_trail(cast):
    c = client_for(cast.leader)
    url = reverse("utveckling:kravprofil")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-text": "Känner området",
        "form-0-position": "1",
        "form-0-active": "on",
    }
    assert c.post(url, data).status_code == 302
    requirement = Krav.objects.get()
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "1",
        "form-0-id": requirement.pk,
        "form-0-text": "Känner områdets avdelningar",
        "form-0-position": "1",
        "form-1-text": "",
        "form-1-position": "0",
        "form-1-active": "on",
    }
    assert c.post(url, data).status_code == 302
    requirement.refresh_from_db()
    assert (requirement.text, requirement.active) == ("Känner områdets avdelningar", False)
    trail = list(Handelse.objects.filter(model="utveckling.Krav").order_by("id"))
    assert [h.action for h in trail] == ["create", "update"]
    assert trail[1].changes["text"] == ["Känner området", "Känner områdets avdelningar"]
    r = client_for(cast.steering).get(url)
    assert r.status_code == 200 and "gäller inte längre" in r.text


def test_the_candidate_page_shows_the_cost_effect(cast):
    for avd in (cast.a1, cast.b1):
        from tests import factories as f

        f.MedlemsantalFactory(avdelning=avd, year=datetime.date.today().year, active_members=1000)
    _nuts, departments = area_with_departments(members=((2000,),))
    k = kandidat(cast)
    r = client_for(cast.leader).get(k.get_absolute_url())
    assert r.status_code == 200
    cost = r.context["cost"]
    rows = {row["name"]: row for row in cost["rows"]}
    assert rows[departments[0].name]["now"] is None
    assert rows[departments[0].name]["with_candidate"] == pytest.approx(0.5)
    assert rows[cast.a1.name]["now"] == pytest.approx(0.5)
    assert rows[cast.a1.name]["with_candidate"] == pytest.approx(0.25)
    assert cast.a2.name in cost["missing"]


def _many_candidates(cast, n):
    from avdelningar.models import NutsOmrade

    codes = ["SE12", "SE31", "SE32", "SE33", "SE11", "SE23"][:n]
    for code in codes:
        area_with_departments(code)
        kandidat(cast, code=code)
    return NutsOmrade.objects.filter(code__in=codes)


@pytest.mark.parametrize("n", [2, 6])
def test_list_query_count_does_not_grow_with_candidates(cast, django_assert_num_queries, n):
    _many_candidates(cast, n)
    c = client_for(cast.leader)
    c.get(reverse("utveckling:lista"))
    with django_assert_num_queries(6):
        assert c.get(reverse("utveckling:lista")).status_code == 200


@pytest.mark.parametrize("n", [2, 6])
def test_side_by_side_query_count_does_not_grow(cast, django_assert_num_queries, n):
    _many_candidates(cast, n)
    c = client_for(cast.leader)
    url = reverse("utveckling:jamfor", args=[2027])
    r = c.get(url)
    assert len(r.context["columns"]) == n
    with django_assert_num_queries(15):
        assert c.get(url).status_code == 200


def test_side_by_side_shows_scores_departments_and_members(cast):
    area_with_departments("SE12", members=((2000,), (1000,)))
    area_with_departments("SE31", members=((500,),))
    kandidat(cast, code="SE12")
    kandidat(cast, code="SE31", stage="ny")
    r = client_for(cast.steering).get(reverse("utveckling:jamfor", args=[2027]))
    cols = {c["k"].nuts_omrade.code: c for c in r.context["columns"]}
    assert cols["SE12"]["scores"] == [4] * 6 and cols["SE31"]["scores"] == [None] * 6
    assert cols["SE12"]["area"]["members"] == 3000 and cols["SE31"]["area"]["members"] == 500
    assert len(cols["SE12"]["area"]["departments"]) == 2
    assert client_for(cast.leader).get(reverse("utveckling:jamfor", args=[2030])).status_code == 404

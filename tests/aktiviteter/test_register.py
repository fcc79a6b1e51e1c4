import pytest
from django.urls import reverse

from aktiviteter.models import Aktor, Forum, Strukturfondsprojekt
from historik.models import Handelse

from .helpers import make_aktor, make_forum, make_projekt

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(cast):
    cast.aktor = make_aktor(nuts=cast.se21)
    cast.national = make_aktor(name="Tillväxtverket", typ=Aktor.Typ.MYNDIGHET)
    cast.forum = make_forum(cast.se21)
    cast.projekt = make_projekt([cast.se21, cast.se22])
    return cast


@pytest.mark.parametrize(
    ("who", "edit", "new"),
    [
        ("changeleader", 403, 403),
        ("nobody", 404, 404),
    ],
)
def test_edit_pages_by_role(client, reg, who, edit, new):
    client.force_login(getattr(reg, who))
    for url in [
        reverse("aktiviteter:aktor_andra", args=[reg.aktor.pk]),
        reverse("aktiviteter:forum_andra", args=[reg.forum.pk]),
    ]:
        assert client.get(url).status_code == edit, url
    # projekt_ny was open to every role (found by the access matrix).
    for name in ("aktiviteter:aktor_ny", "aktiviteter:forum_ny", "aktiviteter:projekt_ny"):
        url = reverse(name)
        assert client.get(url).status_code == new, url


def test_joint_project_editable_by_both_areas_coordinators(client, reg):
    url = reverse("aktiviteter:projekt_andra", args=[reg.projekt.pk])
    for who in ("coordinator", "other_coordinator", "leader"):
        client.force_login(getattr(reg, who))
        assert client.get(url).status_code == 200
    client.force_login(reg.board)
    assert client.get(url).status_code == 403


def test_national_actor_only_by_project_leader(client, reg):
    url = reverse("aktiviteter:aktor_andra", args=[reg.national.pk])
    client.force_login(reg.coordinator)
    assert client.get(url).status_code == 403
    client.force_login(reg.leader)
    assert client.get(url).status_code == 200


def test_coordinator_edits_actor_with_history_and_conflict(client, reg):
    client.force_login(reg.coordinator)
    url = reverse("aktiviteter:aktor_andra", args=[reg.aktor.pk])
    post = {
        "name": "Region Jönköpings län",
        "typ": "region",
        "nuts_omrade": reg.se21.pk,
        "phone": "036-32 40 00",
        "version": 0,
    }
    assert client.post(url, post).status_code == 302
    reg.aktor.refresh_from_db()
    assert reg.aktor.phone == "036-32 40 00" and reg.aktor.version == 1
    h = Handelse.objects.get(action=Handelse.Action.UPDATE, model="aktiviteter.Aktor")
    assert h.changes["phone"] == ["", "036-32 40 00"]
    r = client.post(url, {**post, "phone": "stale"})
    assert "Någon annan har sparat" in r.content.decode()
    reg.aktor.refresh_from_db()
    assert reg.aktor.phone == "036-32 40 00"


def test_coordinator_cannot_put_a_forum_in_another_area(client, reg):
    client.force_login(reg.coordinator)
    r = client.post(
        reverse("aktiviteter:forum_ny"),
        {"name": "Nytt", "typ": "industrirad", "nuts_omrade": reg.se22.pk},
    )
    assert r.status_code == 200 and not Forum.objects.filter(name="Nytt").exists()
    r = client.post(
        reverse("aktiviteter:forum_ny"),
        {"name": "Nytt", "typ": "industrirad", "nuts_omrade": reg.se21.pk},
    )
    assert r.status_code == 302 and Forum.objects.get(name="Nytt").nuts_omrade == reg.se21


def test_editing_joint_project_keeps_the_other_area(client, reg):
    client.force_login(reg.coordinator)
    r = client.post(
        reverse("aktiviteter:projekt_andra", args=[reg.projekt.pk]),
        {
            "name": "CO-Skill",
            "fund": "esf",
            "union_role": "partner",
            "omraden": [reg.se21.pk, reg.se22.pk],
            "participants_women": 5,
            "participants_men": 6,
            "version": 0,
        },
    )
    assert r.status_code == 302
    p = Strukturfondsprojekt.objects.get()
    assert {o.code for o in p.omraden.all()} == {"SE21", "SE22"} and p.participants_women == 5


def test_register_views_need_login(client, reg):
    for url in [reverse("aktiviteter:aktor_ny"), reverse("aktiviteter:projekt_ny")]:
        assert client.get(url).status_code == 302


# --- a fund project's departments are the user's to link (issue 13 #10) ----------------


def projekt_post(cast, **kw):
    d = {
        "name": "Framtidssäkrad industri",
        "fund": "esf",
        "union_role": "partner",
        "omraden": [cast.se21.pk],
        "participants_women": 0,
        "participants_men": 0,
        "version": 0,
    }
    d.update(kw)
    return d


def test_coordinator_cannot_link_another_areas_department_to_a_project(client, cast):
    client.force_login(cast.coordinator)
    form = client.get(reverse("aktiviteter:projekt_ny")).context["form"]
    assert set(form.fields["avdelningar"].queryset) == {cast.a1, cast.a2}
    r = client.post(reverse("aktiviteter:projekt_ny"), projekt_post(cast, avdelningar=[cast.b1.pk]))
    assert r.status_code == 200
    assert "avdelningar i ditt eget område" in r.content.decode()
    assert not Strukturfondsprojekt.objects.exists()
    r = client.post(reverse("aktiviteter:projekt_ny"), projekt_post(cast, avdelningar=[cast.a1.pk]))
    assert r.status_code == 302
    assert list(Strukturfondsprojekt.objects.get().avdelningar.all()) == [cast.a1]


def test_joint_project_keeps_the_other_areas_departments(client, cast):
    p = make_projekt([cast.se21, cast.se22])
    p.avdelningar.set([cast.a1, cast.b1])
    client.force_login(cast.coordinator)
    url = reverse("aktiviteter:projekt_andra", args=[p.pk])
    form = client.get(url).context["form"]
    assert set(form.fields["avdelningar"].queryset) == {cast.a1, cast.a2, cast.b1}
    r = client.post(
        url,
        projekt_post(
            cast,
            name=p.name,
            omraden=[cast.se21.pk, cast.se22.pk],
            avdelningar=[cast.a1.pk, cast.b1.pk],
        ),
    )
    assert r.status_code == 302
    assert set(p.avdelningar.all()) == {cast.a1, cast.b1}
    client.force_login(cast.leader)
    form = client.get(url).context["form"]
    assert set(form.fields["avdelningar"].queryset) == {cast.a1, cast.a2, cast.b1}

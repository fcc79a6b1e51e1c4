"""The logging form as a coordinator meets it (issue 12, "Activities"): the own area's
departments first and the others behind "Fler avdelningar", workplaces tied to the chosen
departments, more than one new actor in one save, and the project form's departments
scoped to the user (issue 13 #10)."""

import pytest
from django.urls import reverse

from aktiviteter.models import Aktivitet, Aktor
from tests import factories as f

from .helpers import post_data

pytestmark = pytest.mark.django_db


def test_own_area_departments_first_others_behind_a_control(client, cast):
    client.force_login(cast.coordinator)
    r = client.get(reverse("aktiviteter:ny"))
    first, others, others_open = r.context["form"].avdelning_choices()
    assert [cb.choice_label for cb in first] == ["Avdelning A1 (SE21)", "Avdelning A2 (SE21)"]
    assert [cb.choice_label for cb in others] == ["Avdelning B1 (SE22)"]
    assert not others_open
    body = r.content.decode()
    details = body.index("Fler avdelningar")
    assert body.index("Avdelning A2 (SE21)") < details < body.index("Avdelning B1 (SE22)")


def test_a_chosen_other_department_opens_the_control(client, cast):
    client.force_login(cast.coordinator)
    r = client.post(reverse("aktiviteter:ny"), post_data(cast, avdelningar=[cast.b1.pk], title=""))
    assert r.status_code == 200
    assert r.context["form"].avdelning_choices()[2] is True
    assert '<details class="mt-1" open>' in r.content.decode()


def test_workplaces_name_their_department_and_a_stray_one_is_a_form_error(client, cast):
    ours = f.ArbetsplatsFactory(avdelning=cast.a1, name="Verkstaden")
    theirs = f.ArbetsplatsFactory(avdelning=cast.a2, name="Gjuteriet")
    client.force_login(cast.coordinator)
    body = client.get(reverse("aktiviteter:ny")).content.decode()
    assert f'value="{ours.pk}" data-avdelning="{cast.a1.pk}"' in body
    assert "Gjuteriet (Avdelning A2)" in body
    r = client.post(reverse("aktiviteter:ny"), post_data(cast, arbetsplatser=[theirs.pk]))
    assert r.status_code == 200
    assert "Arbetsplatsen hör inte till någon av de valda avdelningarna" in r.content.decode()
    assert not Aktivitet.objects.exists()
    r = client.post(reverse("aktiviteter:ny"), post_data(cast, arbetsplatser=[ours.pk]))
    assert r.status_code == 302
    assert list(Aktivitet.objects.get().arbetsplatser.all()) == [ours]


def test_one_save_adds_several_new_actors(client, cast):
    client.force_login(cast.coordinator)
    body = client.get(reverse("aktiviteter:ny")).content.decode()
    assert body.count('name="new_aktor_name"') >= 2 and "Fler nya aktörer" in body
    r = client.post(
        reverse("aktiviteter:ny"),
        post_data(
            cast,
            new_aktor_name=["IUC Kalmar", "", "Kalmar kommun", "iuc  kalmar"],
            new_aktor_typ=["iuc", "", "kommun", "iuc"],
        ),
    )
    assert r.status_code == 302
    a = Aktivitet.objects.get()
    assert sorted(x.name for x in a.aktorer.all()) == ["IUC Kalmar", "Kalmar kommun"]
    assert Aktor.objects.count() == 2


def test_a_new_actor_without_type_is_named_and_nothing_is_saved(client, cast):
    client.force_login(cast.coordinator)
    r = client.post(
        reverse("aktiviteter:ny"),
        post_data(cast, new_aktor_name=["IUC Kalmar", "Kalmar kommun"], new_aktor_typ=["iuc", ""]),
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "Välj vilken typ av aktör det är." in body and 'value="Kalmar kommun"' in body
    assert not Aktivitet.objects.exists() and not Aktor.objects.exists()

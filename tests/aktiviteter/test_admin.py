import pytest
from django.contrib import admin
from django.urls import reverse

from aktiviteter.models import Aktivitet, Aktor, Strukturfondsprojekt
from historik.models import Handelse
from tests import factories as f
from tests.helpers import management as _management

from .helpers import make_aktivitet, make_aktor, make_forum, make_projekt

pytestmark = pytest.mark.django_db


def test_admin_pages_render_and_activities_are_read_only(client, django_user_model, cast):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-x-123456")
    client.force_login(root)
    a = make_aktivitet(cast.se21)
    forum = make_forum(cast.se21)
    make_projekt([cast.se21])
    for model in admin.site._registry:
        if model._meta.app_label != "aktiviteter":
            continue
        url = reverse(f"admin:aktiviteter_{model._meta.model_name}_changelist")
        assert client.get(url + "?q=a").status_code == 200, url
    assert client.get(reverse("admin:aktiviteter_forum_change", args=[forum.pk])).status_code == 200
    assert client.get(reverse("admin:aktiviteter_aktivitet_add")).status_code == 403
    r = client.post(reverse("admin:aktiviteter_aktivitet_change", args=[a.pk]), {"title": "x"})
    assert r.status_code == 403


# --- the audit trail of admin changes ---------------------------------------------------


@pytest.fixture
def root_client(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-x-123456")
    client.force_login(root)
    client.root = root
    return client


def test_actor_change_is_recorded_with_diff_and_bumps_the_version(root_client, cast):
    aktor = make_aktor(nuts=cast.se21)
    url = reverse("admin:aktiviteter_aktor_change", args=[aktor.pk])
    data = {"name": "Region Kronoberg", "typ": Aktor.Typ.REGION, "nuts_omrade": cast.se21.pk}
    r = root_client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    row = Handelse.objects.get(action=Handelse.Action.UPDATE, model="aktiviteter.Aktor")
    assert row.changes["name"] == ["Region Jönköpings län", "Region Kronoberg"]
    assert row.changes["version"] == [0, 1]
    assert set(row.changes) == {"name", "version", "updated_at"}
    assert row.user == root_client.root and row.nuts_omrade_id == cast.se21.pk
    # A stale form in the app now meets a conflict instead of undoing the admin's change.
    aktor.refresh_from_db()
    assert aktor.version == 1


def test_actor_web_address_without_scheme_is_https_in_admin(root_client, cast):
    aktor = make_aktor(nuts=cast.se21)
    url = reverse("admin:aktiviteter_aktor_change", args=[aktor.pk])
    data = {"name": aktor.name, "typ": aktor.typ, "nuts_omrade": cast.se21.pk}
    r = root_client.post(url, {**data, "web": "regionkronoberg.se"})
    assert r.status_code == 302
    aktor.refresh_from_db()
    assert aktor.web == "https://regionkronoberg.se"


def test_forum_seat_inline_is_recorded_with_the_forums_area(root_client, cast):
    forum = make_forum(cast.se22)
    person = f.PersonFactory(name="Sara Sätesson", user=None)
    data = {"name": "Industrirådet Skåne", "typ": forum.typ, "nuts_omrade": cast.se22.pk}
    data.update(_management("platser", 1))
    data.update(
        {
            "platser-0-person": person.pk,
            "platser-0-role": "ledamot",
            "platser-0-start": "2024-01-01",
        }
    )
    r = root_client.post(reverse("admin:aktiviteter_forum_change", args=[forum.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    forum_row = Handelse.objects.get(model="aktiviteter.Forum")
    assert forum_row.changes["name"] == ["Industrirådet", "Industrirådet Skåne"]
    seat = Handelse.objects.get(model="aktiviteter.ForumPlats")
    assert seat.action == Handelse.Action.CREATE and seat.nuts_omrade_id == cast.se22.pk
    assert seat.changes["person_id"] == [None, person.pk]


def test_project_area_change_shows_in_diff(root_client, cast):
    projekt = make_projekt([cast.se21])
    data = {
        "name": projekt.name,
        "fund": projekt.fund,
        "union_role": projekt.union_role,
        "omraden": [cast.se21.pk, cast.se22.pk],
        "participants_women": 0,
        "participants_men": 0,
    }
    r = root_client.post(
        reverse("admin:aktiviteter_strukturfondsprojekt_change", args=[projekt.pk]), data
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    row = Handelse.objects.get(model="aktiviteter.Strukturfondsprojekt")
    before, after = row.changes["omraden"]
    assert before == [str(cast.se21.pk)]
    assert sorted(after) == sorted([str(cast.se21.pk), str(cast.se22.pk)])


def test_bad_autocomplete_value_gives_form_error_not_server_error(root_client, cast):
    data = {"name": "X", "fund": "esf", "union_role": "partner", "owner": "abc", "partners": "x"}
    r = root_client.post(reverse("admin:aktiviteter_strukturfondsprojekt_add"), data)
    assert r.status_code == 200
    assert not Strukturfondsprojekt.objects.filter(name="X").exists()


def test_bulk_delete_of_activities_is_recorded_per_row(root_client, cast):
    a = make_aktivitet(cast.se21, title="Första")
    b = make_aktivitet(cast.se22, title="Andra")
    r = root_client.post(
        reverse("admin:aktiviteter_aktivitet_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk, b.pk], "post": "yes"},
    )
    assert r.status_code == 302
    assert not Aktivitet.objects.filter(pk__in=[a.pk, b.pk]).exists()
    rows = Handelse.objects.filter(action=Handelse.Action.DELETE, model="aktiviteter.Aktivitet")
    assert {(h.object_id, h.nuts_omrade_id) for h in rows} == {
        (str(a.pk), cast.se21.pk),
        (str(b.pk), cast.se22.pk),
    }
    assert {h.changes["title"][0] for h in rows} == {"Första", "Andra"}

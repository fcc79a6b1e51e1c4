"""Each writing service checks the permission itself, with the view's predicate and its
Swedish message: a task or a command calling the service cannot skip what the page asks.
(Who gets which status on which page is the access matrix's, tests/historik/test_url_walk.py.)"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from aktiviteter import importer, services
from aktiviteter.forms import AktorForm, ForumForm, ProjektForm
from aktiviteter.models import Aktivitet, Aktor, Forum
from avdelningar.access import scope_for
from historik.models import Handelse

from .helpers import data, make_aktivitet, make_aktor, make_projekt

pytestmark = pytest.mark.django_db


def refused(message):
    return pytest.raises(PermissionDenied, match=f"^{message}$")


def test_a_reader_cannot_log_through_the_service(cast):
    with refused(services.CANNOT_LOG):
        services.aktivitet_create(user=cast.steering, data=data(cast.se21))
    with refused(services.CANNOT_LOG):
        services.aktivitet_save(user=cast.board_national, data=data(cast.se21))
    assert not Aktivitet.objects.exists()


def test_a_reader_cannot_import_through_the_importer_or_the_service(cast):
    with refused(services.CANNOT_IMPORT):
        importer.check([], user=cast.steering)
    with refused(services.CANNOT_IMPORT):
        importer.save(importer.Plan(), user=cast.steering)
    with refused(services.CANNOT_IMPORT):
        services.aktivitet_bulk_create(user=cast.steering, rows=[(2, data(cast.se21), "k" * 64)])
    assert not Aktivitet.objects.exists()


def test_change_and_next_step_are_refused_to_readers_with_the_pages_message(cast):
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1], next_step="Ring regionen")
    with refused(services.READ_ONLY):
        services.aktivitet_update(
            aktivitet=a, user=cast.steering, data=data(cast.se21), expected_version=0
        )
    with refused(services.READ_ONLY):
        services.aktivitet_next_step_done(aktivitet=a, user=cast.neighbour)
    a.refresh_from_db()
    assert a.version == 0 and a.next_step_done_at is None
    assert not Handelse.objects.filter(model="aktiviteter.Aktivitet").exists()


def test_department_users_change_but_do_not_delete(cast):
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1], next_step="Ring regionen")
    assert services.aktivitet_next_step_done(aktivitet=a, user=cast.changeleader)
    with refused(services.CANNOT_DELETE):
        services.aktivitet_delete(aktivitet=a, user=cast.board)
    assert Aktivitet.objects.filter(pk=a.pk).exists()


def test_a_joint_activity_is_changed_only_by_whoever_has_all_its_departments(cast):
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1, cast.a2])
    assert not a.can_edit(scope_for(cast.board))
    assert a.can_edit(scope_for(cast.coordinator))
    assert not make_aktivitet(cast.se21).can_edit(scope_for(cast.board))


def test_the_area_decides_without_loading_the_departments(cast, django_assert_num_queries):
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1])
    scope = scope_for(cast.coordinator)
    with django_assert_num_queries(0):
        assert a.can_edit(scope)


def test_the_leader_may_change_a_project_without_its_areas_being_read(
    cast, django_assert_num_queries
):
    projekt = make_projekt([cast.se22])
    leader, coordinator = scope_for(cast.leader), scope_for(cast.coordinator)
    with django_assert_num_queries(0):
        assert projekt.can_edit(leader)
    assert not projekt.can_edit(coordinator)
    projekt.omraden.add(cast.se21)
    assert projekt.can_edit(coordinator)


def _aktor_form(user, instance, **changes):
    post = {"name": instance.name, "typ": instance.typ, "version": instance.version}
    post["nuts_omrade"] = instance.nuts_omrade_id or ""
    post.update(changes)
    form = AktorForm(post, instance=instance, scope=scope_for(user))
    assert form.is_valid(), form.errors
    return form


def test_register_save_refuses_a_row_the_user_may_only_read(cast):
    aktor = make_aktor(nuts=cast.se21)
    # A form the coordinator may fill, saved as another area's coordinator.
    form = _aktor_form(cast.coordinator, aktor, phone="010-123 45 67")
    with refused(services.register_read_only(Aktor)):
        services.register_save(user=cast.other_coordinator, form=form)
    assert Aktor.objects.get(pk=aktor.pk).phone == ""
    assert not Handelse.objects.filter(model="aktiviteter.Aktor").exists()


def test_register_save_asks_the_stored_row_not_the_posted_one(cast):
    # The leader's form moves the actor into SE21; the SE21 coordinator may not change an
    # SE22 actor for all that.
    aktor = make_aktor(nuts=cast.se22)
    form = _aktor_form(cast.leader, aktor, nuts_omrade=cast.se21.pk)
    with refused(services.register_read_only(Aktor)):
        services.register_save(user=cast.coordinator, form=form)
    assert Aktor.objects.get(pk=aktor.pk).nuts_omrade == cast.se22


def test_register_save_refuses_a_new_row_to_a_department_user(cast):
    post = {"name": "Industrirådet", "typ": Forum.Typ.INDUSTRIRAD, "nuts_omrade": cast.se21.pk}
    form = ForumForm(post, instance=Forum(), scope=scope_for(cast.leader))
    assert form.is_valid(), form.errors
    with refused(services.register_read_only(Forum)):
        services.register_save(user=cast.changeleader, form=form)
    assert not Forum.objects.exists()


def test_a_joint_project_is_saved_by_either_areas_coordinator(cast):
    projekt = make_projekt([cast.se21, cast.se22], start=datetime.date(2024, 1, 1))
    post = {
        "name": projekt.name,
        "fund": projekt.fund,
        "union_role": projekt.union_role,
        "omraden": [cast.se21.pk, cast.se22.pk],
        "participants_women": 3,
        "participants_men": 4,
        "version": projekt.version,
    }
    form = ProjektForm(post, instance=projekt, scope=scope_for(cast.other_coordinator))
    assert form.is_valid(), form.errors
    saved = services.register_save(user=cast.other_coordinator, form=form)
    assert saved.participants_women == 3
    assert Handelse.objects.get(model="aktiviteter.Strukturfondsprojekt").changes


def test_the_pages_refuse_with_the_services_words(client, cast):
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1])
    aktor = make_aktor(nuts=cast.se21)
    client.force_login(cast.steering)
    for url, message in [
        ("/aktiviteter/ny/", services.CANNOT_LOG),
        ("/aktiviteter/import/", services.CANNOT_IMPORT),
        (f"/aktiviteter/{a.pk}/andra/", services.READ_ONLY),
        (f"/aktiviteter/{a.pk}/ta-bort/", services.CANNOT_DELETE),
        (f"/aktiviteter/aktorer/{aktor.pk}/andra/", services.register_read_only(Aktor)),
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert message in response.content.decode(), url

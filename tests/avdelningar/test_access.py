import pytest

from avdelningar.access import scope_for

pytestmark = pytest.mark.django_db


def test_department_board_sees_and_edits_only_own_department(cast):
    s = scope_for(cast.board)
    assert s.can_see_avdelning(cast.a1) and s.can_edit_avdelning(cast.a1)
    assert not s.can_see_avdelning(cast.a2)
    assert not s.can_see_avdelning(cast.b1)
    assert set(s.visible_avdelningar()) == {cast.a1}


def test_change_leader_reads_and_logs_but_does_not_edit(cast):
    s = scope_for(cast.changeleader)
    assert s.can_see_avdelning(cast.a1)
    assert s.can_log_for_avdelning(cast.a1)
    assert not s.can_edit_avdelning(cast.a1)


def test_coordinator_sees_and_edits_own_area_only(cast):
    s = scope_for(cast.coordinator)
    assert {a.name for a in s.visible_avdelningar()} == {"Avdelning A1", "Avdelning A2"}
    assert s.can_edit_avdelning(cast.a2)
    assert not s.can_see_avdelning(cast.b1)
    assert s.can_edit_nuts(cast.se21.pk) and not s.can_see_nuts(cast.se22.pk)


def test_national_readers_read_everything_and_edit_nothing(cast):
    for user in (cast.steering, cast.board_national):
        s = scope_for(user)
        assert s.reads_all
        assert s.can_see_avdelning(cast.b1)
        assert not s.can_edit_avdelning(cast.b1)
        assert not s.can_edit_nuts(cast.se21.pk)


def test_project_leader_edits_everything(cast):
    s = scope_for(cast.leader)
    assert s.is_project_leader
    assert s.can_edit_avdelning(cast.b1) and s.can_edit_nuts(cast.se22.pk)


def test_user_without_assignment_sees_nothing(cast):
    s = scope_for(cast.nobody)
    assert not s.has_any_role
    assert s.visible_avdelningar().count() == 0
    assert s.visible_nuts().count() == 0


def test_ended_assignment_gives_no_access(cast):
    from datetime import date

    cast.board.person.uppdrag.update(end=date(2020, 1, 1))
    s = scope_for(type(cast.board).objects.get(pk=cast.board.pk))
    assert not s.can_see_avdelning(cast.a1)


def test_scope_is_computed_once_per_user_object(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        scope_for(cast.board)
        scope_for(cast.board)

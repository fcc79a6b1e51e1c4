"""Who sees which questionnaire and answer, beyond the access table's columns: the change
leader reads the department's answer but does not write it; a draft is the project
leader's alone; lists show each user only theirs."""

import pytest
from django.urls import reverse

from avdelningar.access import (
    builds_enkater,
    can_answer_enkat,
    can_see_enkatsvar,
    scope_for,
    sees_enkat_results,
)
from enkater.views import visible_enkater

from .helpers import make_enkat, send, sent_to

pytestmark = pytest.mark.django_db


def test_the_change_leader_reads_the_answer_but_does_not_write_it(client, cast):
    svar = sent_to(cast.a1).svar.get()
    client.force_login(cast.changeleader)
    page = client.get(reverse("enkater:svar", args=[svar.pk])).content.decode()
    assert "Du kan läsa svaret" in page and "Skicka in svaret" not in page
    assert client.post(reverse("enkater:svar", args=[svar.pk]), {"version": "1"}).status_code == 403


def test_the_predicates(cast):
    svar = sent_to(cast.a1).svar.get()
    assert builds_enkater(scope_for(cast.leader)) and not builds_enkater(scope_for(cast.steering))
    assert can_answer_enkat(scope_for(cast.board), svar)
    assert not can_answer_enkat(scope_for(cast.coordinator), svar)
    assert not can_answer_enkat(scope_for(cast.leader), svar)
    assert can_see_enkatsvar(scope_for(cast.coordinator), svar)
    assert not can_see_enkatsvar(scope_for(cast.neighbour), svar)
    assert not can_see_enkatsvar(scope_for(cast.board_national), svar)
    assert not can_see_enkatsvar(scope_for(cast.wlu), svar)
    assert sees_enkat_results(scope_for(cast.steering), None)
    assert not sees_enkat_results(scope_for(cast.coordinator), None)
    assert not sees_enkat_results(scope_for(cast.other_coordinator), cast.se21.pk)


def test_an_areas_answer_is_written_by_its_coordinator(cast):
    e = send(make_enkat(), areas=[cast.se21])
    svar = e.svar.get()
    assert can_answer_enkat(scope_for(cast.coordinator), svar)
    assert not can_answer_enkat(scope_for(cast.board), svar)
    assert not can_see_enkatsvar(scope_for(cast.board), svar)


def test_a_draft_is_the_project_leaders_alone(cast):
    draft = make_enkat()
    for user in (cast.steering, cast.coordinator, cast.board):
        assert not visible_enkater(user).filter(pk=draft.pk).exists()
    assert visible_enkater(cast.leader).filter(pk=draft.pk).exists()


def test_the_questionnaire_page_shows_a_department_only_its_own_answer(client, cast):
    e = send(make_enkat(), avdelningar=[cast.a1, cast.a2])
    client.force_login(cast.board)
    page = client.get(e.get_absolute_url()).content.decode()
    assert "Avdelning A1" in page and "Avdelning A2" not in page
    assert "1 andra mottagare" in page and "Resultat" not in page
    client.force_login(cast.coordinator)
    page = client.get(e.get_absolute_url()).content.decode()
    assert "Avdelning A2" in page and "Resultat SE21" in page and "alla områden" not in page

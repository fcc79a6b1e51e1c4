import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from aktiviteter import services
from aktiviteter.models import NOTES_MAX, Aktivitet, Aktor, Forum, Strukturfondsprojekt
from avdelningar.access import scope_for
from historik.models import Handelse
from historik.services import ConflictError
from tests import factories as f

from .helpers import data, goals, make_aktivitet, make_forum, make_projekt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Aktivitet, "typ"),
        (Aktor, "typ"),
        (Forum, "typ"),
        (Strukturfondsprojekt, "fund"),
        (Strukturfondsprojekt, "union_role"),
    ],
)
def test_text_choices_are_enforced_by_the_database(cast, model, field):
    constraint_fields = {
        c.name for c in model._meta.constraints if field in str(getattr(c, "condition", ""))
    }
    assert constraint_fields, f"{model.__name__}.{field} has no check constraint"


def test_invalid_type_is_refused_by_the_database(cast):
    a = make_aktivitet(cast.se21)
    with pytest.raises(IntegrityError), transaction.atomic():
        Aktivitet.objects.filter(pk=a.pk).update(typ="nonsense")


def test_negative_participants_are_refused_by_the_database(cast):
    a = make_aktivitet(cast.se21)
    with pytest.raises(IntegrityError), transaction.atomic():
        Aktivitet.objects.filter(pk=a.pk).update(participants_women=-1)


def test_coordinator_logs_a_minimal_activity_with_history(cast):
    a = services.aktivitet_create(user=cast.coordinator, data=data(cast.se21))
    assert a.created_by == cast.coordinator
    assert list(a.verksamhetsmal.values_list("number", flat=True)) == [1]
    h = Handelse.objects.get(model="aktiviteter.Aktivitet", object_id=str(a.pk))
    assert h.action == Handelse.Action.CREATE


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"verksamhetsmal": []}, "verksamhetsmal"),
        ({"date": datetime.date(2018, 12, 31)}, "date"),
        ({"date": datetime.date.today() + datetime.timedelta(days=800)}, "date"),
        ({"notes": "x" * (NOTES_MAX + 1)}, "notes"),
        ({"participants_men": -3}, "participants_men"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(cast, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.aktivitet_create(user=cast.coordinator, data=data(cast.se21, **overrides))
    assert field in exc.value.message_dict
    assert not Aktivitet.objects.exists()


def test_forum_and_project_of_another_area_are_refused(cast):
    forum = make_forum(cast.se22, name="Industriråd Skåne")
    projekt = make_projekt([cast.se22])
    with pytest.raises(ValidationError) as exc:
        services.aktivitet_create(
            user=cast.coordinator, data=data(cast.se21, forum=forum, projekt=projekt)
        )
    assert {"forum", "projekt"} <= set(exc.value.message_dict)


def test_workplace_must_belong_to_a_chosen_department(cast):
    ap = f.ArbetsplatsFactory(avdelning=cast.a2)
    with pytest.raises(ValidationError) as exc:
        services.aktivitet_create(
            user=cast.coordinator, data=data(cast.se21, avdelningar=[cast.a1], arbetsplatser=[ap])
        )
    assert "arbetsplatser" in exc.value.message_dict


def test_department_user_logs_for_own_department_only(cast):
    a = services.aktivitet_create(
        user=cast.changeleader, data=data(cast.se21, avdelningar=[cast.a1])
    )
    assert list(a.avdelningar.all()) == [cast.a1]
    for bad in ([cast.a2], [cast.a1, cast.a2], []):
        with pytest.raises(ValidationError):
            services.aktivitet_create(user=cast.changeleader, data=data(cast.se21, avdelningar=bad))
    with pytest.raises(ValidationError):
        services.aktivitet_create(user=cast.outsider, data=data(cast.se21, avdelningar=[cast.b1]))


def test_other_areas_coordinator_cannot_log_in_se21(cast):
    with pytest.raises(ValidationError):
        services.aktivitet_create(user=cast.other_coordinator, data=data(cast.se21))


def test_update_uses_optimistic_locking(cast):
    a = services.aktivitet_create(user=cast.coordinator, data=data(cast.se21))
    services.aktivitet_update(
        aktivitet=a, user=cast.coordinator, data=data(cast.se21, title="Nytt"), expected_version=0
    )
    stale = Aktivitet.objects.get(pk=a.pk)
    with pytest.raises(ConflictError):
        services.aktivitet_update(
            aktivitet=stale,
            user=cast.coordinator,
            data=data(cast.se21, title="Gammalt"),
            expected_version=0,
        )
    assert Aktivitet.objects.get(pk=a.pk).title == "Nytt"
    h = Handelse.objects.filter(action=Handelse.Action.UPDATE).get()
    assert h.changes["title"] == ["Möte", "Nytt"]


def test_read_only_roles_cannot_update(cast):
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1])
    for user in (cast.steering, cast.other_coordinator, cast.neighbour):
        with pytest.raises(PermissionDenied):
            services.aktivitet_update(
                aktivitet=a, user=user, data=data(cast.se21), expected_version=0
            )


def test_aktor_create_by_coordinator_and_not_by_department_user(cast):
    a = services.aktor_create(
        user=cast.coordinator, name="  IUC  Smaland ", typ="iuc", nuts_omrade=cast.se21
    )
    assert a.name == "IUC Smaland" and a.nuts_omrade == cast.se21
    again = services.aktor_create(
        user=cast.coordinator, name="iuc smaland", typ="iuc", nuts_omrade=cast.se21
    )
    assert again == a
    with pytest.raises(PermissionDenied):
        services.aktor_create(user=cast.board, name="X", typ="iuc", nuts_omrade=cast.se21)
    with pytest.raises(PermissionDenied):
        services.aktor_create(user=cast.coordinator, name="Y", typ="iuc", nuts_omrade=cast.se22)


def test_scope_filter_area_or_departments(cast):
    """The access rule for activities (Scope.filter_area_or_departments)."""
    own_area = make_aktivitet(cast.se21, title="se21 utan avdelning")
    a1 = make_aktivitet(cast.se21, avdelningar=[cast.a1], title="a1")
    a1a2 = make_aktivitet(cast.se21, avdelningar=[cast.a1, cast.a2], title="a1a2")
    cross = make_aktivitet(cast.se22, avdelningar=[cast.b1, cast.a2], title="cross")
    b1 = make_aktivitet(cast.se22, avdelningar=[cast.b1], title="b1")

    def seen(user):
        return set(Aktivitet.objects.visible_to(scope_for(user)))

    assert seen(cast.board) == {a1, a1a2}
    assert seen(cast.neighbour) == {a1a2, cross}
    assert seen(cast.coordinator) == {own_area, a1, a1a2, cross}
    assert seen(cast.other_coordinator) == {cross, b1}
    assert seen(cast.steering) == {own_area, a1, a1a2, cross, b1}
    assert seen(cast.nobody) == set()
    # Each row once, even when several of the user's departments match.
    assert Aktivitet.objects.visible_to(scope_for(cast.coordinator)).count() == 4


def test_can_edit(cast):
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1])
    assert a.can_edit(scope_for(cast.coordinator))
    assert a.can_edit(scope_for(cast.changeleader))
    assert a.can_edit(scope_for(cast.leader))
    assert not a.can_edit(scope_for(cast.neighbour))
    assert not a.can_edit(scope_for(cast.steering))
    assert not a.can_edit(scope_for(cast.other_coordinator))


def test_search_finds_words_in_notes(cast):
    a = make_aktivitet(cast.se21, notes="Vi diskuterade kompetensförsörjningen i industrin")
    make_aktivitet(cast.se21, notes="Annat")
    assert list(Aktivitet.objects.search("kompetensförsörjningen")) == [a]


def test_keyset_paging_walks_every_row_once(cast):
    rows = [
        make_aktivitet(cast.se21, date=datetime.date(2024, 1, 1 + i % 5), title=f"T{i:02}")
        for i in range(13)
    ]
    for sort in ("-date", "date", "title", "-title"):
        seen, cursor = [], None
        while True:
            page, cursor = Aktivitet.objects.all().keyset_page(sort=sort, after=cursor, size=4)
            seen += page
            if not cursor:
                break
        assert sorted(a.pk for a in seen) == sorted(a.pk for a in rows)
        assert len(seen) == len(rows)


def test_goals_helper(cast):
    assert [g.number for g in goals(2, 8)] == [2, 8]

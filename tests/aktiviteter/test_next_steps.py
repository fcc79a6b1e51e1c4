"""Next steps (issue 12, "Activities"): collected on the form, shown on the start page of
the user who logged the activity, overdue first, and marked done there (recorded)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aktiviteter import services
from aktiviteter.models import Aktivitet
from historik.models import Handelse

from .helpers import data, make_aktivitet

pytestmark = pytest.mark.django_db


def step(cast, title, *, due=None, by=None, **kw):
    return make_aktivitet(
        cast.se21,
        avdelningar=[cast.a1],
        title=title,
        next_step=f"Följ upp {title}",
        next_step_due=due,
        created_by=by or cast.coordinator,
        **kw,
    )


def test_start_page_lists_own_open_next_steps_overdue_first(client, cast):
    today = timezone.localdate()
    later = step(cast, "Senare", due=today + datetime.timedelta(days=10))
    undated = step(cast, "Utan datum")
    overdue = step(cast, "Försenad", due=today - datetime.timedelta(days=3))
    step(cast, "Någon annans", due=today, by=cast.leader)
    done = step(cast, "Klar", due=today)
    Aktivitet.objects.filter(pk=done.pk).update(next_step_done_at=timezone.now())
    make_aktivitet(cast.se21, title="Inget nästa steg", created_by=cast.coordinator)

    client.force_login(cast.coordinator)
    r = client.get(reverse("start"))
    assert [a.pk for a in r.context["next_steps"]] == [overdue.pk, later.pk, undated.pk]
    body = r.content.decode()
    assert "Dina nästa steg" in body and "Följ upp Försenad" in body
    assert body.index("försenat") < body.index("Följ upp Senare")
    assert "Följ upp Någon annans" not in body and "Följ upp Klar" not in body


def test_marking_done_is_recorded_and_leaves_the_start_page(client, cast):
    a = step(cast, "Offert", due=timezone.localdate())
    client.force_login(cast.coordinator)
    url = reverse("aktiviteter:nasta_steg_klart", args=[a.pk])
    r = client.post(url, {"next": reverse("start")})
    assert r.status_code == 302 and r.url == reverse("start")
    a.refresh_from_db()
    assert a.next_step_done_at is not None and a.updated_by == cast.coordinator
    row = Handelse.objects.get(action=Handelse.Action.UPDATE, object_id=str(a.pk))
    assert list(row.changes) == ["next_step_done_at"] and row.user == cast.coordinator
    assert not client.get(reverse("start")).context["next_steps"]
    # Twice changes nothing.
    client.post(url)
    assert Handelse.objects.filter(object_id=str(a.pk)).count() == 1
    body = client.get(reverse("aktiviteter:detalj", args=[a.pk])).content.decode()
    assert "klart " in body


def test_next_target_outside_the_site_is_not_followed(client, cast):
    a = step(cast, "Offert")
    client.force_login(cast.coordinator)
    r = client.post(
        reverse("aktiviteter:nasta_steg_klart", args=[a.pk]), {"next": "https://evil.example/"}
    )
    assert r.url == a.get_absolute_url()


def test_read_only_users_cannot_mark_done(client, cast):
    a = step(cast, "Offert")
    for who, status in (("steering", 403), ("other_coordinator", 404), ("neighbour", 404)):
        client.force_login(getattr(cast, who))
        assert (
            client.post(reverse("aktiviteter:nasta_steg_klart", args=[a.pk])).status_code == status
        )
    a.refresh_from_db()
    assert a.next_step_done_at is None


def test_a_changed_next_step_is_open_again(cast):
    a = step(cast, "Offert")
    services.aktivitet_next_step_done(aktivitet=a, user=cast.coordinator)
    a = Aktivitet.objects.get(pk=a.pk)
    services.aktivitet_update(
        aktivitet=a,
        user=cast.coordinator,
        data=data(cast.se21, avdelningar=[cast.a1], next_step="Ring igen"),
        expected_version=a.version,
    )
    assert Aktivitet.objects.get(pk=a.pk).next_step_done_at is None


def test_no_button_for_a_step_the_user_may_no_longer_change(client, cast):
    """A change leader's activity to which the coordinator added another department:
    the step is still theirs to see, but "Klart" would be refused, so it is not offered."""
    mine = step(cast, "Egen", by=cast.changeleader)
    joint = step(cast, "Gemensam", by=cast.changeleader)
    joint.avdelningar.add(cast.a2)
    client.force_login(cast.changeleader)
    r = client.get(reverse("start"))
    assert {a.pk: a.can_mark_done for a in r.context["next_steps"]} == {
        mine.pk: True,
        joint.pk: False,
    }
    body = r.content.decode()
    assert body.count(reverse("aktiviteter:nasta_steg_klart", args=[mine.pk])) == 1
    assert reverse("aktiviteter:nasta_steg_klart", args=[joint.pk]) not in body


def test_start_page_queries_do_not_grow_with_next_steps(
    client, cast, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    step(cast, "Första")
    client.force_login(cast.coordinator)
    client.get(reverse("start"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("start"))
    for i in range(8):
        step(cast, f"Steg {i}").avdelningar.add(cast.a2)
    with django_assert_max_num_queries(len(few)):
        r = client.get(reverse("start"))
    assert len(r.context["next_steps"]) == 9

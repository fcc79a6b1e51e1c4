"""Every report service that changes data asks access.py itself, with the view's message,
so a second caller (a task, a command, an API) cannot skip the view's check. The views'
answers per role are the access table's (tests/security/tables/rapporter.py)."""

import pytest
from django.core.exceptions import PermissionDenied

from historik.models import Handelse
from rapporter import services
from rapporter.models import Berattelse, Kostnad, Rapportversion

STYR = Rapportversion.Edition.STYRGRUPP


def refused(message, call, **kwargs):
    with pytest.raises(PermissionDenied) as exc:
        call(**kwargs)
    assert str(exc.value) == message


def compiled(**kwargs):
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False, **kwargs)
    return services.rapport_compile(version_id=v.pk)


def test_only_the_leader_requests_a_version(cast):
    for who in ("steering", "coordinator", "board_national"):
        refused(
            services.COMPILE_DENIED,
            services.rapport_request,
            year=2024,
            edition=STYR,
            user=getattr(cast, who),
            enqueue=False,
        )
    assert not Rapportversion.objects.exists()
    assert services.rapport_request(year=2024, edition=STYR, user=cast.leader, enqueue=False)
    # The system (the yearly schedule, the shell command) has no user to ask.
    assert services.rapport_request(year=2024, edition=STYR, enqueue=False)


def test_only_the_steering_group_approves(cast):
    v = compiled()
    for who in ("leader", "board_national", "coordinator"):
        refused(
            services.APPROVE_DENIED, services.rapport_approve, version=v, user=getattr(cast, who)
        )
    v.refresh_from_db()
    assert not v.is_approved
    assert services.rapport_approve(version=v, user=cast.steering).is_approved


def test_only_the_leader_withdraws(cast):
    v = compiled()
    for who in ("steering", "coordinator"):
        refused(
            services.WITHDRAW_DENIED, services.rapport_withdraw, version=v, user=getattr(cast, who)
        )
    v.refresh_from_db()
    assert v.status == Rapportversion.Status.DONE


def test_only_the_leader_enters_costs(cast):
    costs = {
        "year": 2024,
        "expected_version": 0,
        "coordinators": 1,
        "project_leader": 2,
        "other": 3,
    }
    for who in ("steering", "coordinator"):
        refused(services.COSTS_EDIT_DENIED, services.kostnad_save, user=getattr(cast, who), **costs)
    assert not Kostnad.objects.exists()
    assert services.kostnad_save(user=cast.leader, **costs).total == 6


@pytest.mark.parametrize(
    ("who", "area", "allowed"),
    [
        ("leader", None, True),
        ("leader", "se21", False),
        ("coordinator", "se21", True),
        ("coordinator", "se22", False),
        ("coordinator", None, False),
        ("steering", None, False),
    ],
)
def test_each_narrative_is_its_writers(cast, who, area, allowed):
    text = {"year": 2024, "expected_version": 0, "text": "Året gick bra."}
    nuts = getattr(cast, area) if area else None
    user = getattr(cast, who)
    if allowed:
        services.berattelse_save(nuts_omrade=nuts, user=user, **text)
        assert Berattelse.objects.get(year=2024, nuts_omrade=nuts).text == "Året gick bra."
    else:
        refused(
            services.NARRATIVE_DENIED, services.berattelse_save, nuts_omrade=nuts, user=user, **text
        )
        assert not Berattelse.objects.exists()
        assert not Handelse.objects.filter(model="rapporter.Berattelse").exists()


def test_reading_and_exporting_are_recorded_only_for_who_may(cast):
    from django.http import Http404

    v = compiled()
    before = Handelse.objects.count()
    # An unapproved version: the national board may not see it, so nothing is recorded.
    with pytest.raises(Http404):
        services.rapport_read_record(version=v, user=cast.board_national, what="PDF")
    refused(
        services.COSTS_DENIED, services.kostnad_export_record, year=2024, user=cast.board, fmt="csv"
    )
    assert Handelse.objects.count() == before
    services.rapport_read_record(version=v, user=cast.leader, what="PDF")
    services.kostnad_export_record(year=2024, user=cast.leader, fmt="csv")
    actions = list(Handelse.objects.order_by("-pk").values_list("action", flat=True)[:2])
    assert actions == [Handelse.Action.EXPORT, Handelse.Action.DOWNLOAD]

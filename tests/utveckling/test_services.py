"""The workflow's services: each checks its right itself, refuses a wrong step with a
clear message and changes nothing, and records itself in the trail. And the whole flow:
assessed, proposed, decided, taking part; next year's cost split includes the area's
departments, an earlier year's is unchanged."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from avdelningar.models import Deltagande, NutsOmrade, Projektbeslut, Roll, Uppdrag
from historik.models import Handelse
from rapporter.kostnad import allocate
from rapporter.models import Kostnad, Rapportversion
from tests import factories as f
from tests.utveckling.helpers import all_criteria, area_with_departments, kandidat
from utveckling import services
from utveckling.models import Kandidat, Status

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2026, 11, 20)
JOINS = datetime.date(2027, 1, 1)


def test_only_the_leader_creates_a_candidate(cast):
    se12 = NutsOmrade.objects.get(code="SE12")
    with pytest.raises(PermissionDenied):
        services.kandidat_create(nuts_omrade=se12, year=2027, user=cast.steering)
    for user in (cast.board_national, cast.coordinator, cast.wlu, cast.board):
        with pytest.raises(Http404):
            services.kandidat_create(nuts_omrade=se12, year=2027, user=user)
    assert not Kandidat.objects.exists()
    services.kandidat_create(nuts_omrade=se12, year=2027, user=cast.leader)
    assert Handelse.objects.filter(model="utveckling.Kandidat", action="create").count() == 1


def test_an_area_taking_part_is_no_candidate(cast):
    with pytest.raises(ValidationError, match="deltar redan"):
        services.kandidat_create(nuts_omrade=cast.se21, year=2027, user=cast.leader)
    services.kandidat_create(
        nuts_omrade=NutsOmrade.objects.get(code="SE31"), year=2027, user=cast.leader
    )
    with pytest.raises(ValidationError, match="redan kandidat"):
        services.kandidat_create(
            nuts_omrade=NutsOmrade.objects.get(code="SE31"), year=2027, user=cast.leader
        )


def test_assessment_is_the_leaders_and_locked_once_proposed(cast):
    k = kandidat(cast, stage="ny")
    args = {"answers": {}, "samordnare": None, "criteria": all_criteria(), "expected_version": 1}
    with pytest.raises(PermissionDenied):
        services.kandidat_assess(kandidat=k, user=cast.steering, **args)
    services.kandidat_assess(kandidat=k, user=cast.leader, **args)
    assert k.kriterier.filter(score=4).count() == 6
    trail = Handelse.objects.filter(model="utveckling.Kandidat", action="update").get()
    assert "kriterium geografi" in trail.changes
    k = kandidat(cast, code="SE31", stage="foreslagen")
    with pytest.raises(ValidationError, match="låst"):
        services.kandidat_assess(
            kandidat=k, user=cast.leader, **{**args, "expected_version": k.version}
        )


def test_a_stale_form_meets_a_conflict(cast):
    from historik.services import ConflictError

    k = kandidat(cast, stage="ny")
    args = {"answers": {"nytta": "A"}, "samordnare": None, "criteria": {}, "user": cast.leader}
    services.kandidat_assess(kandidat=k, expected_version=1, **args)
    with pytest.raises(ConflictError):
        services.kandidat_assess(
            kandidat=k, expected_version=1, **{**args, "answers": {"nytta": "B"}}
        )
    assert Kandidat.objects.get(pk=k.pk).nytta == "A"


def test_proposing_needs_every_criterion_and_the_three_answers(cast):
    k = kandidat(cast, stage="ny")
    with pytest.raises(ValidationError, match="alla kriterier"):
        services.kandidat_propose(kandidat=k, proposal="Ja", user=cast.leader)
    services.kandidat_assess(
        kandidat=k,
        answers={},
        samordnare=None,
        criteria=all_criteria(),
        expected_version=1,
        user=cast.leader,
    )
    with pytest.raises(ValidationError, match="tre frågor"):
        services.kandidat_propose(kandidat=k, proposal="Ja", user=cast.leader)
    k = kandidat(cast, code="SE31")
    with pytest.raises(ValidationError, match="Skriv förslaget"):
        services.kandidat_propose(kandidat=k, proposal="  ", user=cast.leader)
    services.kandidat_propose(kandidat=k, proposal="Ja", user=cast.leader)
    assert Kandidat.objects.get(pk=k.pk).status == Status.FORESLAGEN


def test_the_steering_group_decides_not_the_proposer(cast):
    k = kandidat(cast, stage="foreslagen")
    args = {"recommended": True, "decided_on": DECIDED, "paragraph": "§ 3"}
    with pytest.raises(PermissionDenied):
        services.kandidat_sg_decide(kandidat=k, user=cast.leader, **args)
    with pytest.raises(ValidationError, match="paragraf"):
        services.kandidat_sg_decide(kandidat=k, user=cast.steering, **{**args, "paragraph": ""})
    with pytest.raises(ValidationError, match="före förslaget"):
        services.kandidat_sg_decide(
            kandidat=k, user=cast.steering, **{**args, "decided_on": datetime.date(2026, 1, 1)}
        )
    services.kandidat_sg_decide(kandidat=k, user=cast.steering, **args)
    k.refresh_from_db()
    assert (k.status, k.sg_paragraph) == (Status.TILLSTYRKT, "§ 3")
    with pytest.raises(ValidationError):
        services.kandidat_sg_decide(kandidat=k, user=cast.steering, **args)


def test_the_boards_no(cast):
    k = kandidat(cast, stage="tillstyrkt")
    services.kandidat_reject(kandidat=k, decided_on=DECIDED, user=cast.leader)
    k.refresh_from_db()
    assert (k.status, k.fs_yes, k.deltagande) == (Status.AVSLAGEN, False, None)
    assert not Deltagande.objects.filter(nuts_omrade__code="SE12").exists()
    # The no is in the decision log too, as the national board's expansion decision.
    logged = Projektbeslut.objects.get(nuts_omrade=k.nuts_omrade)
    assert (logged.kind, logged.body, logged.decided_on) == (
        "utvidgning",
        "forbundsstyrelse",
        DECIDED,
    )
    assert "deltar inte" in logged.title


def test_a_board_decision_in_the_future_is_refused_and_changes_nothing(cast):
    k = kandidat(cast, stage="tillstyrkt")
    later = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError, match="framtiden"):
        services.kandidat_delta(
            kandidat=k,
            decided_on=later,
            joined_on=later + datetime.timedelta(days=30),
            samordnare=k.samordnare,
            user=cast.leader,
        )
    assert Kandidat.objects.get(pk=k.pk).status == Status.TILLSTYRKT
    assert not Deltagande.objects.filter(nuts_omrade=k.nuts_omrade).exists()
    assert not Projektbeslut.objects.exists()


def test_the_boards_yes_waits_for_the_steering_group(cast):
    k = kandidat(cast, stage="foreslagen")
    with pytest.raises(ValidationError, match="styrgruppen har beslutat"):
        services.kandidat_delta(
            kandidat=k,
            decided_on=DECIDED,
            joined_on=JOINS,
            samordnare=k.samordnare,
            user=cast.leader,
        )


def test_taking_part_is_refused_when_the_area_takes_part(cast):
    k = kandidat(cast, stage="tillstyrkt")
    f.DeltagandeFactory(nuts_omrade=k.nuts_omrade, joined_on=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="deltar redan"):
        services.kandidat_delta(
            kandidat=k,
            decided_on=DECIDED,
            joined_on=JOINS,
            samordnare=k.samordnare,
            user=cast.leader,
        )
    assert Kandidat.objects.get(pk=k.pk).status == Status.TILLSTYRKT


def test_taking_part_is_refused_in_a_year_with_an_approved_report(cast):
    k = kandidat(cast, stage="tillstyrkt")
    Rapportversion.objects.create(
        year=2027, edition="styrgrupp", number=1, status="done", approved_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="godkänt lägesrapporten för 2027"):
        services.kandidat_delta(
            kandidat=k,
            decided_on=DECIDED,
            joined_on=JOINS,
            samordnare=k.samordnare,
            user=cast.leader,
        )
    assert not Deltagande.objects.filter(nuts_omrade=k.nuts_omrade).exists()
    with pytest.raises(ValidationError, match="före förbundsstyrelsens beslut"):
        services.kandidat_delta(
            kandidat=k,
            decided_on=DECIDED,
            joined_on=datetime.date(2026, 1, 1),
            samordnare=k.samordnare,
            user=cast.leader,
        )


def test_the_whole_flow_changes_next_years_cost_split_only(cast):
    """Done when (issue 16): assessed on every criterion, proposed, decided, taking part;
    the next year's cost split includes its departments, an earlier year's is unchanged."""
    for avd, n in ((cast.a1, 3000), (cast.a2, 1000), (cast.b1, 4000)):
        for year in (2026, 2027):
            f.MedlemsantalFactory(avdelning=avd, year=year, active_members=n)
    for year in (2026, 2027):
        Kostnad.objects.create(
            year=year, coordinators=600_000, project_leader=300_000, other=100_001
        )
    nuts, departments = area_with_departments("SE12", members=((2000,), (2000,)))
    before_2026, before_2027 = allocate(year=2026), allocate(year=2027)
    assert {r["avdelning_id"] for r in before_2027["rows"]} == {cast.a1.pk, cast.a2.pk, cast.b1.pk}

    k = kandidat(cast, stage="tillstyrkt")
    assert k.kriterier.filter(score__isnull=False).count() == 6
    coordinator = k.samordnare
    deltagande = services.kandidat_delta(
        kandidat=k, decided_on=DECIDED, joined_on=JOINS, samordnare=coordinator, user=cast.leader
    )

    k.refresh_from_db()
    assert (k.status, k.fs_yes, k.deltagande) == (Status.DELTAR, True, deltagande)
    assert (deltagande.joined_on, deltagande.samordnare) == (JOINS, coordinator)
    assert deltagande.maturity(2027) == 1 and deltagande.maturity(2026) is None
    uppdrag = Uppdrag.objects.get(person=coordinator, role=Roll.SAMORDNARE)
    assert (uppdrag.nuts_omrade, uppdrag.start, uppdrag.end) == (nuts, JOINS, None)
    notes = set(Handelse.objects.values_list("model", "action"))
    assert {
        ("avdelningar.Deltagande", "create"),
        ("avdelningar.Uppdrag", "create"),
        ("utveckling.Kandidat", "transition"),
        ("avdelningar.Projektbeslut", "create"),
    } <= notes
    logged = Projektbeslut.objects.get(nuts_omrade=nuts)
    assert (logged.kind, logged.body, logged.decided_on) == (
        "utvidgning",
        "forbundsstyrelse",
        DECIDED,
    )
    assert logged.title == f"{nuts} deltar i projektet från 2027-01-01"
    assert [link.url for link in logged.lankar.all()] == [k.get_absolute_url()]

    after_2027 = allocate(year=2027)
    assert allocate(year=2026) == before_2026
    ids = {r["avdelning_id"] for r in after_2027["rows"]}
    assert {d.pk for d in departments} <= ids
    shares = {r["avdelning_id"]: r["share"] for r in after_2027["rows"]}
    assert shares[cast.a1.pk] == pytest.approx(3000 / 12000)
    assert sum(r["amount"] for r in after_2027["rows"]) + after_2027["national"] == 1_000_001


def test_taking_part_keeps_an_assignment_the_coordinator_holds(cast):
    k = kandidat(cast, stage="tillstyrkt")
    f.UppdragFactory(
        person=k.samordnare,
        role=Roll.SAMORDNARE,
        nuts_omrade=k.nuts_omrade,
        start=datetime.date(2026, 1, 1),
    )
    services.kandidat_delta(
        kandidat=k, decided_on=DECIDED, joined_on=JOINS, samordnare=k.samordnare, user=cast.leader
    )
    assert Uppdrag.objects.filter(person=k.samordnare, role=Roll.SAMORDNARE).count() == 1

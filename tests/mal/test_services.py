import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from historik.models import Handelse
from historik.services import ConflictError
from mal import services
from mal.models import Atagande, Malvarde, Uppfoljning, Uppfoljningsperiod, Verksamhetsmal

pytestmark = pytest.mark.django_db


def new(cast, **kw):
    data = {
        "avdelning": cast.a1,
        "year": 2024,
        "verksamhetsmal": Verksamhetsmal.objects.get(number=2),
        "title": "T",
        "action_plan": "p",
    }
    data.update(kw)
    return Atagande(**data)


def target(**kw):
    return Malvarde(
        name=kw.pop("name", "Deltagare"), unit="personer", target=kw.pop("target", 10), **kw
    )


def test_board_creates_with_targets_and_history(cast):
    a = services.atagande_save(atagande=new(cast), malvarden=[target()], user=cast.board)
    assert a.status == "draft" and a.malvarden.count() == 1
    h = Handelse.objects.get(model="mal.Atagande", object_id=str(a.pk))
    assert h.action == "create" and h.avdelning_id == cast.a1.pk


@pytest.mark.parametrize(
    "who", ["neighbour", "outsider", "changeleader", "steering", "other_coordinator"]
)
def test_others_cannot_create(cast, who):
    with pytest.raises(PermissionDenied):
        services.atagande_save(atagande=new(cast), malvarden=[target()], user=getattr(cast, who))
    assert not Atagande.objects.exists()


def test_year_outside_participation_is_refused(cast):
    # SE22 joined 2020.
    with pytest.raises(ValidationError) as e:
        services.atagande_save(
            atagande=new(cast, avdelning=cast.b1, year=2019), malvarden=[], user=cast.outsider
        )
    assert "deltar inte" in str(e.value)
    assert not Atagande.objects.exists()


def test_national_year_needs_some_participating_area(cast):
    with pytest.raises(ValidationError):
        services.atagande_save(
            atagande=new(cast, avdelning=None, year=2018), malvarden=[], user=cast.leader
        )
    a = services.atagande_save(
        atagande=new(cast, avdelning=None, year=2019), malvarden=[], user=cast.leader
    )
    assert a.owner_type == "nationell"


def test_area_commitment_by_coordinator_not_board(cast):
    a = services.atagande_save(
        atagande=new(cast, avdelning=None, nuts_omrade=cast.se21),
        malvarden=[],
        user=cast.coordinator,
    )
    assert a.owner_type == "omrade"
    with pytest.raises(PermissionDenied):
        services.atagande_save(
            atagande=new(cast, avdelning=None, nuts_omrade=cast.se21, title="X"),
            malvarden=[],
            user=cast.board,
        )


def test_one_owner_constraint(cast):
    with pytest.raises(IntegrityError):
        Atagande.objects.create(
            avdelning=cast.a1,
            nuts_omrade=cast.se21,
            year=2024,
            verksamhetsmal_id=Verksamhetsmal.objects.get(number=1).pk,
            title="x",
        )


def test_negative_target_refused(cast):
    with pytest.raises(ValidationError):
        services.atagande_save(atagande=new(cast), malvarden=[target(target=-1)], user=cast.board)
    assert not Atagande.objects.exists()


def test_indicator_from_another_goal_refused(cast):
    from mal.models import Indikator

    wrong = Indikator.objects.filter(verksamhetsmal__number=7).first()
    with pytest.raises(ValidationError):
        services.atagande_save(
            atagande=new(cast), malvarden=[Malvarde(indikator=wrong, target=1)], user=cast.board
        )
    assert not Atagande.objects.exists()


def test_full_workflow(cast, mk):
    a = mk(cast.a1)
    services.atagande_submit(atagande=a, user=cast.board)
    a.refresh_from_db()
    assert a.status == "submitted" and a.submitted_at
    # Submitted: the department can no longer change it.
    a.title = "Ändrad"
    with pytest.raises(ValidationError):
        services.atagande_save(
            atagande=a, malvarden=[], user=cast.board, expected_version=a.version
        )
    a.refresh_from_db()
    assert a.title == "Kompetenslyft"
    # The board cannot approve its own, the other area's coordinator cannot either.
    for who in (cast.board, cast.other_coordinator, cast.steering):
        with pytest.raises(PermissionDenied):
            services.atagande_approve(atagande=a, user=who)
    with pytest.raises(ValidationError):
        services.atagande_return(atagande=a, user=cast.coordinator, note=" ")
    services.atagande_return(atagande=a, user=cast.coordinator, note="Mät kvinnor och män")
    a.refresh_from_db()
    assert (
        a.status == "returned"
        and a.review_note == "Mät kvinnor och män"
        and a.reviewed_by == cast.coordinator
    )
    assert a.kommentarer.filter(text__contains="Mät kvinnor").exists()
    a.title = "Bättre"
    services.atagande_save(atagande=a, malvarden=[], user=cast.board, expected_version=a.version)
    a.refresh_from_db()
    assert a.status == "draft"
    services.atagande_submit(atagande=a, user=cast.board)
    services.atagande_approve(atagande=a, user=cast.coordinator, note="Bra")
    a.refresh_from_db()
    assert a.status == "approved"
    with pytest.raises(ValidationError):
        services.atagande_save(
            atagande=a, malvarden=[], user=cast.leader, expected_version=a.version
        )
    with pytest.raises(PermissionDenied):
        services.atagande_reopen(atagande=a, user=cast.board, reason="x")
    with pytest.raises(ValidationError):
        services.atagande_reopen(atagande=a, user=cast.leader, reason="")
    services.atagande_reopen(atagande=a, user=cast.leader, reason="Ny arbetsplats")
    a.refresh_from_db()
    assert a.status == "draft"
    transitions = Handelse.objects.filter(object_id=str(a.pk), action="transition")
    assert transitions.count() == 5  # submit, return, submit, approve, reopen
    assert transitions.filter(note="Ny arbetsplats").exists()


def test_submit_needs_a_target(cast, mk):
    a = mk(cast.a1, targets=0)
    with pytest.raises(ValidationError):
        services.atagande_submit(atagande=a, user=cast.board)


def test_area_commitment_reviewed_by_leader_only(cast, mk):
    a = mk(nuts=cast.se21, status="submitted")
    with pytest.raises(PermissionDenied):
        services.atagande_approve(atagande=a, user=cast.coordinator)
    services.atagande_approve(atagande=a, user=cast.leader)


def test_second_editor_gets_conflict(cast, mk):
    a = mk(cast.a1)
    first = Atagande.objects.get(pk=a.pk)
    second = Atagande.objects.get(pk=a.pk)
    first.title = "Först"
    services.atagande_save(atagande=first, malvarden=[], user=cast.board, expected_version=0)
    second.title = "Sen"
    with pytest.raises(ConflictError):
        services.atagande_save(
            atagande=second, malvarden=[], user=cast.coordinator, expected_version=0
        )
    a.refresh_from_db()
    assert a.title == "Först"


def test_copy_last_year_is_idempotent(cast, mk):
    mk(cast.a1, year=2023, status="approved", targets=2)
    created = services.atagande_copy_last_year(user=cast.board, year=2024, avdelning=cast.a1)
    assert len(created) == 1 and created[0].status == "draft" and created[0].malvarden.count() == 2
    assert services.atagande_copy_last_year(user=cast.board, year=2024, avdelning=cast.a1) == []
    with pytest.raises(PermissionDenied):
        services.atagande_copy_last_year(user=cast.neighbour, year=2024, avdelning=cast.a1)


def test_follow_up(cast, mk, periods):
    a = mk(cast.a1, status="approved")
    m = a.malvarden.get()
    halv = periods[0]
    uf = services.uppfoljning_save(
        atagande=a,
        period=halv,
        status="on_track",
        comment="ok",
        values={m.pk: (Decimal(4), None, None)},
        user=cast.board,
    )
    assert uf.utfall.get().actual == 4
    services.uppfoljning_save(
        atagande=a,
        period=halv,
        status="at_risk",
        comment="",
        values={m.pk: (Decimal(5), None, None)},
        user=cast.board,
        expected_version=1,
    )
    uf.refresh_from_db()
    assert uf.status == "at_risk" and uf.version == 2
    # A stale form (version 1), and one opened before anyone had followed up (0).
    for stale in (1, 0):
        with pytest.raises(ConflictError):
            services.uppfoljning_save(
                atagande=a,
                period=halv,
                status="achieved",
                comment="",
                values={},
                user=cast.board,
                expected_version=stale,
            )
    uf.refresh_from_db()
    assert uf.status == "at_risk" and uf.version == 2
    with pytest.raises(PermissionDenied):
        services.uppfoljning_save(
            atagande=a,
            period=halv,
            status="achieved",
            comment="",
            values={},
            user=cast.changeleader,
        )


def test_follow_up_needs_approval_and_open_period(cast, mk, periods):
    draft = mk(cast.a1)
    with pytest.raises(ValidationError):
        services.uppfoljning_save(
            atagande=draft,
            period=periods[0],
            status="on_track",
            comment="",
            values={},
            user=cast.board,
        )
    a = mk(cast.a1, title="Annat", status="approved")
    closed = Uppfoljningsperiod.objects.filter(pk=periods[0].pk)
    closed.update(closes_on=datetime.date(2024, 8, 31))
    period = closed.get()
    with pytest.raises(ValidationError) as e:
        services.uppfoljning_save(
            atagande=a, period=period, status="on_track", comment="", values={}, user=cast.board
        )
    assert "stängde" in str(e.value)
    assert not Uppfoljning.objects.exists()
    # The project leader opens it for A1 only.
    with pytest.raises(PermissionDenied):
        services.period_open(
            period=period,
            avdelning=cast.a1,
            open_until=timezone.localdate(),
            reason="sjukdom",
            user=cast.coordinator,
        )
    services.period_open(
        period=period,
        avdelning=cast.a1,
        open_until=timezone.localdate(),
        reason="sjukdom",
        user=cast.leader,
    )
    services.uppfoljning_save(
        atagande=a, period=period, status="on_track", comment="", values={}, user=cast.board
    )
    assert not period.is_open_for(cast.a2.pk)


def test_attachments(cast, mk, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    a = mk(cast.a1)
    pdf = SimpleUploadedFile("bevis.pdf", b"%PDF-1.4 hello")
    b = services.bilaga_add(atagande=a, upload=pdf, user=cast.board)
    assert b.size == len(b"%PDF-1.4 hello")
    with pytest.raises(ValidationError):  # a .pdf that is not one
        services.bilaga_add(
            atagande=a, upload=SimpleUploadedFile("x.pdf", b"MZ..."), user=cast.board
        )
    with pytest.raises(ValidationError):  # type not allowed
        services.bilaga_add(atagande=a, upload=SimpleUploadedFile("x.exe", b"MZ"), user=cast.board)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError):
        services.bilaga_add(atagande=a, upload=big, user=cast.board)
    with pytest.raises(PermissionDenied):
        services.bilaga_add(atagande=a, upload=pdf, user=cast.steering)
    for i in range(9):
        services.bilaga_add(
            atagande=a,
            upload=SimpleUploadedFile(f"{i}.png", b"\x89PNG\r\n\x1a\n..."),
            user=cast.board,
        )
    with pytest.raises(ValidationError):
        services.bilaga_add(
            atagande=a, upload=SimpleUploadedFile("11.png", b"\x89PNG\r\n\x1a\n"), user=cast.board
        )
    assert a.bilagor.count() == 10


def test_nul_in_typed_text_is_refused_not_a_server_error(client, cast, mk):
    """Comments, review notes and reasons come straight from the request (found by
    fuzzing): NUL, which PostgreSQL cannot store, is a message and nothing is saved."""
    from django.urls import reverse

    a = mk(cast.a1, status="submitted")
    writes = Handelse.objects.exclude(action__in=["login", "view", "denied"])
    before = writes.count()
    client.force_login(cast.coordinator)
    for name in ("kommentar", "returnera", "godkann"):
        r = client.post(reverse(f"mal:{name}", args=[a.pk]), {"note": "a\x00b"})
        assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "submitted" and not a.kommentarer.exists()
    assert writes.count() == before
    with pytest.raises(ValidationError):
        services.period_open(
            period=Uppfoljningsperiod.objects.create(
                year=2024, kind="helar", closes_on=datetime.date(2024, 1, 1)
            ),
            avdelning=cast.a1,
            open_until=timezone.localdate(),
            reason="\x00",
            user=cast.leader,
        )


def test_approval_in_conflict_writes_nothing(cast, mk):
    """Found by fuzzing: the year's follow-up periods were created before the version
    check, so an approval refused as a conflict still wrote rows."""
    a = mk(cast.a1, status="submitted")
    with pytest.raises(ConflictError):
        services.atagande_approve(atagande=a, user=cast.coordinator, expected_version=99)
    assert not Uppfoljningsperiod.objects.filter(year=a.year).exists()

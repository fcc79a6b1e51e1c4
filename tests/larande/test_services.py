"""The services ask access.py themselves, keep the meeting's choices within its area,
refuse a stale form, and check an upload's type by its content."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from aktiviteter.models import Aktivitet
from historik.models import Handelse
from historik.services import ConflictError
from larande import services
from larande.models import Analysmote, Atgard, Lardom
from tests.aktiviteter.helpers import make_aktivitet
from tests.mal.helpers import make_atagande

from .helpers import make_atgard, make_mote, values

pytestmark = pytest.mark.django_db


def meeting(cast):
    return make_aktivitet(
        cast.se21, avdelningar=[cast.a1, cast.a2], typ=Aktivitet.Typ.ANALYS, title="Analysmöte"
    )


def test_the_coordinator_records_an_action_and_the_trail_says_so(cast):
    aktivitet = meeting(cast)
    atgard = services.atgard_create(
        aktivitet=aktivitet, values=values(avdelning=cast.a1), user=cast.coordinator
    )
    assert atgard.mote.aktivitet == aktivitet and atgard.created_by == cast.coordinator
    row = Handelse.objects.get(model="larande.Atgard", object_id=str(atgard.pk))
    assert row.action == Handelse.Action.CREATE and row.avdelning_id == cast.a1.pk
    assert row.nuts_omrade_id == cast.se21.pk


@pytest.mark.parametrize("who", ["board", "neighbour", "steering", "other_coordinator"])
def test_only_the_area_coordinator_and_the_leader_record_actions(cast, who):
    with pytest.raises(PermissionDenied):
        services.atgard_create(aktivitet=meeting(cast), values=values(), user=getattr(cast, who))
    assert not Atgard.objects.exists() and not Analysmote.objects.exists()
    services.atgard_create(aktivitet=meeting(cast), values=values(), user=cast.leader)


def test_only_an_analysis_meeting_has_actions(cast):
    other = make_aktivitet(cast.se21, typ=Aktivitet.Typ.MOTE)
    with pytest.raises(ValidationError):
        services.atgard_create(aktivitet=other, values=values(), user=cast.coordinator)


def test_owner_and_commitments_must_belong_to_the_meetings_area(cast):
    aktivitet = meeting(cast)
    with pytest.raises(ValidationError) as exc:
        services.atgard_create(
            aktivitet=aktivitet, values=values(avdelning=cast.b1), user=cast.coordinator
        )
    assert "mötets område" in str(exc.value)
    foreign = make_atagande(cast.b1, year=2024, title="B1:s")
    with pytest.raises(ValidationError):
        services.atgard_create(
            aktivitet=aktivitet, values=values(ataganden=[foreign]), user=cast.coordinator
        )
    with pytest.raises(ValidationError):
        services.atgard_create(
            aktivitet=aktivitet,
            values=values(person=cast.outsider.person),
            user=cast.coordinator,
        )
    assert not Atgard.objects.exists()
    own = make_atagande(cast.a1, year=2025, title="A1:s")
    national = make_atagande(None, year=2024, title="Nationellt")
    earlier = make_atagande(cast.a2, year=2023, title="Förra året")
    assert set(services.linkable_ataganden(aktivitet)) == {own, national}
    assert earlier not in services.linkable_ataganden(aktivitet)
    atgard = services.atgard_create(
        aktivitet=aktivitet,
        values=values(ataganden=[own, national], person=cast.board.person),
        user=cast.coordinator,
    )
    assert set(atgard.ataganden.all()) == {own, national}


def test_done_gets_todays_date_and_a_future_date_is_refused(cast):
    aktivitet = meeting(cast)
    atgard = services.atgard_create(
        aktivitet=aktivitet, values=values(status=Atgard.Status.DONE), user=cast.coordinator
    )
    assert atgard.done_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.atgard_create(
            aktivitet=aktivitet,
            values=values(
                status=Atgard.Status.DONE,
                done_on=timezone.localdate() + datetime.timedelta(days=1),
            ),
            user=cast.coordinator,
        )


def test_a_stale_form_is_refused_and_changes_nothing(cast):
    atgard = make_atgard(make_mote(cast.se21))
    services.atgard_update(
        atgard=atgard,
        values=values(what="Ny lydelse", status=Atgard.Status.IN_PROGRESS),
        user=cast.coordinator,
        expected_version=0,
    )
    with pytest.raises(ConflictError):
        services.atgard_update(
            atgard=Atgard.objects.get(pk=atgard.pk),
            values=values(what="Gammal flik"),
            user=cast.leader,
            expected_version=0,
        )
    atgard.refresh_from_db()
    assert (atgard.what, atgard.status, atgard.version) == ("Ny lydelse", "in_progress", 1)


def test_the_owner_marks_done_once_and_others_may_not(cast):
    mote = make_mote(cast.se21, avdelningar=[cast.a1])
    atgard = make_atgard(mote, avdelning=cast.a1)
    with pytest.raises(Http404):
        services.atgard_mark_done(atgard=atgard, user=cast.neighbour)
    # The change leader reads the department's actions; its board closes them.
    with pytest.raises(PermissionDenied):
        services.atgard_mark_done(atgard=atgard, user=cast.changeleader)
    assert services.atgard_mark_done(atgard=atgard, user=cast.board)
    assert not services.atgard_mark_done(atgard=atgard, user=cast.board)
    atgard.refresh_from_db()
    assert atgard.status == "done" and atgard.done_on == timezone.localdate()
    assert atgard.updated_by == cast.board and atgard.version == 1
    rows = Handelse.objects.filter(model="larande.Atgard", action=Handelse.Action.TRANSITION)
    assert rows.count() == 1


def test_a_person_owns_their_own_action(cast):
    atgard = make_atgard(make_mote(cast.se22), person=cast.board.person)
    assert services.atgard_mark_done(atgard=atgard, user=cast.board)


def pdf(name="underlag.pdf", body=b"%PDF-1.4\n%%EOF\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def office(name, folder):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(f"{folder}/document.xml", "<x/>")
    return SimpleUploadedFile(name, buf.getvalue())


def test_material_pdf_and_office_files_only_checked_by_content(cast):
    aktivitet = meeting(cast)
    save = {
        "aktivitet": aktivitet,
        "summary": "Svaren",
        "remove_file": False,
        "user": cast.coordinator,
    }
    for bad, message in [
        (SimpleUploadedFile("bild.png", b"\x89PNG\r\n\x1a\n...."), "Tillåtna filtyper"),
        (pdf(body=b"MZ not a pdf"), "stämmer inte"),
        (office("bilder.pptx", "word"), "stämmer inte"),
        (pdf(body=b"%PDF-" + b"0" * (5 * 1024 * 1024)), "för stor"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.analysmote_save(upload=bad, expected_version=0, **save)
        assert message in str(exc.value)
    assert not Analysmote.objects.exists()
    mote = services.analysmote_save(upload=office("bilder.pptx", "ppt"), expected_version=0, **save)
    assert mote.material_name == "bilder.pptx" and mote.version == 1
    mote = services.analysmote_save(upload=pdf(), expected_version=1, **save)
    assert mote.material_name == "underlag.pdf" and mote.summary == "Svaren"
    with pytest.raises(ConflictError):
        services.analysmote_save(upload=None, expected_version=1, **save)


def test_material_is_written_by_the_coordinator_only(cast):
    with pytest.raises(PermissionDenied):
        services.analysmote_save(
            aktivitet=meeting(cast),
            summary="x",
            upload=None,
            remove_file=False,
            user=cast.board,
            expected_version=0,
        )


def test_lessons_are_the_areas_coordinators_and_the_leaders(cast):
    year = timezone.localdate().year
    kw = {"year": year, "values": {"worked": "Träffarna"}, "expected_version": 0}
    with pytest.raises(PermissionDenied):
        services.lardom_save(nuts=cast.se21, user=cast.other_coordinator, **kw)
    with pytest.raises(PermissionDenied):
        services.lardom_save(nuts=cast.se21, user=cast.steering, **kw)
    lardom = services.lardom_save(nuts=cast.se21, user=cast.coordinator, **kw)
    assert lardom.worked == "Träffarna" and lardom.version == 1
    with pytest.raises(ValidationError):
        services.lardom_save(nuts=cast.se22, user=cast.leader, **{**kw, "year": 2019})
    assert Lardom.objects.count() == 1

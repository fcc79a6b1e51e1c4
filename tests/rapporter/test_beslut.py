"""The steering group's decision on a version (issue 15 §6): approve it, or send it back
with a comment, at a meeting (date, protocol paragraph). The project leader is told, a
version sent back is replaced by a new one, the report lists the decisions, and the
comparison says which approved report it is made with."""

import datetime
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from avdelningar.models import Epost, Epostval
from historik.models import Handelse
from rapporter import services
from rapporter.models import Beslut, Rapportversion
from rapporter.tasks import notify_report
from tests.historik.trail import Watch

STYR = Rapportversion.Edition.STYRGRUPP
FS = Rapportversion.Edition.FORBUNDSSTYRELSE
TODAY = datetime.date.today()
COMMENT = "Avsnittet om Sydsverige saknar samordnarens text; komplettera och sammanställ igen."


@pytest.fixture
def people(cast, settings):
    settings.SITE_URL = "https://rs.example.org/"
    for who in ("leader", "steering", "board_national", "coordinator"):
        person = getattr(cast, who).person
        person.email = f"{who}@example.org"
        person.save()
    return cast


def compiled(cast, year=2024, edition=STYR, nuts=None):
    v = services.rapport_request(
        year=year, nuts_omrade=nuts, edition=edition, user=cast.leader, enqueue=False
    )
    done = services.rapport_compile(version_id=v.pk)
    assert done is not None, Rapportversion.objects.get(pk=v.pk).failure_reason
    return Rapportversion.objects.select_related("nuts_omrade").get(pk=done.pk)


def decide(client, user, version, **data):
    client.force_login(user)
    return client.post(reverse("rapporter:decide", args=[version.pk]), data)


def page(client, user, version):
    client.force_login(user)
    response = client.get(version.get_absolute_url())
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def pdftext(version):
    version.refresh_from_db()
    out = subprocess.run(
        ["pdftotext", "-layout", version.pdf.path, "-"], capture_output=True, check=True
    )
    return " ".join(out.stdout.decode().split())


def return_data(**extra):
    return {"kind": "return", "meeting_date": TODAY.isoformat(), "comment": COMMENT, **extra}


# --- the form ----------------------------------------------------------------------------

TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()
YESTERDAY = (TODAY - datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "approve"}, "Ange datumet för styrgruppens möte."),
        ({"kind": "approve", "meeting_date": "12/2 2025"}, "Ange mötets datum som ÅÅÅÅ-MM-DD."),
        ({"kind": "approve", "meeting_date": TOMORROW}, "Mötets datum kan inte ligga i framtiden."),
        (
            {"kind": "approve", "meeting_date": YESTERDAY},
            f"Mötet kan inte ha beslutat om versionen före {TODAY.isoformat()}, "
            "då den sammanställdes.",
        ),
        (
            {"kind": "return", "meeting_date": TODAY.isoformat(), "comment": "   "},
            "Skriv styrgruppens kommentar: vad ska ändras i en ny version?",
        ),
        (
            {"kind": "approve", "meeting_date": TODAY.isoformat(), "paragraph": "§ " + "1" * 30},
            "Paragrafen får vara högst 20 tecken, t.ex. § 12.",
        ),
        (
            {"kind": "return", "meeting_date": TODAY.isoformat(), "comment": "x" * 2001},
            "Kommentaren får vara högst 2000 tecken.",
        ),
        (
            {"meeting_date": TODAY.isoformat()},
            "Välj om styrgruppen godkänner versionen eller skickar tillbaka den.",
        ),
        (
            {"kind": "reject", "meeting_date": TODAY.isoformat()},
            "Välj om styrgruppen godkänner versionen eller skickar tillbaka den.",
        ),
    ],
)
def test_each_invalid_decision_says_why_and_saves_nothing(client, cast, data, message):
    v = compiled(cast)
    trail = Handelse.objects.exclude(action__in=["view", "login"]).count()
    response = decide(client, cast.steering, v, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    # The form is shown again with what was typed.
    assert 'action="{}"'.format(reverse("rapporter:decide", args=[v.pk])) in (
        response.content.decode()
    )
    assert not Beslut.objects.exists()
    v.refresh_from_db()
    assert not v.is_approved
    assert Handelse.objects.exclude(action__in=["view", "login"]).count() == trail


def test_the_form_starts_with_todays_date_and_both_buttons(client, cast):
    v = compiled(cast)
    body = page(client, cast.steering, v)
    assert f'value="{TODAY.isoformat()}"' in body
    assert f"Godkänn version {v.number}" in body and f"Skicka tillbaka version {v.number}" in body
    # Nobody else is offered the decision.
    assert "Skicka tillbaka version" not in page(client, cast.leader, v)


def test_a_bare_paragraph_number_is_written_as_the_minutes_write_it(client, cast):
    v = compiled(cast)
    decide(client, cast.steering, v, **return_data(paragraph=" 12 "))
    assert Beslut.objects.get().paragraph == "§ 12"


def test_the_service_checks_the_meeting_date_too(cast):
    v = compiled(cast)
    for meeting_date in (None, TODAY + datetime.timedelta(days=1)):
        with pytest.raises(services.ReportError):
            services.rapport_decide(
                version=v, user=cast.steering, kind="approve", meeting_date=meeting_date
            )
    with pytest.raises(services.ReportError):
        services.rapport_return(version=v, user=cast.steering, meeting_date=TODAY, comment=" ")
    with pytest.raises(services.ReportError):
        services.rapport_decide(version=v, user=cast.steering, kind="x", meeting_date=TODAY)
    assert not Beslut.objects.exists()


# --- the model's constraints -------------------------------------------------------------


def test_a_return_without_comment_and_a_second_decision_are_refused_by_the_database(cast):
    v = compiled(cast)
    with pytest.raises(ValidationError) as exc:
        Beslut(version=v, kind="return", meeting_date=TODAY, comment="").full_clean()
    assert "En version som skickas tillbaka ska ha styrgruppens kommentar." in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        Beslut(version=v, kind="later", meeting_date=TODAY).validate_constraints()
    assert "Okänt beslut" in str(exc.value)
    Beslut.objects.create(version=v, kind="return", meeting_date=TODAY, comment="Nej")
    with pytest.raises(ValidationError) as exc:
        Beslut(version=v, kind="approve", meeting_date=TODAY).full_clean()
    assert "Styrgruppen har redan beslutat om den här versionen." in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Beslut.objects.create(version=v, kind="approve", meeting_date=TODAY)


# --- who decides ---------------------------------------------------------------------


def test_only_the_steering_group_decides(client, cast):
    v = compiled(cast)
    area = compiled(cast, nuts=cast.se21)
    url = reverse("rapporter:decide", args=[v.pk])
    client.force_login(cast.steering)
    assert client.get(url).status_code == 405
    for who in ("leader", "coordinator"):
        response = decide(client, getattr(cast, who), area, **return_data())
        assert response.status_code == 403
    assert decide(client, cast.leader, v, **return_data()).status_code == 403
    # Not even visible: 404, as for an unknown version.
    assert decide(client, cast.board_national, v, **return_data()).status_code == 404
    assert decide(client, cast.other_coordinator, area, **return_data()).status_code == 404
    client.force_login(cast.steering)
    assert client.post(reverse("rapporter:decide", args=[10**6]), return_data()).status_code == 404
    assert not Beslut.objects.exists()
    assert decide(client, cast.steering, v, **return_data()).status_code == 302
    assert Beslut.objects.get().decided_by == cast.steering


def test_the_services_ask_the_same_predicate(cast):
    v = compiled(cast)
    for who in ("leader", "coordinator", "board_national"):
        for call, kwargs in [
            (services.rapport_decide, {"kind": "return", "comment": COMMENT}),
            (services.rapport_return, {"comment": COMMENT}),
        ]:
            with pytest.raises(PermissionDenied) as exc:
                call(version=v, user=getattr(cast, who), meeting_date=TODAY, **kwargs)
            assert str(exc.value) == services.DECIDE_DENIED
    assert not Beslut.objects.exists()


# --- approving -------------------------------------------------------------------------


def test_approving_at_a_meeting_stamps_the_files_and_lists_the_decision(
    client, people, django_capture_on_commit_callbacks
):
    people.steering.person.name = "Stina Styrgrupp"
    people.steering.person.save()
    v = compiled(people)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            client, people.steering, v, kind="approve", meeting_date=TODAY.isoformat(),
            paragraph="§ 7",
        )  # fmt: skip
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.is_approved and v.approved_by == people.steering
    beslut = Beslut.objects.get(version=v)
    assert (beslut.kind, beslut.meeting_date, beslut.paragraph) == ("approve", TODAY, "§ 7")
    text = pdftext(v)
    assert f"godkänd av styrgruppen {TODAY.isoformat()} (Stina Styrgrupp)" in text
    assert "ej godkänd" not in text
    # pdftotext reads "§ 7" as "§7".
    assert "Styrgruppens beslut" in text
    assert f"{TODAY.isoformat()} §7 1 (denna) Godkänd" in text.replace("§ 7", "§7")
    body = page(client, people.board_national, v)
    assert "Godkänd av styrgruppen" in body and f"beslut vid mötet {TODAY.isoformat()} § 7" in body
    # Told once: the project leader (who requested it) and the national board.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "board_national@example.org",
        "leader@example.org",
    ]
    assert f"vid sitt möte {TODAY.isoformat()} (§ 7)" in mail.outbox[0].body
    assert notify_report(v.pk, "approved") == 0
    assert len(mail.outbox) == 2


def test_the_old_approve_path_records_a_decision_of_today(cast):
    v = services.rapport_approve(version=compiled(cast), user=cast.steering)
    beslut = Beslut.objects.get(version=v)
    assert (beslut.kind, beslut.meeting_date, beslut.decided_by) == (
        "approve",
        TODAY,
        cast.steering,
    )


# --- sending back ----------------------------------------------------------------------


def test_sent_back_the_leader_is_told_once_and_compiles_a_new_version_which_is_approved(
    client, people, django_capture_on_commit_callbacks
):
    v1 = compiled(people)
    before = page(client, people.leader, v1)  # the page is kept; the decision must show
    assert "Skickad tillbaka" not in before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, people.steering, v1, **return_data(paragraph="§ 4"))
    assert response.status_code == 302
    v1.refresh_from_db()
    assert not v1.is_approved and v1.status == "done"

    # The project leader (who also asked for it) gets one mail with the comment.
    assert [m.to for m in mail.outbox] == [["leader@example.org"]]
    m = mail.outbox[0]
    assert m.subject == f"Skickad tillbaka av styrgruppen: {v1.title}, version 1"
    assert "med kommentar:" in m.body and COMMENT in m.body
    assert f"https://rs.example.org{v1.compile_again_url()}" in m.body
    assert notify_report(v1.pk, "returned") == 0
    assert len(mail.outbox) == 1

    # The leader sees it on the version, with the way to a new one.
    body = page(client, people.leader, v1)
    assert f"Skickad tillbaka {TODAY.isoformat()}</strong> (§ 4): {COMMENT}" in body
    assert f'href="{v1.compile_again_url()}"'.replace("&", "&amp;") in body
    assert "Sammanställ en ny version" in body
    assert "Skicka tillbaka version" not in page(client, people.steering, v1)
    assert "Sammanställ en ny version</a>" not in page(client, people.steering, v1)

    # A version sent back is not approved afterwards, nor decided again.
    with pytest.raises(services.ReportError) as exc:
        services.rapport_approve(version=v1, user=people.steering)
    assert "skickade tillbaka version 1" in str(exc.value)
    response = decide(client, people.steering, v1, kind="approve", meeting_date=TODAY.isoformat())
    assert response.status_code == 302
    v1.refresh_from_db()
    assert not v1.is_approved and Beslut.objects.count() == 1

    # The compile form opens on the same report; a new version is compiled and approved.
    client.force_login(people.leader)
    form = client.get(v1.compile_again_url()).context["form"]
    assert (form.initial["year"], form.initial["edition"]) == (2024, STYR)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("rapporter:compile"),
            {"year": 2024, "edition": STYR, "omrade": "", "sammanstall_anda": "on"},
        )
    v2 = Rapportversion.objects.get(number=2)
    assert v2.status == "done"
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, people.steering, v2, kind="approve", meeting_date=TODAY.isoformat())
    v2.refresh_from_db()
    assert v2.is_approved
    # Both versions' pages list both decisions.
    for v in (v1, v2):
        body = page(client, people.steering, v)
        assert "Styrgruppens beslut" in body
        assert "Skickad tillbaka" in body and COMMENT in body
        assert f"<td>{TODAY.isoformat()}</td><td>–</td><td>2" in body


def test_opting_out_of_the_decision_mail(people, django_capture_on_commit_callbacks):
    Epostval.objects.create(person=people.leader.person, kind=Epost.RAPPORT_GODKAND)
    v = compiled(people)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rapport_return(
            version=v, user=people.steering, meeting_date=TODAY, comment=COMMENT
        )
    assert mail.outbox == []


def test_a_decision_is_in_the_trail(cast):
    v = compiled(cast)
    with Watch() as w:
        services.rapport_return(version=v, user=cast.steering, meeting_date=TODAY, comment="Nej")
    assert w.missing(user=cast.steering) == []
    beslut = Beslut.objects.get()
    row = Handelse.objects.get(model="rapporter.Beslut", object_id=str(beslut.pk))
    assert row.action == "create" and row.changes["kind"] == [None, "return"]
    row = Handelse.objects.get(model="rapporter.Rapportversion", changes__beslut=[None, "return"])
    assert row.note == f"Skickad tillbaka av styrgruppen (Styrgruppens möte {TODAY.isoformat()})"

    w2 = compiled(cast)
    with Watch() as w:
        services.rapport_decide(
            version=w2, user=cast.steering, kind="approve", meeting_date=TODAY, paragraph="3"
        )
    assert w.missing(user=cast.steering) == []
    approved = Handelse.objects.get(
        model="rapporter.Rapportversion", changes__approved=[False, True]
    )
    assert approved.note == f"Styrgruppens möte {TODAY.isoformat()} § 3"


# --- the comparison ----------------------------------------------------------------------


def test_the_comparison_says_which_approved_report_it_is_made_with(client, cast):
    today = TODAY.isoformat()
    # No approved report before: it says so.
    v23 = compiled(cast, year=2023)
    assert v23.snapshot["changes"] is None
    assert "Ingen tidigare godkänd rapport att jämföra med." in page(client, cast.steering, v23)
    services.rapport_decide(version=v23, user=cast.steering, kind="approve", meeting_date=TODAY)

    # The year's first version: last year's approved report.
    v24 = compiled(cast, year=2024)
    basis = f"Jämfört med 2023 års godkända rapport (version 1, godkänd {today})."
    assert v24.snapshot["changes"]["basis"] == basis
    assert basis in page(client, cast.steering, v24)
    # A version sent back is no basis: the next is still compared with last year's.
    services.rapport_return(version=v24, user=cast.steering, meeting_date=TODAY, comment="Nej")
    v24b = compiled(cast, year=2024)
    assert v24b.snapshot["changes"]["basis"] == basis

    # Once the year has an approved version, the next of the year is compared with it.
    services.rapport_decide(version=v24b, user=cast.steering, kind="approve", meeting_date=TODAY)
    v24c = compiled(cast, year=2024)
    basis = f"Jämfört med version 2 av 2024, godkänd {today}."
    assert v24c.snapshot["changes"]["basis"] == basis
    assert basis in pdftext(v24c)
    # The other edition is another series.
    assert compiled(cast, year=2024, edition=FS).snapshot["changes"] is None

"""Every service that changes commitment data asks the user's right itself, with the
message the page's 403 gives: a task, a command or an API calling it cannot skip the
check the view states. (Who gets which answer on each URL is the access matrix's:
tests/security/tables/mal.py.)"""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from avdelningar.access import scope_for
from historik.models import Handelse
from mal import importer, services
from mal.forms import RiktlinjeFormSet
from mal.models import Atagande, Bilaga, Mognadsriktlinje, Projektmal, Verksamhetsmal

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _bilaga(a):
    b = Bilaga(atagande=a, original_name="bevis.png", size=len(PNG))
    b.file.save("bevis.png", ContentFile(PNG), save=False)
    b.save()
    return b


def _guidance_formset():
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-maturity": "1",
        "form-0-projektmal": str(Projektmal.objects.order_by("number").first().pk),
        "form-0-min_commitments": "2",
    }
    formset = RiktlinjeFormSet(data, queryset=Mognadsriktlinje.objects.all())
    assert formset.is_valid(), formset.errors
    return formset


def _calls(cast, mk, periods):
    """(user, call, message): each changing service, called by someone it refuses."""
    draft = mk(cast.a1, title="Utkast")
    submitted = mk(cast.a1, title="Inskickat", status="submitted")
    approved = mk(cast.a1, title="Godkänt", status="approved")
    mk(cast.a1, year=2023, title="Förra året")
    goal = Verksamhetsmal.objects.get(number=2)
    fresh = Atagande(avdelning=cast.a1, year=2024, verksamhetsmal=goal, title="Ny", action_plan="p")
    upload = SimpleUploadedFile("bevis.png", PNG)
    reader = cast.changeleader  # reads department A1, changes nothing of its commitments
    return [
        (
            reader,
            lambda u: services.atagande_save(atagande=fresh, malvarden=[], user=u),
            services.WRITE_REFUSAL,
        ),
        (
            reader,
            lambda u: services.atagande_save(atagande=draft, malvarden=[], user=u),
            services.EDIT_REFUSAL,
        ),
        (
            reader,
            lambda u: services.atagande_submit(atagande=draft, user=u),
            services.SUBMIT_REFUSAL,
        ),
        (
            cast.board,
            lambda u: services.atagande_approve(atagande=submitted, user=u),
            services.APPROVE_REFUSAL,
        ),
        (
            cast.board,
            lambda u: services.atagande_return(atagande=submitted, user=u, note="Ändra"),
            services.RETURN_REFUSAL,
        ),
        (
            cast.board,
            lambda u: services.atagande_reopen(atagande=approved, user=u, reason="Fel"),
            services.REOPEN_REFUSAL,
        ),
        (
            reader,
            lambda u: services.atagande_copy_last_year(user=u, year=2024, avdelning=cast.a1),
            services.WRITE_REFUSAL,
        ),
        (
            reader,
            lambda u: services.uppfoljning_save(
                atagande=approved,
                period=periods[0],
                status="enligt_plan",
                comment="",
                values={},
                user=u,
            ),
            services.FOLLOW_UP_REFUSAL,
        ),
        (
            cast.coordinator,
            lambda u: services.period_open(
                period=periods[0],
                avdelning=cast.a1,
                open_until=timezone.localdate(),
                reason="Sjukdom",
                user=u,
            ),
            services.PERIOD_OPEN_REFUSAL,
        ),
        (
            reader,
            lambda u: services.kommentar_add(atagande=draft, user=u, text="Hej"),
            services.COMMENT_REFUSAL,
        ),
        (
            reader,
            lambda u: services.bilaga_add(atagande=draft, upload=upload, user=u),
            services.ATTACH_REFUSAL,
        ),
        (
            reader,
            lambda u: services.bilaga_delete(bilaga=_bilaga(draft), user=u),
            services.DETACH_REFUSAL,
        ),
        (
            cast.outsider,
            lambda u: services.bilaga_download(bilaga=_bilaga(draft), user=u),
            services.DOWNLOAD_REFUSAL,
        ),
        (
            cast.coordinator,
            lambda u: services.riktlinjer_save(formset=_guidance_formset(), user=u),
            services.GUIDELINES_REFUSAL,
        ),
        (
            reader,
            lambda u: importer.save(importer.Plan(), user=u),
            importer.IMPORT_REFUSAL,
        ),
    ]


def test_each_changing_service_refuses_with_the_views_message(
    cast, mk, periods, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for user, call, message in _calls(cast, mk, periods):
        before = Handelse.objects.count()
        with pytest.raises(PermissionDenied) as refused:
            call(user)
        assert str(refused.value) == message
        assert Handelse.objects.count() == before, message  # refused before anything is written


@pytest.mark.parametrize(
    ("who", "method", "url", "message"),
    [
        ("changeleader", "get", "mal:andra", services.EDIT_REFUSAL),
        ("changeleader", "post", "mal:skicka", services.SUBMIT_REFUSAL),
        ("board", "post", "mal:godkann", services.APPROVE_REFUSAL),
        ("board", "post", "mal:returnera", services.RETURN_REFUSAL),
        ("board", "post", "mal:oppna", services.REOPEN_REFUSAL),
        ("changeleader", "post", "mal:kommentar", services.COMMENT_REFUSAL),
        ("changeleader", "post", "mal:bilaga_ny", services.ATTACH_REFUSAL),
    ],
)
def test_the_page_refuses_with_the_services_message(client, cast, mk, who, method, url, message):
    a = mk(cast.a1)
    client.force_login(getattr(cast, who))
    r = getattr(client, method)(reverse(url, args=[a.pk]))
    assert r.status_code == 403
    assert message in r.content.decode()


def test_follow_up_period_and_guidance_pages_refuse_with_the_services_message(
    client, cast, mk, periods
):
    a = mk(cast.a1, status="approved")
    client.force_login(cast.changeleader)
    r = client.get(reverse("mal:uppfoljning", args=[a.pk, periods[0].pk]))
    assert r.status_code == 403 and services.FOLLOW_UP_REFUSAL in r.content.decode()
    client.force_login(cast.coordinator)
    r = client.post(reverse("mal:period_oppna", args=[a.pk, periods[0].pk]))
    assert r.status_code == 403 and services.PERIOD_OPEN_REFUSAL in r.content.decode()
    r = client.post(reverse("mal:riktlinjer"))
    assert r.status_code == 403 and services.GUIDELINES_REFUSAL in r.content.decode()
    client.force_login(cast.changeleader)
    r = client.get(reverse("mal:import"))
    assert r.status_code == 403 and importer.IMPORT_REFUSAL in r.content.decode()


def test_guidance_saved_by_the_service_is_in_the_trail(cast):
    services.riktlinjer_save(formset=_guidance_formset(), user=cast.leader)
    rule = Mognadsriktlinje.objects.get()
    row = Handelse.objects.get(model="mal.Mognadsriktlinje")
    assert row.action == Handelse.Action.CREATE and row.object_id == str(rule.pk)
    assert row.changes["min_commitments"] == [None, 2]


def test_a_download_is_recorded_by_the_service(cast, mk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    b = _bilaga(mk(cast.a1))
    with services.bilaga_download(bilaga=b, user=cast.changeleader) as fh:
        assert fh.read() == PNG
    row = Handelse.objects.get(action=Handelse.Action.DOWNLOAD)
    assert row.avdelning_id == cast.a1.pk and row.object_id == str(b.pk)


def test_may_read_is_visible_to_for_one_commitment(cast, mk):
    """The download's check (Atagande.may_read) and the pages' queryset agree."""
    rows = [
        mk(cast.a1, title="A1"),
        mk(cast.b1, title="B1"),
        mk(None, nuts=cast.se21, title="SE21"),
        mk(None, title="Nationellt"),
    ]
    for name in (
        "board",
        "neighbour",
        "outsider",
        "changeleader",
        "coordinator",
        "other_coordinator",
        "leader",
        "steering",
        "nobody",
    ):
        scope = scope_for(getattr(cast, name))
        visible = set(Atagande.objects.visible_to(scope).values_list("pk", flat=True))
        assert {a.pk for a in rows if a.may_read(scope)} == visible, name

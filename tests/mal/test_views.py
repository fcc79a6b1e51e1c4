import pytest
from django.urls import reverse
from django.utils import timezone

from mal.models import Atagande, Uppfoljning

from .helpers import form_data

pytestmark = pytest.mark.django_db

READ = {
    "changeleader": 200,
    "nobody": 404,
}


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_anonymous_is_sent_to_login(client, cast, mk):
    a = mk(cast.a1)
    r = client.post(reverse("mal:godkann", args=[a.pk]))
    assert r.status_code == 302
    assert Atagande.objects.get(pk=a.pk).status == "draft"


@pytest.mark.parametrize(("who", "status"), READ.items())
def test_department_year_and_commitment_pages(client, cast, mk, who, status):
    a = mk(cast.a1)
    user = getattr(cast, who)
    assert (
        get(client, user, reverse("mal:avdelning_ar", args=[cast.a1.pk, 2024])).status_code
        == status
    )
    r = client.get(reverse("mal:atagande", args=[a.pk]))
    assert r.status_code == status
    if status == 200:
        assert "Kompetenslyft" in r.content.decode()
    assert client.get(reverse("mal:historik", args=[a.pk])).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("changeleader", 403),
    ],
)
def test_edit_page_rights(client, cast, mk, who, status):
    a = mk(cast.a1)
    assert get(client, getattr(cast, who), reverse("mal:andra", args=[a.pk])).status_code == status
    r = client.get(reverse("mal:ny_avdelning", args=[cast.a1.pk, 2024]))
    assert r.status_code == status


def test_board_creates_a_commitment(client, cast):
    client.force_login(cast.board)
    r = client.post(reverse("mal:ny_avdelning", args=[cast.a1.pk, 2024]), form_data(2))
    a = Atagande.objects.get()
    assert r.status_code == 302 and r.url == a.get_absolute_url()
    assert a.avdelning == cast.a1 and a.malvarden.get().target == 12


@pytest.mark.parametrize("bad", ["-3", "tolv"])
def test_bad_target_saves_nothing(client, cast, bad):
    client.force_login(cast.board)
    r = client.post(reverse("mal:ny_avdelning", args=[cast.a1.pk, 2024]), form_data(2, target=bad))
    assert r.status_code == 200
    body = r.content.decode()
    assert "negativt" in body or "Fyll i ett tal" in body
    assert not Atagande.objects.exists()


def test_year_outside_participation_shows_message(client, cast):
    client.force_login(cast.outsider)
    r = client.post(reverse("mal:ny_avdelning", args=[cast.b1.pk, 2019]), form_data(2))
    assert r.status_code == 200 and "deltar inte" in r.content.decode()
    assert not Atagande.objects.exists()


def test_conflict_keeps_input(client, cast, mk):
    a = mk(cast.a1)
    Atagande.objects.filter(pk=a.pk).update(version=3)
    client.force_login(cast.board)
    data = form_data(2, title="Min ändring", version=0)
    r = client.post(reverse("mal:andra", args=[a.pk]), data)
    body = r.content.decode()
    assert r.status_code == 200 and "Någon annan har sparat" in body and "Min ändring" in body
    assert Atagande.objects.get(pk=a.pk).title == "Kompetenslyft"


def test_submitted_commitment_cannot_be_edited_by_department(client, cast, mk):
    a = mk(cast.a1, status="submitted")
    client.force_login(cast.board)
    r = client.post(reverse("mal:andra", args=[a.pk]), form_data(2, title="Smygändring"))
    assert r.status_code == 302
    assert Atagande.objects.get(pk=a.pk).title == "Kompetenslyft"


@pytest.mark.parametrize(
    ("who", "status", "result"),
    [
        ("coordinator", 302, "approved"),
        ("leader", 302, "approved"),
        ("board", 403, "submitted"),
        ("steering", 403, "submitted"),
        ("other_coordinator", 404, "submitted"),
        ("neighbour", 404, "submitted"),
    ],
)
def test_approve_rights(client, cast, mk, who, status, result):
    a = mk(cast.a1, status="submitted")
    client.force_login(getattr(cast, who))
    assert client.get(reverse("mal:godkann", args=[a.pk])).status_code == 405
    r = client.post(reverse("mal:godkann", args=[a.pk]), {"version": a.version})
    assert r.status_code == status
    assert Atagande.objects.get(pk=a.pk).status == result


def test_return_without_comment_is_refused_with_message(client, cast, mk):
    a = mk(cast.a1, status="submitted")
    client.force_login(cast.coordinator)
    r = client.post(reverse("mal:returnera", args=[a.pk]), {"note": ""}, follow=True)
    assert "Skriv en kommentar" in r.content.decode()
    assert Atagande.objects.get(pk=a.pk).status == "submitted"
    client.post(reverse("mal:returnera", args=[a.pk]), {"note": "Lägg till könsfördelning"})
    client.force_login(cast.board)
    body = client.get(reverse("mal:atagande", args=[a.pk])).content.decode()
    assert "Lägg till könsfördelning" in body


def test_follow_up_view(client, cast, mk, periods):
    a = mk(cast.a1, status="approved")
    m = a.malvarden.get()
    url = reverse("mal:uppfoljning", args=[a.pk, periods[0].pk])
    client.force_login(cast.board)
    assert client.get(url).status_code == 200
    r = client.post(url, {"status": "on_track", "comment": "bra", f"actual_{m.pk}": "-1"})
    assert r.status_code == 200 and not Uppfoljning.objects.exists()
    r = client.post(url, {"status": "on_track", "comment": "bra", f"actual_{m.pk}": "6"})
    assert r.status_code == 302
    assert Uppfoljning.objects.get().utfall.get().actual == 6


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("board", 200),
        ("nobody", 404),
    ],
)
def test_area_overview_rights(client, cast, mk, who, status):
    mk(cast.a1)
    mk(cast.a2, title="Grannens")
    r = get(client, getattr(cast, who), reverse("mal:omrade_ar", args=["SE21", 2024]))
    assert r.status_code == status
    if who == "board":
        body = r.content.decode()
        assert "Avdelning A1" in body and "Avdelning A2" not in body


def test_review_queue_shows_own_area_only(client, cast, mk):
    mk(cast.a1, title="A1 väntar", status="submitted")
    mk(cast.b1, title="B1 väntar", status="submitted")
    body = get(client, cast.coordinator, reverse("mal:granskning")).content.decode()
    assert "A1 väntar" in body and "B1 väntar" not in body
    body = get(client, cast.leader, reverse("mal:granskning")).content.decode()
    assert "A1 väntar" in body and "B1 väntar" in body


def test_review_queue_row_carries_its_details_under_the_title_for_phones(client, cast, mk):
    a = mk(cast.a1, title="A1 väntar", status="submitted")
    Atagande.objects.filter(pk=a.pk).update(submitted_at="2024-02-10T10:00:00Z")
    body = get(client, cast.coordinator, reverse("mal:granskning")).content.decode()
    details = f"{a.owner_label} · {a.year} · mål {a.verksamhetsmal.number} · inskickat 2024-02-10"
    assert f'<div class="small text-body-secondary d-md-none">{details}</div>' in body


def test_export_only_visible_rows_and_safe(client, cast, mk):
    mk(cast.a1, title="=HYPERLINK(1)")
    mk(cast.a2, title="Grannens")
    client.force_login(cast.board)
    r = client.get(reverse("mal:omrade_ar", args=["SE21", 2024]) + "?format=csv")
    text = b"".join(r.streaming_content).decode()
    assert "'=HYPERLINK(1)" in text and "Grannens" not in text
    r = client.get(reverse("mal:avdelning_ar", args=[cast.a1.pk, 2024]) + "?format=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxml")


def _many(cast, mk, n):
    from tests import factories as f

    for i in range(n):
        avd = f.AvdelningFactory(nuts_omrade=cast.se21)
        mk(avd, title=f"Å{i}", status="approved")
        mk(avd, title=f"B{i}", goal=5)


@pytest.mark.parametrize(
    "url",
    [
        lambda c: reverse("mal:omrade_ar", args=["SE21", 2024]),
        lambda c: reverse("mal:nationellt", args=[2024]),
        lambda c: reverse("mal:indikatorer"),
        lambda c: reverse("mal:granskning"),
        lambda c: reverse("mal:avdelning_ar", args=[c.a1.pk, 2024]),
    ],
)
def test_overview_query_count_does_not_grow(client, cast, mk, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.leader)
    _many(cast, mk, 2)
    client.get(url(cast))
    with CaptureQueriesContext(connection) as few:
        client.get(url(cast))
    _many(cast, mk, 6)
    with django_assert_max_num_queries(len(few)):
        r = client.get(url(cast))
    assert r.status_code == 200


def test_leader_opens_closed_period_for_one_department(client, cast, mk, periods):
    import datetime

    from mal.models import Periodoppning, Uppfoljningsperiod

    a = mk(cast.a1, status="approved")
    Uppfoljningsperiod.objects.filter(pk=periods[0].pk).update(closes_on=datetime.date(2024, 8, 31))
    url = reverse("mal:period_oppna", args=[a.pk, periods[0].pk])
    until = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    client.force_login(cast.coordinator)
    assert client.post(url, {"open_until": until, "reason": "x"}).status_code == 403
    client.force_login(cast.leader)
    client.post(url, {"open_until": until, "reason": ""})
    assert not Periodoppning.objects.exists()
    client.post(url, {"open_until": until, "reason": "Sjukskrivning i styrelsen"})
    assert Uppfoljningsperiod.objects.get(pk=periods[0].pk).is_open_for(cast.a1.pk)
    assert not Uppfoljningsperiod.objects.get(pk=periods[0].pk).is_open_for(cast.a2.pk)


def test_guidance_page_and_shortfall(client, cast, mk):
    from mal.models import Mognadsriktlinje, Projektmal

    assert get(client, cast.nobody, reverse("mal:riktlinjer")).status_code == 403
    client.force_login(cast.leader)
    pm = Projektmal.objects.get(number=2)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-maturity": "6",  # SE21 joined 2019: 2024 is its 6th year
        "form-0-projektmal": pm.pk,
        "form-0-min_commitments": "2",
    }
    assert client.post(reverse("mal:riktlinjer"), data).status_code == 302
    assert Mognadsriktlinje.objects.get().min_commitments == 2
    mk(cast.a1, goal=5)  # one commitment under project goal 2, guidance says two
    client.force_login(cast.coordinator)
    body = client.get(reverse("mal:omrade_ar", args=["SE21", 2024])).content.decode()
    assert "Under riktlinjen" in body and "1 av minst 2" in body
    body = client.get(reverse("mal:avdelning_ar", args=[cast.a1.pk, 2024])).content.decode()
    assert "Färre åtaganden än riktlinjen" in body


def test_copy_from_last_year_view(client, cast, mk):
    mk(cast.a1, year=2023, status="approved")
    url = reverse("mal:kopiera", args=[cast.a1.pk, 2024])
    client.force_login(cast.board)
    r = client.get(url)
    assert r.status_code == 200 and "Kompetenslyft" in r.content.decode()
    client.post(url)  # nothing ticked: nothing copied
    assert not Atagande.objects.filter(year=2024, avdelning=cast.a1).exists()
    old = Atagande.objects.get(year=2023, avdelning=cast.a1)
    client.post(url, {"atagande": [old.pk]})
    assert Atagande.objects.filter(year=2024, avdelning=cast.a1, status="draft").count() == 1


def test_comments_and_attachments_views(client, cast, mk, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    a = mk(cast.a1)
    client.force_login(cast.steering)
    assert client.post(reverse("mal:kommentar", args=[a.pk]), {"note": "hej"}).status_code == 403
    client.force_login(cast.board)
    client.post(reverse("mal:kommentar", args=[a.pk]), {"note": "Vi har börjat"})
    assert a.kommentarer.get().text == "Vi har börjat"
    pdf = SimpleUploadedFile("bevis.pdf", b"%PDF-1.7 test", content_type="application/pdf")
    client.post(reverse("mal:bilaga_ny", args=[a.pk]), {"file": pdf})
    b = a.bilagor.get()
    r = client.get(reverse("mal:bilaga", args=[a.pk, b.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    client.post(reverse("mal:bilaga_bort", args=[a.pk, b.pk]))
    assert not a.bilagor.exists()


def test_commitment_page_survives_its_reviewers_login_being_deleted(client, cast, mk):
    """A reviewer's login deleted sets reviewed_by to NULL (SET_NULL); their commitments
    stay readable and say the reviewer is gone (it was a 500)."""
    a = mk(cast.a1, status="submitted")
    client.force_login(cast.coordinator)
    client.post(reverse("mal:godkann", args=[a.pk]), {"version": a.version})
    assert Atagande.objects.get(pk=a.pk).reviewed_by == cast.coordinator
    cast.coordinator.delete()
    client.force_login(cast.board)
    r = client.get(reverse("mal:atagande", args=[a.pk]))
    assert r.status_code == 200
    assert "(borttagen användare)" in r.content.decode()


@pytest.mark.parametrize(
    ("who", "url", "queue", "import_"),
    [
        ("board", "/mal/omrade/SE21/2024/", False, True),
        ("changeleader", "/mal/omrade/SE21/2024/", False, False),
        ("coordinator", "/mal/omrade/SE21/2024/", True, True),
        ("steering", "/mal/omrade/SE21/2024/", False, False),
        ("steering", "/mal/nationellt/2024/", False, False),
        ("board_national", "/mal/nationellt/2024/", False, False),
        ("leader", "/mal/nationellt/2024/", True, False),
    ],
)
def test_area_and_national_pages_link_the_queue_and_import_only_for_who_may_use_them(
    client, cast, who, url, queue, import_
):
    """'Granskningskön' and 'Importera' answered 403 to board and read-only users."""
    client.force_login(getattr(cast, who))
    body = client.get(url).content.decode()
    assert (f'href="{reverse("mal:granskning")}"' in body) is queue
    assert (f'href="{reverse("mal:import")}"' in body) is import_
    for link, shown in [("mal:granskning", queue), ("mal:import", import_)]:
        if shown:
            assert client.get(reverse(link)).status_code == 200

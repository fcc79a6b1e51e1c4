import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aktiviteter.models import NOTES_MAX, Aktivitet, Aktor
from avdelningar.models import NutsOmrade

from .helpers import goals, make_aktivitet, make_aktor, make_forum, make_projekt, post_data

pytestmark = pytest.mark.django_db

ROLES = [
    "board",
    "neighbour",
    "outsider",
    "changeleader",
    "coordinator",
    "other_coordinator",
    "leader",
    "steering",
    "board_national",
    "nobody",
]


@pytest.fixture
def world(cast):
    cast.aktor = make_aktor(nuts=cast.se21)
    cast.forum = make_forum(cast.se21)
    cast.projekt = make_projekt([cast.se21])
    cast.akt = make_aktivitet(
        cast.se21,
        avdelningar=[cast.a1],
        title="Träff om kompetens",
        notes="=HYPERLINK(1)",
        forum=cast.forum,
        projekt=cast.projekt,
    )
    cast.akt.aktorer.add(cast.aktor)
    return cast


def urls(c):
    return [
        reverse("aktiviteter:lista"),
        reverse("aktiviteter:ny"),
        reverse("aktiviteter:detalj", args=[c.akt.pk]),
        reverse("aktiviteter:andra", args=[c.akt.pk]),
        reverse("aktiviteter:export_csv"),
        reverse("aktiviteter:export_xlsx"),
        reverse("aktiviteter:aktorer"),
        reverse("aktiviteter:aktor", args=[c.aktor.pk]),
        reverse("aktiviteter:forum_lista"),
        reverse("aktiviteter:forum", args=[c.forum.pk]),
        reverse("aktiviteter:projekt_lista"),
        reverse("aktiviteter:projekt", args=[c.projekt.pk]),
    ]


@pytest.mark.parametrize(
    ("who", "detail", "edit", "new"),
    [
        ("changeleader", 200, 200, 200),
        ("nobody", 404, 404, 404),
    ],
)
def test_activity_pages_by_role(client, world, who, detail, edit, new):
    client.force_login(getattr(world, who))
    assert client.get(reverse("aktiviteter:detalj", args=[world.akt.pk])).status_code == detail
    assert client.get(reverse("aktiviteter:andra", args=[world.akt.pk])).status_code == edit
    assert client.get(reverse("aktiviteter:ny")).status_code == new


@pytest.mark.parametrize("who", ROLES)
def test_list_and_register_by_role(client, world, who):
    client.force_login(getattr(world, who))
    expected = 404 if who == "nobody" else 200
    for url in urls(world):
        if "/andra/" in url or url.endswith("/ny/") or f"/aktiviteter/{world.akt.pk}/" in url:
            continue
        assert client.get(url).status_code == expected, url
    if who == "nobody":
        return
    body = client.get(reverse("aktiviteter:lista")).content.decode()
    sees = who in ("board", "changeleader", "coordinator", "leader", "steering", "board_national")
    assert ("Träff om kompetens" in body) == sees
    # The register shows the actor to everyone, but its activities only to those who may.
    body = client.get(reverse("aktiviteter:aktor", args=[world.aktor.pk])).content.decode()
    assert "Region Jönköpings län" in body
    assert ("Träff om kompetens" in body) == sees


def test_coordinator_logs_minimal_activity(client, cast):
    client.force_login(cast.coordinator)
    r = client.get(reverse("aktiviteter:ny"))
    form = r.context["form"]
    assert form["date"].value() == datetime.date.today() or form["date"].initial
    assert form.fields["nuts_omrade"].initial == cast.se21
    r = client.post(
        reverse("aktiviteter:ny"),
        {
            "title": "Samtal med Region Kalmar",
            "typ": "mote",
            "date": "2024-05-02",
            "verksamhetsmal": [g.pk for g in goals(8)],
            "nuts_omrade": cast.se21.pk,
            "participants_women": 0,
            "participants_men": 0,
            "participants_other": 0,
            "new_aktor_name": "Region Kalmar län",
            "new_aktor_typ": "region",
        },
    )
    a = Aktivitet.objects.get()
    assert r.status_code == 302 and r.url == a.get_absolute_url()
    assert [x.name for x in a.aktorer.all()] == ["Region Kalmar län"]
    assert a.aktorer.get().nuts_omrade == cast.se21


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"verksamhetsmal": []}, "Välj minst ett verksamhetsmål."),
        ({"participants_men": -1}, "Antalet kan inte vara negativt."),
        # One character too many (a body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before
        # the form: tests/security/test_limits.py).
        ({"notes": "x" * (NOTES_MAX + 1)}, "Anteckningarna får vara högst"),
        ({"date": "2099-01-01"}, "mer än ett år fram i tiden"),
        ({"date": "2015-01-01"}, "före projektets start"),
    ],
)
def test_bad_input_gives_swedish_message_and_saves_nothing(client, cast, overrides, message):
    client.force_login(cast.coordinator)
    r = client.post(reverse("aktiviteter:ny"), post_data(cast, **overrides))
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not Aktivitet.objects.exists()


def test_refused_activity_does_not_leave_its_new_actor_behind(client, cast):
    """The inline new actor is saved with the activity or not at all (found by fuzzing)."""
    client.force_login(cast.coordinator)
    data = post_data(cast, date="2099-01-01", new_aktor_name="Ny aktör", new_aktor_typ="region")
    r = client.post(reverse("aktiviteter:ny"), data)
    assert r.status_code == 200 and "mer än ett år fram i tiden" in r.content.decode()
    assert not Aktivitet.objects.exists()
    assert not Aktor.objects.filter(name="Ny aktör").exists()


def test_department_user_cannot_log_for_another_department_or_add_actor(client, cast):
    client.force_login(cast.changeleader)
    r = client.post(reverse("aktiviteter:ny"), post_data(cast, avdelningar=[cast.a2.pk]))
    assert r.status_code == 200 and not Aktivitet.objects.exists()
    r = client.post(
        reverse("aktiviteter:ny"),
        post_data(cast, new_aktor_name="Ny aktör", new_aktor_typ="region"),
    )
    assert "Bara samordnare" in r.content.decode() and not Aktivitet.objects.exists()
    r = client.post(reverse("aktiviteter:ny"), post_data(cast))
    assert r.status_code == 302
    assert list(Aktivitet.objects.get().avdelningar.all()) == [cast.a1]


def test_edit_conflict_keeps_input_and_saves_nothing(client, world):
    client.force_login(world.coordinator)
    Aktivitet.objects.filter(pk=world.akt.pk).update(version=3)
    r = client.post(
        reverse("aktiviteter:andra", args=[world.akt.pk]),
        post_data(world, title="Min ändring", version=0),
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "Någon annan har sparat" in body and "Min ändring" in body
    assert Aktivitet.objects.get(pk=world.akt.pk).title == "Träff om kompetens"


def test_filters_and_search(client, world):
    other = make_aktivitet(world.se21, avdelningar=[world.a2], mal=(5,), title="Verkstadsbesök")
    client.force_login(world.coordinator)
    lista = reverse("aktiviteter:lista")

    def titles(**params):
        r = client.get(lista, params)
        return {a.title for a in r.context["rows"]}

    assert titles() == {"Träff om kompetens", "Verkstadsbesök"}
    assert titles(mal=5) == {"Verkstadsbesök"}
    assert titles(avdelning=world.a1.pk) == {"Träff om kompetens"}
    assert titles(aktor=world.aktor.pk) == {"Träff om kompetens"}
    assert titles(forum=world.forum.pk) == {"Träff om kompetens"}
    assert titles(projekt=world.projekt.pk) == {"Träff om kompetens"}
    assert titles(typ="mote") == {"Träff om kompetens", "Verkstadsbesök"}
    assert titles(q="verkstadsbesök") == {"Verkstadsbesök"}
    assert titles(fran="2024-03-02") == set()
    assert titles(till="2024-03-01", sort="title") == {"Träff om kompetens", "Verkstadsbesök"}
    assert other.pk


def test_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.coordinator)
    url = reverse("aktiviteter:lista")
    client.get(url)
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Both requests with an empty cache (aktiviteter.listcache keeps totals and options):
    # a cached page issues fewer queries, and the new rows would miss the cache anyway.
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        make_aktivitet(world.se21, avdelningar=[world.a1, world.a2], mal=(1, 2), title=f"x{i}")
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        client.get(url)


@pytest.mark.parametrize(
    "name", ["aktiviteter:detalj", "aktiviteter:aktor", "aktiviteter:forum", "aktiviteter:projekt"]
)
def test_detail_query_count_does_not_grow(client, world, name, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.coordinator)
    pk = {
        "aktiviteter:detalj": world.akt.pk,
        "aktiviteter:aktor": world.aktor.pk,
        "aktiviteter:forum": world.forum.pk,
        "aktiviteter:projekt": world.projekt.pk,
    }[name]
    url = reverse(name, args=[pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        a = make_aktivitet(
            world.se21,
            avdelningar=[world.a1],
            title=f"y{i}",
            forum=world.forum,
            projekt=world.projekt,
        )
        a.aktorer.add(world.aktor)
    world.akt.aktorer.add(*[make_aktor(name=f"A{i}") for i in range(5)])
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_csv_export_is_filtered_scoped_and_neutralised(client, world):
    make_aktivitet(world.se22, avdelningar=[world.b1], title="Syd")
    make_aktivitet(world.se21, avdelningar=[world.a2], mal=(5,), title="Grannen")
    client.force_login(world.board)
    r = client.get(reverse("aktiviteter:export_csv"))
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [row[3] for row in rows[1:]] == ["Träff om kompetens"]
    assert rows[1][13] == "'=HYPERLINK(1)"
    client.force_login(world.coordinator)
    r = client.get(reverse("aktiviteter:export_csv"), {"mal": 5})
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    assert [row[3] for row in csv.reader(io.StringIO(text), delimiter=";")][1:] == ["Grannen"]


def test_xlsx_export(client, world):
    client.force_login(world.steering)
    r = client.get(reverse("aktiviteter:export_xlsx"))
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "id" and values[1][3] == "Träff om kompetens"
    # Text as typed: an inline string cell is never a formula, so no apostrophe.
    assert values[1][13] == "=HYPERLINK(1)" and ws.cell(2, 14).data_type == "s"


def test_stale_relation_flag(client, world, settings):
    client.force_login(world.coordinator)
    settings.RELATION_STALE_MONTHS = 6
    body = client.get(reverse("aktiviteter:aktor", args=[world.aktor.pk])).content.decode()
    assert "Ingen kontakt sedan" in body  # the only activity is from 2024-03
    make_aktivitet(world.se21, date=datetime.date.today(), title="Idag").aktorer.add(world.aktor)
    body = client.get(reverse("aktiviteter:aktor", args=[world.aktor.pk])).content.decode()
    assert "Ingen kontakt sedan" not in body
    assert NutsOmrade.objects.exists()


def test_activity_page_links_only_the_departments_the_reader_may_open(client, cast):
    """A joint activity across areas names the other area's department; for a board member
    of A1 its link answered 404, so it is shown as a name only."""
    akt = make_aktivitet(cast.se21, avdelningar=[cast.a1, cast.b1], title="Gemensam träff")
    client.force_login(cast.board)
    body = client.get(reverse("aktiviteter:detalj", args=[akt.pk])).content.decode()
    assert f'href="{cast.a1.get_absolute_url()}"' in body
    assert f'href="{cast.b1.get_absolute_url()}"' not in body
    assert cast.b1.name in body
    client.force_login(cast.leader)
    body = client.get(reverse("aktiviteter:detalj", args=[akt.pk])).content.decode()
    assert f'href="{cast.b1.get_absolute_url()}"' in body

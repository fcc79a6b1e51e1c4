"""Ready before compile: the year's gaps, each with where it is fixed; the confirmation the
compile form then needs; and what the compiled report says was missing."""

import subprocess

import pytest
from django.urls import reverse

from avdelningar.models import Medlemsantal
from mal.models import Atagande, Uppfoljning, Uppfoljningsperiod, Verksamhetsmal
from rapporter import services
from rapporter.models import Berattelse, Kostnad, Rapportversion
from rapporter.readiness import rapport_readiness, summary
from tests import factories as f
from tests.rapporter.dataset import build

pytestmark = pytest.mark.django_db
STYR = Rapportversion.Edition.STYRGRUPP
YEAR = 2024


def kinds(gaps):
    return [(g.kind, g.subject) for g in gaps]


def commitment(*, status, avdelning=None, nuts=None, goal=1, year=YEAR):
    return Atagande.objects.create(
        avdelning=avdelning,
        nuts_omrade=nuts,
        year=year,
        verksamhetsmal=Verksamhetsmal.objects.get(number=goal),
        title=f"Åtagande {status}",
        action_plan="Plan.",
        status=status,
    )


def complete_year(cast):
    """Everything the report needs for the cast's year, so each test takes one thing away."""
    Berattelse.objects.create(year=YEAR, text="Ett bra år.")
    for area in (cast.se21, cast.se22):
        Berattelse.objects.create(year=YEAR, nuts_omrade=area, text=f"{area.code} gick bra.")
    Kostnad.objects.create(year=YEAR, coordinators=100, project_leader=50, other=10)
    for avd in (cast.a1, cast.a2, cast.b1):
        Medlemsantal.objects.create(avdelning=avd, year=YEAR, active_members=1000)


@pytest.fixture
def ready(cast):
    complete_year(cast)
    return cast


def test_an_empty_year_misses_everything_in_the_report_order(cast):
    gaps = rapport_readiness(year=YEAR)
    assert kinds(gaps) == [
        ("overall", ""),
        ("narrative", "SE21"),
        ("narrative", "SE22"),
        ("costs", ""),
        ("members", "Avdelning A1"),
        ("members", "Avdelning A2"),
        ("members", "Avdelning B1"),
    ]
    assert "samlade bedömning av 2024" in gaps[0].text
    assert "Småland med öarna" in gaps[1].text


def test_a_complete_year_has_no_gaps(ready):
    assert rapport_readiness(year=YEAR) == []


def test_the_overall_assessment(ready):
    b = Berattelse.objects.get(year=YEAR, nuts_omrade__isnull=True)
    b.text = "  \n"  # blank is not written
    b.save()
    gaps = rapport_readiness(year=YEAR)
    assert kinds(gaps) == [("overall", "")]
    assert gaps[0].url == reverse("rapporter:berattelse", args=[YEAR]) + "#text-samlad"
    b.text = "Skrivet."
    b.save()
    assert rapport_readiness(year=YEAR) == []


def test_an_areas_narrative(ready):
    Berattelse.objects.filter(nuts_omrade=ready.se22).delete()
    gaps = rapport_readiness(year=YEAR)
    assert kinds(gaps) == [("narrative", "SE22")]
    assert gaps[0].url.endswith("#text-SE22")
    # An area's edition asks only for its own narrative.
    assert rapport_readiness(year=YEAR, nuts_omrade=ready.se21) == []
    Berattelse.objects.create(year=YEAR, nuts_omrade=ready.se22, text="Nu.")
    assert rapport_readiness(year=YEAR) == []


def test_the_costs(ready):
    Kostnad.objects.all().delete()
    gaps = rapport_readiness(year=YEAR)
    assert kinds(gaps) == [("costs", "")]
    assert gaps[0].url == reverse("rapporter:kostnad", args=[YEAR])
    Kostnad.objects.create(year=YEAR)
    assert rapport_readiness(year=YEAR) == []


def test_a_departments_members_on_1_january(ready):
    Medlemsantal.objects.filter(avdelning=ready.b1).delete()
    Medlemsantal.objects.create(avdelning=ready.b1, year=YEAR - 1, active_members=9)
    gaps = rapport_readiness(year=YEAR)
    assert kinds(gaps) == [("members", "Avdelning B1")]
    assert gaps[0].url == reverse("avdelning", args=[ready.b1.pk])
    assert gaps[0].admin_url == reverse("admin:avdelningar_avdelning_change", args=[ready.b1.pk])
    # The cost split needs every participating department: an area's edition lists it too.
    assert kinds(rapport_readiness(year=YEAR, nuts_omrade=ready.se21)) == [
        ("members", "Avdelning B1")
    ]
    Medlemsantal.objects.create(avdelning=ready.b1, year=YEAR, active_members=9)
    assert rapport_readiness(year=YEAR) == []


def test_approved_commitments_without_a_full_year_follow_up(ready):
    halvar, helar = Uppfoljningsperiod.ensure_year(YEAR)
    a = commitment(status="approved", avdelning=ready.a1)
    commitment(status="approved", avdelning=ready.a1, goal=2)
    Uppfoljning.objects.create(atagande=a, period=halvar, status="on_track")  # not enough
    gaps = rapport_readiness(year=YEAR)
    assert kinds(gaps) == [("followup", "Avdelning A1")]
    assert gaps[0].count == 2
    assert gaps[0].text == "Avdelning A1: 2 godkända åtaganden utan helårsuppföljning."
    assert gaps[0].url == reverse("mal:avdelning_ar", args=[ready.a1.pk, YEAR])
    for x in Atagande.objects.all():
        Uppfoljning.objects.create(atagande=x, period=helar, status="achieved")
    assert rapport_readiness(year=YEAR) == []


def test_commitments_still_draft_or_returned(ready):
    commitment(status="draft", nuts=ready.se22)
    commitment(status="returned", nuts=ready.se22, goal=3)
    commitment(status="draft")  # national
    commitment(status="draft", avdelning=ready.b1, year=YEAR - 1)  # another year
    gaps = rapport_readiness(year=YEAR)
    assert kinds(gaps) == [("drafts", "Nationellt"), ("drafts", "SE22 Sydsverige")]
    assert [g.count for g in gaps] == [1, 2]
    assert gaps[0].url == reverse("mal:nationellt", args=[YEAR])
    assert gaps[1].url == reverse("mal:omrade_ar", args=["SE22", YEAR])
    assert (
        gaps[1].text == "SE22 Sydsverige: 2 åtaganden har inte skickats in (utkast eller återsänt)."
    )
    # SE21's edition has neither the national nor SE22's commitments.
    assert rapport_readiness(year=YEAR, nuts_omrade=ready.se21) == []
    Atagande.objects.update(status="approved")
    assert [g.kind for g in rapport_readiness(year=YEAR)] == ["followup", "followup"]


def test_commitments_waiting_for_review(ready):
    commitment(status="submitted", avdelning=ready.a1)
    commitment(status="submitted", avdelning=ready.b1)
    gaps = rapport_readiness(year=YEAR)
    assert kinds(gaps) == [("submitted", "")]
    assert gaps[0].count == 2 and gaps[0].url == reverse("mal:granskning")
    assert gaps[0].text == "2 åtaganden för 2024 väntar på granskning."
    assert rapport_readiness(year=YEAR, nuts_omrade=ready.se22)[0].count == 1


def test_an_area_not_taking_part_has_nothing_to_compile(cast):
    from avdelningar.models import NutsOmrade

    assert rapport_readiness(year=YEAR, nuts_omrade=NutsOmrade.objects.get(code="SE33")) == []
    assert rapport_readiness(year=2015) == []


def test_every_link_leads_to_its_page(client, cast):
    halvar, _ = Uppfoljningsperiod.ensure_year(YEAR)
    commitment(status="approved", avdelning=cast.a1)
    commitment(status="draft", nuts=cast.se21)
    commitment(status="draft")
    commitment(status="submitted", avdelning=cast.a2)
    gaps = rapport_readiness(year=YEAR)
    assert {g.kind for g in gaps} == {
        "overall",
        "narrative",
        "costs",
        "members",
        "followup",
        "drafts",
        "submitted",
    }
    client.force_login(cast.leader)
    for g in gaps:
        assert client.get(g.url.split("#")[0]).status_code == 200, g
    admin = f.UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for g in gaps:
        if g.admin_url:
            assert client.get(g.admin_url).status_code == 200, g


# Overall, narratives, costs, members, commitments: one query each, however many areas,
# departments or commitments.
READINESS_QUERIES = 5


@pytest.mark.parametrize("scale", [1, 10])
def test_queries_do_not_grow_with_rows(cast, scale, django_assert_num_queries):
    build(cast, scale=scale)
    f.AvdelningFactory(name="Avdelning utan medlemmar", nuts_omrade=cast.se22)
    assert Atagande.objects.filter(year=YEAR).count() >= 10 * scale
    with django_assert_num_queries(READINESS_QUERIES):
        gaps = rapport_readiness(year=YEAR)
    assert gaps  # the dataset has drafts and a department without members
    with django_assert_num_queries(READINESS_QUERIES):
        rapport_readiness(year=YEAR, nuts_omrade=cast.se21)


def test_summary_says_it_in_a_sentence_per_kind(cast):
    for i in range(6):
        f.AvdelningFactory(name=f"Avdelning C{i}", nuts_omrade=cast.se22)
    lines = summary([g.as_dict() for g in rapport_readiness(year=YEAR)])
    assert lines == [
        "Projektledarens samlade bedömning av 2024 är inte skriven.",
        "Samordnarens berättelse för SE21, SE22.",
        "Projektets kostnader för 2024 är inte inlagda.",
        "Aktiva medlemmar 1 januari för 9 avdelningar (Avdelning A1, Avdelning A2, "
        "Avdelning B1, Avdelning C0 och 5 till): kostnadsfördelningen mellan avdelningarna "
        "gjordes inte.",
    ]


def test_mals_contract_gives_plain_values_in_one_query(cast, django_assert_num_queries):
    import json

    from mal import reporting

    commitment(status="draft", avdelning=cast.a1)
    commitment(status="approved", avdelning=cast.a1, goal=2)
    commitment(status="submitted", nuts=cast.se21)
    with django_assert_num_queries(1):
        data = reporting.commitment_gaps(year=YEAR)
    assert json.loads(json.dumps(data)) == data
    assert data["review_url"] == reverse("mal:granskning")
    assert data["owners"] == [
        {
            "owner": "SE21 Småland med öarna",
            "owner_type": "omrade",
            "nuts_code": "SE21",
            "url": reverse("mal:omrade_ar", args=["SE21", YEAR]),
            "drafts": 0,
            "submitted": 1,
            "without_full_year": 0,
        },
        {
            "owner": "Avdelning A1",
            "owner_type": "avdelning",
            "nuts_code": "SE21",
            "url": reverse("mal:avdelning_ar", args=[cast.a1.pk, YEAR]),
            "drafts": 1,
            "submitted": 0,
            "without_full_year": 1,
        },
    ]
    assert reporting.commitment_gaps(year=YEAR, nuts_ids=[cast.se22.pk])["owners"] == []


# --- the compile form ------------------------------------------------------------------


def post_compile(client, **extra):
    data = {"year": YEAR, "edition": STYR, "omrade": "", **extra}
    return client.post(reverse("rapporter:compile"), data)


def test_the_list_page_shows_the_gaps_before_the_button(client, cast):
    client.force_login(cast.leader)
    page = client.get(reverse("rapporter:list") + f"?ar={YEAR}").content.decode()
    assert "Det här saknas för 2024 (7)" in page
    assert page.index("Det här saknas") < page.index(">Sammanställ</button>")
    assert f'href="{reverse("rapporter:kostnad", args=[YEAR])}"' in page
    assert 'name="sammanstall_anda"' in page and 'name="gaps_year" value="2024"' in page
    # Readers other than the project leader compile nothing and see no list.
    client.force_login(cast.steering)
    assert "Det här saknas" not in client.get(reverse("rapporter:list")).content.decode()


def test_a_ready_year_needs_no_confirmation(client, ready, django_capture_on_commit_callbacks):
    client.force_login(ready.leader)
    page = client.get(reverse("rapporter:list") + f"?ar={YEAR}").content.decode()
    assert "Klart att sammanställa" in page and 'name="sammanstall_anda"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = post_compile(client)
    v = Rapportversion.objects.get()
    assert response.status_code == 302 and response["Location"] == v.get_absolute_url()
    v.refresh_from_db()
    assert v.status == "done" and v.snapshot["gaps"] == []
    assert "Saknades vid sammanställningen" not in client.get(v.get_absolute_url()).content.decode()


def test_gaps_need_the_confirmation(client, cast):
    client.force_login(cast.leader)
    response = post_compile(client)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kryssa i ”Sammanställ ändå”" in page and "Det här saknas för 2024" in page
    assert not Rapportversion.objects.exists()
    # An unticked box is the same.
    assert post_compile(client, sammanstall_anda="").status_code == 400
    assert not Rapportversion.objects.exists()


def test_the_page_again_lists_the_chosen_areas_gaps(client, ready):
    Berattelse.objects.filter(nuts_omrade=ready.se22).delete()
    client.force_login(ready.leader)
    # SE21's edition has no gaps: no confirmation needed.
    assert post_compile(client, omrade=ready.se21.pk).status_code == 302
    response = post_compile(client, omrade=ready.se22.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Det här saknas för 2024, SE22 Sydsverige (1)" in page
    assert "Samordnarens berättelse för SE22 Sydsverige saknas." in page


def test_a_confirmation_for_another_years_list_is_not_one(client, cast):
    """The page listed 2023's gaps; the form was then changed to 2024."""
    client.force_login(cast.leader)
    response = post_compile(client, sammanstall_anda="on", gaps_year=YEAR - 1)
    assert response.status_code == 400
    assert 'name="gaps_year" value="2024"' in response.content.decode()
    assert not Rapportversion.objects.exists()
    assert post_compile(client, sammanstall_anda="on", gaps_year=YEAR).status_code == 302


def test_the_compiled_report_says_what_was_missing(
    client, ready, django_capture_on_commit_callbacks
):
    Kostnad.objects.all().delete()
    commitment(status="draft", avdelning=ready.a2)
    client.force_login(ready.leader)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_compile(client, sammanstall_anda="on").status_code == 302
    v = Rapportversion.objects.get()
    v.refresh_from_db()
    assert v.status == "done"
    assert [g["kind"] for g in v.snapshot["gaps"]] == ["costs", "drafts"]
    assert v.snapshot["gaps_summary"] == [
        "Projektets kostnader för 2024 är inte inlagda.",
        "1 åtagande hade inte skickats in (Avdelning A2).",
    ]
    page = client.get(v.get_absolute_url()).content.decode()
    # Said on the cover, before the assessment; listed where the appendices start (the
    # board's front page keeps its two pages).
    assert page.index("Underlaget var ofullständigt") < page.index("Samlad bedömning")
    box = page[page.index("Saknades vid sammanställningen") :]
    assert "Projektets kostnader för 2024 är inte inlagda." in box
    assert 'href="#saknades"' in page and 'id="saknades"' in page
    # The gaps are the compile's own: entering the costs afterwards changes nothing.
    Kostnad.objects.create(year=YEAR)
    v.refresh_from_db()
    assert len(v.snapshot["gaps"]) == 2


def test_the_gaps_are_in_the_pdf(ready):
    Kostnad.objects.all().delete()
    v = services.rapport_request(year=YEAR, edition=STYR, enqueue=False)
    services.rapport_compile(version_id=v.pk)
    v.refresh_from_db()
    out = subprocess.run(["pdftotext", v.pdf.path, "-"], capture_output=True, check=True)
    text = " ".join(out.stdout.decode().split())
    assert "Saknades vid sammanställningen" in text
    assert "Projektets kostnader för 2024 är inte inlagda." in text

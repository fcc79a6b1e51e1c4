import datetime

import pytest
from django.db import models

from avdelningar import demo as organisation
from mal import demo
from mal.models import Atagande, Uppfoljning, Utfall

pytestmark = pytest.mark.django_db


def counts():
    return (Atagande.objects.count(), Uppfoljning.objects.count(), Utfall.objects.count())


TODAY = datetime.date(2025, 12, 1)


def test_demo_is_full_deterministic_and_idempotent():
    organisation.seed(TODAY)
    demo.seed(TODAY)
    first = counts()
    keys = set(Atagande.objects.values_list("avdelning__name", "year", "title", "status"))
    demo.seed(TODAY)
    assert counts() == first
    assert set(Atagande.objects.values_list("avdelning__name", "year", "title", "status")) == keys
    # Every participating department has commitments each year; SE22 only from 2020.
    assert not Atagande.objects.filter(avdelning__nuts_omrade__code="SE22", year=2019).exists()
    for year in range(2019, 2026):
        assert Atagande.objects.filter(avdelning__nuts_omrade__code="SE21", year=year).exists()
    assert set(Atagande.objects.filter(year=2025).values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "approved",
        "returned",
    }
    assert Atagande.objects.filter(avdelning=None, nuts_omrade=None).count() == 7
    assert not Atagande.objects.filter(year=2026).exists()
    assert not Uppfoljning.objects.exclude(atagande__status="approved").exists()
    # What was handed in carries the date it was (the review queue shows it); drafts none.
    handed_in = Atagande.objects.exclude(status="draft")
    assert not handed_in.filter(submitted_at=None).exists()
    assert not Atagande.objects.filter(status="draft").exclude(submitted_at=None).exists()
    reviewed = Atagande.objects.filter(status__in=["approved", "returned"])
    assert not reviewed.filter(reviewed_at=None).exists()
    # ... and its reviewer, as the workflow writes: the area's coordinator for a
    # department's commitment, the project leader for an area's or the national ones.
    assert not reviewed.filter(reviewed_by=None).exists()
    assert set(
        reviewed.filter(avdelning__nuts_omrade__code="SE22").values_list(
            "reviewed_by__username", flat=True
        )
    ) == {"samordnare-syd"}
    assert set(reviewed.filter(avdelning=None).values_list("reviewed_by__username", flat=True)) == {
        "projektledare"
    }


def test_demo_follows_four_eyes():
    """Who submitted is not who reviewed, and each demo reviewer can approve what waits
    in their queue: a board member submits, the coordinator (or project leader) reviews."""
    from django.contrib.auth import get_user_model

    from avdelningar.access import scope_for

    organisation.seed()
    demo.seed()
    reviewed = Atagande.objects.filter(status__in=["approved", "returned"])
    assert not reviewed.filter(reviewed_by=None).exists()
    gotland = Atagande.objects.filter(avdelning__name="IF Metall Gotland").exclude(status="draft")
    assert gotland.exists()
    assert not gotland.exclude(submitted_by__username="styrelse-gotland").exists()
    assert (
        not Atagande.objects.exclude(submitted_by=None)
        .filter(submitted_by=models.F("reviewed_by"))
        .exists()
    )
    users = get_user_model().objects
    for username in ("samordnare-smaland", "samordnare-syd", "projektledare"):
        scope = scope_for(users.get(username=username))
        queue = list(Atagande.objects.awaiting_review(scope).select_related("avdelning"))
        assert queue and all(a.can_approve(scope) for a in queue), username


def test_demo_runs_up_to_the_day_it_is_seeded():
    """Seeded on 1 December 2026 the demo holds 2026's commitments and mid-year follow-ups,
    nothing dated after that day, and no full-year follow-up for a year not yet over."""
    today = datetime.date(2026, 12, 1)
    organisation.seed(today)
    demo.seed(today)
    this_year = Atagande.objects.filter(year=2026)
    assert this_year.filter(avdelning__nuts_omrade__code="SE22").exists()
    assert set(this_year.values_list("status", flat=True)) >= {"approved", "submitted", "draft"}
    follow_ups = Uppfoljning.objects.filter(atagande__year=2026)
    assert set(follow_ups.values_list("period__kind", flat=True)) == {"halvar"}
    assert Uppfoljning.objects.filter(atagande__year=2025, period__kind="helar").exists()
    now = datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC)
    assert not Atagande.objects.filter(submitted_at__gt=now).exists()
    assert not Atagande.objects.filter(reviewed_at__gt=now).exists()

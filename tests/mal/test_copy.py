"""'Utgå från förra årets åtaganden': from the latest earlier year with commitments, the
ticked ones, each baseline the target's last actual; and when nothing is left, it says so."""

from decimal import Decimal

import pytest
from django.urls import reverse

from historik.models import Handelse
from mal import services
from mal.models import Atagande, Uppfoljning, Utfall

pytestmark = pytest.mark.django_db


def test_starts_from_the_latest_earlier_year_that_has_commitments(client, cast, mk):
    mk(cast.a1, year=2021, title="Gammalt")
    mk(cast.a1, year=2022, title="Senast")  # 2023 has none
    created = services.atagande_copy_last_year(user=cast.board, year=2024, avdelning=cast.a1)
    assert [a.title for a in created] == ["Senast"]
    client.force_login(cast.board)
    body = client.get(reverse("mal:avdelning_ar", args=[cast.a1.pk, 2025])).content.decode()
    assert "Utgå från 2024 års åtaganden" in body


def test_the_board_chooses_which_to_copy(client, cast, mk):
    keep = mk(cast.a1, year=2023, title="Ta med")
    mk(cast.a1, year=2023, title="Lämna", goal=5)
    client.force_login(cast.board)
    url = reverse("mal:kopiera", args=[cast.a1.pk, 2024])
    body = client.get(url).content.decode()
    assert body.count('type="checkbox" name="atagande"') == 2
    r = client.post(url, {"atagande": [keep.pk]})
    assert r.status_code == 302
    assert list(Atagande.objects.filter(year=2024).values_list("title", flat=True)) == ["Ta med"]


def test_each_baseline_is_the_last_actual(cast, mk, periods):
    old = mk(cast.a1, year=2024, status="approved", targets=2)
    first, second = old.malvarden.order_by("pk")
    Utfall.objects.create(
        uppfoljning=Uppfoljning.objects.create(atagande=old, period=periods[0], status="on_track"),
        malvarde=first,
        actual=Decimal(4),
    )
    Utfall.objects.create(
        uppfoljning=Uppfoljning.objects.create(atagande=old, period=periods[1], status="achieved"),
        malvarde=first,
        actual=Decimal(12),
    )
    second.baseline = Decimal(2)
    second.save()
    (copy,) = services.atagande_copy_last_year(user=cast.board, year=2025, avdelning=cast.a1)
    baselines = list(copy.malvarden.order_by("pk").values_list("baseline", flat=True))
    assert baselines == [Decimal(12), Decimal(2)]  # never followed up: its own baseline
    # The history says what the copy holds, its targets with their new baselines too.
    created = Handelse.objects.get(model="mal.Atagande", object_id=str(copy.pk))
    target = created.changes[f"målvärde {first.indicator_name}"][1]
    assert Decimal(target["baseline"]) == 12


def test_says_so_once_nothing_is_left(client, cast, mk):
    a = mk(cast.a1, year=2023)
    client.force_login(cast.board)
    client.post(reverse("mal:kopiera", args=[cast.a1.pk, 2024]), {"atagande": [a.pk]})
    body = client.get(reverse("mal:avdelning_ar", args=[cast.a1.pk, 2024])).content.decode()
    assert reverse("mal:kopiera", args=[cast.a1.pk, 2024]) not in body
    assert "det finns inget kvar att kopiera" in body
    body = client.get(reverse("mal:kopiera", args=[cast.a1.pk, 2024])).content.decode()
    assert "det finns inget kvar att kopiera" in body
    r = client.post(reverse("mal:kopiera", args=[cast.a1.pk, 2024]), {"atagande": [a.pk]})
    assert r.status_code == 302
    assert Atagande.objects.filter(year=2024).count() == 1


def test_a_copy_made_meanwhile_is_no_error(cast, mk, monkeypatch):
    """The unguarded insert (issue 13 #6): someone copied the same commitment after this
    request listed it; the copy skips it instead of failing on the unique constraint."""
    a = mk(cast.a1, year=2023)
    listed = services.copy_candidates(year=2024, avdelning=cast.a1)
    mk(cast.a1, year=2024, title=a.title)  # the other tab's copy
    monkeypatch.setattr(services, "copy_candidates", lambda **kw: listed)
    created = services.atagande_copy_last_year(user=cast.board, year=2024, avdelning=cast.a1)
    assert created == []
    assert Atagande.objects.filter(year=2024).count() == 1

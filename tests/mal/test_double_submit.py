"""Submitting the same new commitment twice (two tabs, a double click) is no 500: the
second answer names the commitment that was saved (issue 13 #6). Changing only the goal
re-checks the catalogue indicators (issue 13 #11)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mal import services
from mal.models import Atagande, Indikator, Verksamhetsmal

pytestmark = pytest.mark.django_db

NO_TARGETS = {
    "malvarden-TOTAL_FORMS": "0",
    "malvarden-INITIAL_FORMS": "0",
    "malvarden-MIN_NUM_FORMS": "0",
    "malvarden-MAX_NUM_FORMS": "1000",
}


def test_the_same_form_twice_links_to_the_saved_commitment(client, cast):
    client.force_login(cast.board)
    url = reverse("mal:ny_avdelning", args=[cast.a1.pk, 2024])
    data = {
        "verksamhetsmal": Verksamhetsmal.objects.get(number=2).pk,
        "title": "Dubbelklick",
        "action_plan": "Vi besöker arbetsplatserna.",
        **NO_TARGETS,
    }
    assert client.post(url, data).status_code == 302
    r = client.post(url, data)
    saved = Atagande.objects.get(title="Dubbelklick")
    body = r.content.decode()
    assert r.status_code == 200
    assert "Det finns redan ett åtagande med den rubriken" in body
    assert saved.get_absolute_url() in body
    assert Atagande.objects.filter(title="Dubbelklick").count() == 1


def test_a_twin_inserted_after_the_check_is_a_message_not_an_integrity_error(cast, mk, monkeypatch):
    """The parallel case: both requests passed full_clean before either saved."""
    mk(cast.a1, title="Parallellt")
    a = Atagande(
        avdelning=cast.a1,
        year=2024,
        verksamhetsmal=Verksamhetsmal.objects.get(number=2),
        title="Parallellt",
        action_plan="x",
    )
    monkeypatch.setattr(Atagande, "full_clean", lambda self, **kw: None)
    with pytest.raises(ValidationError, match="Det finns redan"):
        services.atagande_save(atagande=a, malvarden=[], user=cast.board)
    assert Atagande.objects.filter(title="Parallellt").count() == 1


def test_changing_only_the_goal_rechecks_the_catalogue_indicators(cast, mk):
    a = mk(cast.a1, goal=2)  # its target's indicator is from goal 2's catalogue
    assert Indikator.objects.get(pk=a.malvarden.get().indikator_id).verksamhetsmal.number == 2
    a = Atagande.objects.get(pk=a.pk)
    a.verksamhetsmal = Verksamhetsmal.objects.get(number=7)
    with pytest.raises(ValidationError, match="annat verksamhetsmål"):
        services.atagande_save(
            atagande=a, malvarden=[], user=cast.board, expected_version=a.version
        )
    assert Atagande.objects.get(pk=a.pk).verksamhetsmal.number == 2

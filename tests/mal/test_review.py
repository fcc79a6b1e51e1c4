"""The review: the banner names the review that decided the status, and four eyes (whoever
submitted a commitment may not approve it; another reviewer does)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mal import services
from mal.models import Atagande

pytestmark = pytest.mark.django_db


def page(client, user, a):
    client.force_login(user)
    return client.get(reverse("mal:atagande", args=[a.pk])).content.decode()


def test_approved_banner_says_approved_by_the_reviewers_name(client, cast, mk):
    a = mk(cast.a1)
    services.atagande_submit(atagande=a, user=cast.board)
    services.atagande_approve(atagande=a, user=cast.coordinator, note="Bra plan")
    body = page(client, cast.board, a)
    # The person's name (the cast's people are named after their logins, title-cased).
    assert "Godkänt av Coordinator" in body and "Bra plan" in body
    assert "Granskat av" not in body


def test_a_resubmitted_commitment_does_not_show_the_old_return_as_a_review(client, cast, mk):
    a = mk(cast.a1)
    services.atagande_submit(atagande=a, user=cast.board)
    services.atagande_return(atagande=a, user=cast.coordinator, note="Ange kvinnor och män")
    body = page(client, cast.board, a)
    assert "Återsänt av Coordinator" in body
    a = Atagande.objects.get(pk=a.pk)
    services.atagande_save(atagande=a, malvarden=[], user=cast.board, expected_version=a.version)
    services.atagande_submit(atagande=Atagande.objects.get(pk=a.pk), user=cast.board)
    body = page(client, cast.board, a)
    assert "Återsänt av" not in body and "Granskat av" not in body
    assert "väntar på granskning" in body
    # The return stays readable as what it was: a comment of the earlier round.
    assert "Återsänt: Ange kvinnor och män" in body


def test_a_banner_without_a_reviewer_login(client, cast, mk):
    a = mk(cast.a1, status="approved")
    Atagande.objects.filter(pk=a.pk).update(reviewed_at="2024-02-24T10:00:00Z")
    body = page(client, cast.board, a)
    assert "Godkänt av (borttagen användare) 2024-02-24" in body


def test_whoever_submitted_may_not_approve_in_the_service(cast, mk):
    a = mk(cast.a1)
    services.atagande_submit(atagande=a, user=cast.coordinator)
    with pytest.raises(PermissionDenied, match="fyra ögon"):
        services.atagande_approve(atagande=Atagande.objects.get(pk=a.pk), user=cast.coordinator)
    assert Atagande.objects.get(pk=a.pk).status == "submitted"
    services.atagande_approve(atagande=Atagande.objects.get(pk=a.pk), user=cast.leader)
    assert Atagande.objects.get(pk=a.pk).status == "approved"


def test_whoever_submitted_sees_no_approve_button_and_why(client, cast, mk):
    a = mk(cast.a1)
    services.atagande_submit(atagande=a, user=cast.coordinator)
    body = page(client, cast.coordinator, a)
    assert reverse("mal:godkann", args=[a.pk]) not in body
    assert "kan därför inte själv godkänna" in body
    assert reverse("mal:returnera", args=[a.pk]) in body  # sending it back is still theirs
    body = page(client, cast.leader, a)
    assert reverse("mal:godkann", args=[a.pk]) in body and "själv godkänna" not in body


def test_whoever_submitted_is_refused_by_the_view_too(client, cast, mk):
    a = mk(cast.a1)
    services.atagande_submit(atagande=a, user=cast.leader)
    client.force_login(cast.leader)
    r = client.post(reverse("mal:godkann", args=[a.pk]), {"version": a.version}, follow=True)
    assert "kan därför inte själv godkänna" in r.content.decode()
    assert Atagande.objects.get(pk=a.pk).status == "submitted"
    client.force_login(cast.coordinator)
    client.post(reverse("mal:godkann", args=[a.pk]), {"version": a.version})
    assert Atagande.objects.get(pk=a.pk).status == "approved"

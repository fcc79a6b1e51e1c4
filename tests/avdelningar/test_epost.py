"""The logged-in user's e-mail settings (/konto/epost/): one box per kind of workflow mail."""

from django.urls import reverse

from avdelningar.models import Epost, Epostval
from historik.models import Handelse


def test_all_kinds_are_on_by_default(client, cast):
    cast.board.person.email = "board@example.org"
    cast.board.person.save()
    client.force_login(cast.board)
    page = client.get(reverse("epost")).content.decode()
    for kind in Epost:
        assert kind.label in page
    assert page.count("checked") == len(Epost)
    assert "board@example.org" in page


def test_turning_kinds_off_and_on(client, cast):
    client.force_login(cast.board)
    url = reverse("epost")
    response = client.post(url, {"wanted": [Epost.ATAGANDE_GRANSKAT]}, follow=True)
    assert "Dina val för e-post är sparade." in response.content.decode()
    off = set(Epostval.objects.filter(person=cast.board.person).values_list("kind", flat=True))
    assert off == set(Epost.values) - {Epost.ATAGANDE_GRANSKAT}
    page = client.get(url).content.decode()
    assert page.count("checked") == 1
    row = Handelse.objects.get(note="E-postval")
    assert row.user == cast.board and row.object_id == str(cast.board.person.pk)

    client.post(url, {"wanted": list(Epost.values)})
    assert not Epostval.objects.filter(person=cast.board.person).exists()
    # Saving the same choice again records nothing new.
    client.post(url, {"wanted": list(Epost.values)})
    assert Handelse.objects.filter(note="E-postval").count() == 2


def test_an_unknown_kind_is_a_form_error_and_changes_nothing(client, cast):
    client.force_login(cast.board)
    response = client.post(reverse("epost"), {"wanted": ["allt", "\x00"]})
    assert response.status_code == 400
    assert not Epostval.objects.exists()


def test_a_login_without_a_person_is_told_why_nothing_is_sent(client, cast):
    client.force_login(cast.nobody)
    response = client.get(reverse("epost"))
    assert response.status_code == 200
    assert "inte kopplat till en person" in response.content.decode()
    assert client.post(reverse("epost"), {"wanted": []}).status_code == 200
    assert not Epostval.objects.exists()


def test_the_nav_links_to_the_settings(client, cast):
    client.force_login(cast.board)
    assert f'href="{reverse("epost")}"' in client.get(reverse("start")).content.decode()

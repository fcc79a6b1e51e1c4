"""Issue 13 #15: a 2 MB comment was stored (twice), and a 300 MB attachment was received
whole before "högst 5 MB" was checked."""

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import reverse

from historik.models import Handelse
from mal.forms import NoteForm
from mal.models import Kommentar
from tests.mal.helpers import make_atagande

pytestmark = pytest.mark.django_db


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_too_large_body_is_refused_before_it_is_read(client, cast):
    a = make_atagande(cast.a1)
    client.force_login(cast.board)
    r = client.generic(
        "POST",
        reverse("mal:bilaga_ny", args=[a.pk]),
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert r.status_code == 413
    body = r.content.decode()
    assert "för stort" in body and "5 MB" in body
    assert r["Content-Security-Policy"] and r["X-Request-ID"]
    assert not a.bilagor.exists()


def test_a_body_just_under_the_limit_still_reaches_the_form(client, cast, settings):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    a = make_atagande(cast.a1)
    client.force_login(cast.board)
    r = client.post(reverse("mal:kommentar", args=[a.pk]), {"note": "kort"})
    assert r.status_code == 302 and a.kommentarer.get().text == "kort"
    r = client.post(reverse("mal:kommentar", args=[a.pk]), {"note": "x" * 70 * 1024})
    assert r.status_code == 413 and a.kommentarer.count() == 1


def test_a_long_comment_is_refused_with_a_message_and_not_stored(client, cast):
    a = make_atagande(cast.a1)
    client.force_login(cast.board)
    before = Handelse.objects.count()
    text = "å" * (settings.TEXT_MAX_LENGTH + 1)
    r = client.post(reverse("mal:kommentar", args=[a.pk]), {"note": text}, follow=True)
    assert "Texten är för lång: högst 10\xa0000 tecken, du skrev 10\xa0001." in r.content.decode()
    assert not Kommentar.objects.exists()
    assert Handelse.objects.count() == before


def test_a_two_megabyte_form_is_refused_and_nothing_is_stored(client, cast):
    a = make_atagande(cast.a1)
    client.force_login(cast.board)
    r = Client(raise_request_exception=False)
    r.force_login(cast.board)
    resp = r.post(reverse("mal:kommentar", args=[a.pk]), {"note": "x" * 2 * 1024 * 1024})
    assert resp.status_code == 400
    assert not Kommentar.objects.exists()


def test_free_text_form_fields_have_the_central_limit():
    limit = settings.TEXT_MAX_LENGTH
    form = NoteForm(data={"note": "x" * (limit + 1)})
    assert not form.is_valid()
    assert f"som mest {limit} tecken" in form.errors["note"][0]  # Django's Swedish
    assert f'maxlength="{limit}"' in str(form["note"])
    assert NoteForm(data={"note": "x" * limit}).is_valid()
    # A model's TextField without a max_length gets it too; a field's own limit wins.
    kommentar_form = forms.modelform_factory(Kommentar, fields=["text"])
    assert f'maxlength="{limit}"' in str(kommentar_form()["text"])
    assert forms.CharField(max_length=12).max_length == 12
    assert forms.CharField(max_length=12).clean("x" * 12) == "x" * 12
    # JSON fields are not text to be cut.
    assert forms.JSONField(required=False).clean('{"a": "' + "x" * (limit + 5) + '"}')

"""Answering: the form is built from the questions (a field per kind, each validated), a
draft may leave questions empty, submitting needs the required ones, the answer can be
changed until the deadline and is read-only after it; two board members saving at once
meet a conflict; every save is in the trail."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from avdelningar.models import Roll
from enkater.forms import SvarForm, field_name
from enkater.models import Svar, Svarsvarde
from historik.models import Handelse
from tests import factories as f

from .helpers import question, sent_to

pytestmark = pytest.mark.django_db


def url(svar):
    return reverse("enkater:svar", args=[svar.pk])


def full(enkat, **extra):
    """A complete answer to helpers.KINDS, as the browser posts it."""
    data = {
        field_name(question(enkat, "scale")): "4",
        field_name(question(enkat, "single")): "Ja",
        field_name(question(enkat, "multiple")): ["Mål 1", "Mål 3"],
        field_name(question(enkat, "number")): "12",
        field_name(question(enkat, "text")): "Samverkan i länet.",
    }
    return {**data, **extra}


def test_the_form_has_a_field_of_the_right_kind_per_question(cast):
    e = sent_to(cast.a1)
    form = SvarForm(fragor=e.fragor.all(), values={}, version=1, submitting=True)
    kinds = {f.kind: form.fields[field_name(f)] for f in e.fragor.all()}
    assert isinstance(kinds["scale"], forms.TypedChoiceField)
    assert [c for c, _ in kinds["scale"].choices] == [1, 2, 3, 4, 5]
    assert isinstance(kinds["single"].widget, forms.RadioSelect)
    assert isinstance(kinds["multiple"], forms.MultipleChoiceField)
    assert isinstance(kinds["number"], forms.DecimalField)
    assert isinstance(kinds["text"].widget, forms.Textarea)
    assert all(f.required for f in kinds.values())
    draft = SvarForm(fragor=e.fragor.all(), values={}, version=1, submitting=False)
    assert not any(draft.fields[field_name(f)].required for f in e.fragor.all())


@pytest.mark.parametrize(
    "kind,value,message",
    [
        ("scale", "6", "från 1 till 5"),
        ("scale", "0", "från 1 till 5"),
        ("number", "101", "mindre än eller lika med 100"),
        ("number", "-1", "större än eller lika med 0"),
        ("number", "tolv", "Ange ett tal, till exempel"),
        ("single", "Kanske", "Välj bland frågans svarsalternativ"),
        ("multiple", ["Mål 9"], "Välj bland frågans svarsalternativ"),
    ],
)
def test_a_value_outside_the_question_is_refused_even_in_a_draft(
    client, cast, kind, value, message
):
    e = sent_to(cast.a1)
    svar = e.svar.get()
    client.force_login(cast.board)
    data = {"version": "1", "utkast": "", field_name(question(e, kind)): value}
    r = client.post(url(svar), data)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Svarsvarde.objects.exists()
    svar.refresh_from_db()
    assert svar.status == Svar.Status.NEW and svar.version == 1


def test_a_draft_is_saved_and_submitted_later(client, cast):
    e = sent_to(cast.a1)
    svar = e.svar.get()
    client.force_login(cast.board)
    scale = field_name(question(e, "scale"))
    r = client.post(url(svar), {"version": "1", "utkast": "", scale: "3"})
    assert r.status_code == 302
    svar.refresh_from_db()
    assert svar.status == Svar.Status.DRAFT and svar.version == 2
    assert svar.varden.get().number == Decimal("3")
    # Submitting without the required questions is refused, and keeps the draft.
    r = client.post(url(svar), {"version": "2", "skicka": "", scale: "3"})
    assert r.status_code == 400 and "Detta fält måste fyllas i" in r.content.decode()
    svar.refresh_from_db()
    assert svar.status == Svar.Status.DRAFT
    r = client.post(url(svar), full(e, version="2", skicka=""))
    assert r.status_code == 302
    svar.refresh_from_db()
    assert svar.status == Svar.Status.SUBMITTED and svar.submitted_by == cast.board
    values = {v.fraga.kind: v for v in svar.varden.select_related("fraga")}
    assert values["scale"].number == 4 and values["single"].text == "Ja"
    assert values["multiple"].chosen == ["Mål 1", "Mål 3"] and values["number"].number == 12
    trail = Handelse.objects.filter(model="enkater.Svar").order_by("pk")
    assert [h.changes.get("status") for h in trail] == [["new", "draft"], ["draft", "submitted"]]
    assert trail[0].avdelning_id == cast.a1.pk


def test_a_submitted_answer_can_change_until_the_deadline_and_stays_submitted(client, cast):
    e = sent_to(cast.a1)
    svar = e.svar.get()
    client.force_login(cast.board)
    client.post(url(svar), full(e, version="1", skicka=""))
    page = client.get(url(svar)).content.decode()
    assert "Spara ändringarna" in page and "Spara utkast" not in page
    r = client.post(
        url(svar), full(e, version="2", skicka="", **{field_name(question(e, "scale")): "5"})
    )
    assert r.status_code == 302
    svar.refresh_from_db()
    assert svar.status == Svar.Status.SUBMITTED
    assert svar.varden.get(fraga__kind="scale").number == 5


def test_after_the_deadline_the_answer_is_read_only(client, cast):
    e = sent_to(cast.a1, deadline=timezone.localdate() - datetime.timedelta(days=1))
    svar = e.svar.get()
    client.force_login(cast.board)
    page = client.get(url(svar)).content.decode()
    assert "kan läsas men inte längre ändras" in page
    assert "Skicka in svaret" not in page and "disabled" in page
    r = client.post(url(svar), full(e, version="1", skicka=""))
    assert r.status_code == 400 and "Sista dag för svar har passerat" in r.content.decode()
    svar.refresh_from_db()
    assert svar.status == Svar.Status.NEW and not svar.varden.exists()


def test_the_deadline_day_itself_is_still_open(client, cast):
    e = sent_to(cast.a1, deadline=timezone.localdate())
    client.force_login(cast.board)
    assert client.post(url(e.svar.get()), full(e, version="1", skicka="")).status_code == 302


def test_two_board_members_saving_at_once_meet_a_conflict(client, cast):
    chair = f.user_with_role("chair", Roll.ORDFORANDE, avdelning=cast.a1)
    e = sent_to(cast.a1)
    svar = e.svar.get()
    scale = field_name(question(e, "scale"))
    client.force_login(cast.board)
    assert client.post(url(svar), {"version": "1", "utkast": "", scale: "2"}).status_code == 302
    client.force_login(chair)
    r = client.post(url(svar), {"version": "1", "utkast": "", scale: "5"})  # loaded at 1
    assert r.status_code == 400 and "Någon annan har sparat" in r.content.decode()
    assert svar.varden.get().number == 2


def test_an_empty_value_clears_a_drafted_one(client, cast):
    e = sent_to(cast.a1)
    svar = e.svar.get()
    text = field_name(question(e, "text"))
    client.force_login(cast.board)
    client.post(url(svar), {"version": "1", "utkast": "", text: "Först"})
    client.post(url(svar), {"version": "2", "utkast": "", text: ""})
    assert not svar.varden.exists()


def test_the_answer_page_shows_a_whole_number_as_typed_and_its_queries_are_pinned(
    client, cast, django_assert_num_queries
):
    e = sent_to(cast.a1)
    svar = e.svar.get()
    client.force_login(cast.board)
    client.post(url(svar), {"version": "1", "utkast": "", field_name(question(e, "number")): "38"})
    with django_assert_num_queries(6):
        page = client.get(url(svar)).content.decode()
    assert 'value="38"' in page

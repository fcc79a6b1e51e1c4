"""The questionnaire's tables refuse what makes no sense, with a Swedish message."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from enkater.models import Enkat, Fraga, Svar

from .helpers import make_enkat, sent_to

pytestmark = pytest.mark.django_db


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_choice_question_needs_options():
    e = make_enkat()
    section = e.avsnitt.get()
    _refused(lambda: Fraga.objects.create(enkat=e, avsnitt=section, text="?", kind="single"))
    with pytest.raises(ValidationError, match="svarsalternativ"):
        Fraga(enkat=e, avsnitt=section, text="?", kind="multiple").full_clean()


def test_a_number_range_is_ordered():
    e = make_enkat()
    section = e.avsnitt.get()
    _refused(
        lambda: Fraga.objects.create(
            enkat=e, avsnitt=section, text="?", kind="number", min_value=5, max_value=1
        )
    )


def test_unknown_kinds_and_statuses_are_refused():
    e = make_enkat()
    _refused(lambda: Fraga.objects.create(enkat=e, avsnitt=e.avsnitt.get(), text="?", kind="x"))
    _refused(lambda: Enkat.objects.filter(pk=e.pk).update(status="closed"))


def test_a_sent_questionnaire_has_a_sending_time():
    e = make_enkat()
    _refused(lambda: Enkat.objects.filter(pk=e.pk).update(status="sent"))


def test_one_answer_per_department_and_per_area(cast):
    e = sent_to(cast.a1)
    _refused(lambda: Svar.objects.create(enkat=e, avdelning=cast.a1, nuts_omrade=cast.se21))
    Svar.objects.create(enkat=e, nuts_omrade=cast.se21)  # the area's coordinator's answer
    _refused(lambda: Svar.objects.create(enkat=e, nuts_omrade=cast.se21))


def test_a_submitted_answer_has_a_time(cast):
    svar = sent_to(cast.a1).svar.get()
    _refused(lambda: Svar.objects.filter(pk=svar.pk).update(status="submitted"))


def test_an_answer_names_its_tenant(cast):
    svar = sent_to(cast.a1).svar.get()
    assert svar.audit_tenant == (cast.se21.pk, cast.a1.pk)
    assert svar.respondent == "Avdelning A1"
    area = Svar.objects.create(enkat=svar.enkat, nuts_omrade=cast.se21)
    assert area.audit_tenant == (cast.se21.pk, None)
    assert area.respondent.startswith("Samordnaren")

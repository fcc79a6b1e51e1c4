"""Numbers the Swedish way on every page: counts without decimals, amounts with thousands
spaces, the decimal comma, and zero shown as 0 (not as missing)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from mal.forms import UppfoljningForm
from mal.models import Malvarde
from presentation.templatetags.tal import andel, antal, belopp, forandring, procent, tal
from tests.mal.helpers import make_atagande

S = "\u00a0"


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("5.00"), "5"),
        (Decimal("2.50"), "2,5"),
        (Decimal("0.00"), "0"),
        (0, "0"),
        (Decimal("12345.67"), f"12{S}345,67"),
        (1234567, f"1{S}234{S}567"),
        (-1500.5, f"-1{S}500,5"),
        (None, "–"),
        ("", "–"),
        ("abc", "–"),
    ],
)
def test_tal(value, text):
    assert tal(value) == text


def test_antal_belopp_andel_procent_forandring():
    assert antal(Decimal("5.00")) == "5"
    assert antal(9800) == f"9{S}800"
    assert antal(None, "saknas") == "saknas"
    assert belopp(30000) == f"30{S}000{S}kr"
    assert belopp(Decimal("0")) == f"0{S}kr"
    assert andel(0.1234) == f"12,3{S}%"
    assert andel(0.5) == f"50{S}%"
    assert procent(45) == f"45{S}%"
    assert forandring(1200) == f"+1{S}200"
    assert forandring(-3) == "-3"
    assert forandring(0) == "0"


def test_filters_need_no_load():
    text = Template("{{ v|belopp }} {{ w|antal }}").render(Context({"v": 30000, "w": 5}))
    assert text == f"30{S}000{S}kr 5"


@pytest.mark.django_db
def test_commitment_page_shows_counts_amounts_and_a_zero_baseline(client, cast):
    a = make_atagande(cast.a1, status="approved")
    a.resources_sek = 30000
    a.save()
    Malvarde.objects.filter(atagande=a).update(target=Decimal("5.00"), baseline=Decimal("0"))
    client.force_login(cast.board)
    body = client.get(reverse("mal:atagande", args=[a.pk])).content.decode()
    assert "5,00" not in body
    assert f"30{S}000{S}kr" in body
    row = body.split("<tbody>")[1].split("</tr>")[0]
    assert ">0</td>" in row and ">5</td>" in row


@pytest.mark.django_db
def test_follow_up_label_has_no_decimal_point(cast):
    a = make_atagande(cast.a1, status="approved")
    Malvarde.objects.filter(atagande=a).update(target=Decimal("3.00"))
    form = UppfoljningForm(targets=list(a.malvarden.all()))
    label = form.fields[f"actual_{a.malvarden.get().pk}"].label
    assert label.endswith("(st, mål 3)"), label

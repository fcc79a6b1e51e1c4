import io

import pytest
from django.core.management import CommandError, call_command

from rapporter import demo
from rapporter.models import Berattelse, Kostnad, Rapportversion


def test_compile_report_command(cast):
    out = io.StringIO()
    call_command(
        "compile_report", "2024", "--area", "SE21", "--edition", "forbundsstyrelse", stdout=out
    )
    v = Rapportversion.objects.get()
    assert (v.year, v.nuts_omrade, v.edition, v.status) == (
        2024,
        cast.se21,
        "forbundsstyrelse",
        "done",
    )
    assert "sammanställd" in out.getvalue()


def test_compile_report_command_refuses_bad_input(cast):
    with pytest.raises(CommandError, match="bara sammanställas för projektets år, 2019–"):
        call_command("compile_report", "2010")
    with pytest.raises(CommandError, match="Okänt NUTS-område"):
        call_command("compile_report", "2024", "--area", "XX99")
    assert not Rapportversion.objects.exists()


def test_demo_is_deterministic_and_idempotent(cast):
    demo.seed()
    first = list(Kostnad.objects.order_by("year").values_list("year", "coordinators", "other"))
    texts = Berattelse.objects.count()
    assert first and texts
    demo.seed()
    assert Berattelse.objects.count() == texts
    Kostnad.objects.all().delete()
    demo.seed()
    assert (
        list(Kostnad.objects.order_by("year").values_list("year", "coordinators", "other")) == first
    )

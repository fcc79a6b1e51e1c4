import datetime

from aktiviteter.models import Aktivitet
from larande.models import Analysmote, Atgard
from tests.aktiviteter.helpers import make_aktivitet


def make_mote(nuts, *, avdelningar=(), date=datetime.date(2024, 3, 16), **kw):
    """An analysis meeting (the activity and its record)."""
    kw.setdefault("title", "Analysmöte")
    aktivitet = make_aktivitet(
        nuts, avdelningar=avdelningar, date=date, typ=Aktivitet.Typ.ANALYS, **kw
    )
    return Analysmote.objects.create(aktivitet=aktivitet)


def make_atgard(mote, what="Boka arbetsplatsbesök", *, due=datetime.date(2024, 6, 1), **kw):
    return Atgard.objects.create(mote=mote, what=what, due=due, **kw)


def values(**kw):
    """Cleaned data for the action services: an open action without an owner."""
    d = {
        "what": "Boka arbetsplatsbesök",
        "person": None,
        "avdelning": None,
        "due": datetime.date(2024, 6, 1),
        "status": Atgard.Status.OPEN,
        "done_on": None,
        "ataganden": [],
    }
    d.update(kw)
    return d

import csv
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aktiviteter import importer
from aktiviteter.models import Aktivitet, Aktor, Forum, Strukturfondsprojekt
from mal.models import Verksamhetsmal


def goals(*numbers):
    return list(Verksamhetsmal.objects.filter(number__in=numbers))


def make_aktivitet(nuts, *, avdelningar=(), mal=(1,), date=datetime.date(2024, 3, 1), **kw):
    kw.setdefault("title", "Möte med regionen")
    kw.setdefault("typ", Aktivitet.Typ.MOTE)
    a = Aktivitet.objects.create(nuts_omrade=nuts, date=date, **kw)
    a.avdelningar.set(avdelningar)
    a.verksamhetsmal.set(goals(*mal))
    return a


def make_aktor(name="Region Jönköpings län", typ=Aktor.Typ.REGION, nuts=None):
    return Aktor.objects.create(name=name, typ=typ, nuts_omrade=nuts)


def make_forum(nuts, name="Industrirådet", **kw):
    kw.setdefault("typ", Forum.Typ.INDUSTRIRAD)
    return Forum.objects.create(nuts_omrade=nuts, name=name, **kw)


def make_projekt(nuts_list, name="CO-Skill", **kw):
    kw.setdefault("fund", Strukturfondsprojekt.Fond.ESF)
    kw.setdefault("union_role", Strukturfondsprojekt.Roll.PARTNER)
    p = Strukturfondsprojekt.objects.create(name=name, **kw)
    p.omraden.set(nuts_list)
    return p


def data(nuts, **kw):
    """Cleaned data for the services, minimal activity by default."""
    d = {
        "date": datetime.date(2024, 3, 1),
        "typ": Aktivitet.Typ.MOTE,
        "title": "Möte",
        "notes": "",
        "nuts_omrade": nuts,
        "avdelningar": [],
        "verksamhetsmal": goals(1),
        "aktorer": [],
        "arbetsplatser": [],
        "forum": None,
        "projekt": None,
        "participants_women": 0,
        "participants_men": 0,
        "participants_other": 0,
        "next_step": "",
        "next_step_due": None,
    }
    d.update(kw)
    return d


def post_data(cast, **kw):
    """A valid POST of the activity form for cast.a1 in SE21; kw overrides fields."""
    d = {
        "title": "Träff",
        "typ": "mote",
        "date": "2024-05-02",
        "verksamhetsmal": [g.pk for g in goals(2)],
        "nuts_omrade": cast.se21.pk,
        "avdelningar": [cast.a1.pk],
        "participants_women": 0,
        "participants_men": 0,
        "participants_other": 0,
    }
    d.update(kw)
    return d


# --- the import: a file, its preview, the confirm -------------------------------------------


def csv_file(cast, *lines, name="akt.csv"):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(importer.HEADERS)
    writer.writerows(lines)
    return SimpleUploadedFile(name, buf.getvalue().encode("utf-8"))


def row(title="Möte med regionen", date="2023-05-04", mal="8", area="SE21", avd="", aktorer=""):
    values = [
        date,
        "Möte",
        title,
        area,
        mal,
        avd,
        aktorer,
        "",
        "",
        "1",
        "2",
        "0",
        "Anteckning",
        "",
        "",
    ]
    return values


def preview(client, upload):
    return client.post(reverse("aktiviteter:import"), {"file": upload})

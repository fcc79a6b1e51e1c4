"""Demo contact persons at some of the demo's actors (invented, marked "(exempel)"), so the
actor pages and the network map show what a coordinator keeps. Idempotent: a second run
with the same day changes nothing."""

import datetime

from django.utils import timezone

from aktiviteter.models import Aktor, Kontaktperson
from avdelningar.models import NutsOmrade

# (actor, name, title, days since the last contact, area for a national actor)
KONTAKTER = [
    ("Region Jönköpings län", "Anna Lindqvist (exempel)", "Regional utvecklingsdirektör", 20, None),
    ("Region Jönköpings län", "Johan Berg (exempel)", "Kompetensförsörjningsstrateg", 45, None),
    ("Region Kronoberg", "Maria Håkansson (exempel)", "Enhetschef, regional utveckling", 30, None),
    ("Region Kalmar län", "Erik Nyström (exempel)", "Näringslivsstrateg", 300, None),
    ("Arbetsförmedlingen Öst", "Lena Holm (exempel)", "Sektionschef", 60, None),
    ("Teknikföretagen", "Olof Sandberg (exempel)", "Regionchef Småland", 90, "SE21"),
    ("Region Skåne", "Karin Persson (exempel)", "Avdelningschef, regional utveckling", 15, None),
]


def _email(name):
    first, last = name.replace(" (exempel)", "").lower().split(" ", 1)
    table = str.maketrans("åäöé", "aaoe")
    return f"{first.translate(table)}.{last.translate(table)}@example.org"


def seed(today=None):
    today = today or timezone.localdate()
    aktorer = {a.name: a for a in Aktor.objects.filter(name__in={k[0] for k in KONTAKTER})}
    areas = {n.code: n for n in NutsOmrade.objects.filter(code__in=["SE21", "SE22"])}
    for i, (aktor_name, name, title, days, area_code) in enumerate(KONTAKTER, start=1):
        aktor = aktorer.get(aktor_name)
        if aktor is None:
            continue
        Kontaktperson.objects.get_or_create(
            aktor=aktor,
            name=name,
            defaults={
                "title": title,
                "email": _email(name),
                "phone": f"070-000 00 {i:02d}",
                "last_contact": today - datetime.timedelta(days=days),
                "nuts_omrade": areas.get(area_code) if area_code else aktor.nuts_omrade,
            },
        )

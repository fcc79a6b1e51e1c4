"""Reference data: the 8 NUTS 2 areas, the 6 Arbetsförmedlingen regions, the 21 counties.

Keyed on natural keys (area code, region name, county code) so running it again, or on a
database that already has some rows, updates rather than duplicates.
"""

from django.db import migrations

NUTS = [
    ("SE11", "Stockholm"),
    ("SE12", "Östra Mellansverige"),
    ("SE21", "Småland med öarna"),
    ("SE22", "Sydsverige"),
    ("SE23", "Västsverige"),
    ("SE31", "Norra Mellansverige"),
    ("SE32", "Mellersta Norrland"),
    ("SE33", "Övre Norrland"),
]

AF_REGIONS = [
    "Mitt",
    "Nord",
    "Stockholm–Gotland",
    "Syd",
    "Väst",
    "Öst",
]

# (code, county, the Region that governs it, NUTS 2 area, Arbetsförmedlingen region)
LAN = [
    ("01", "Stockholms län", "Region Stockholm", "SE11", "Stockholm–Gotland"),
    ("03", "Uppsala län", "Region Uppsala", "SE12", "Mitt"),
    ("04", "Södermanlands län", "Region Sörmland", "SE12", "Mitt"),
    ("05", "Östergötlands län", "Region Östergötland", "SE12", "Öst"),
    ("06", "Jönköpings län", "Region Jönköpings län", "SE21", "Öst"),
    ("07", "Kronobergs län", "Region Kronoberg", "SE21", "Syd"),
    ("08", "Kalmar län", "Region Kalmar län", "SE21", "Öst"),
    ("09", "Gotlands län", "Region Gotland", "SE21", "Stockholm–Gotland"),
    ("10", "Blekinge län", "Region Blekinge", "SE22", "Syd"),
    ("12", "Skåne län", "Region Skåne", "SE22", "Syd"),
    ("13", "Hallands län", "Region Halland", "SE23", "Väst"),
    ("14", "Västra Götalands län", "Västra Götalandsregionen", "SE23", "Väst"),
    ("17", "Värmlands län", "Region Värmland", "SE31", "Mitt"),
    ("18", "Örebro län", "Region Örebro län", "SE12", "Mitt"),
    ("19", "Västmanlands län", "Region Västmanland", "SE12", "Mitt"),
    ("20", "Dalarnas län", "Region Dalarna", "SE31", "Mitt"),
    ("21", "Gävleborgs län", "Region Gävleborg", "SE31", "Mitt"),
    ("22", "Västernorrlands län", "Region Västernorrland", "SE32", "Nord"),
    ("23", "Jämtlands län", "Region Jämtland Härjedalen", "SE32", "Nord"),
    ("24", "Västerbottens län", "Region Västerbotten", "SE33", "Nord"),
    ("25", "Norrbottens län", "Region Norrbotten", "SE33", "Nord"),
]



def load(apps, schema_editor):
    NutsOmrade = apps.get_model("avdelningar", "NutsOmrade")
    AfRegion = apps.get_model("avdelningar", "AfRegion")
    Lan = apps.get_model("avdelningar", "Lan")
    nuts = {}
    for code, name in NUTS:
        nuts[code], _ = NutsOmrade.objects.update_or_create(code=code, defaults={"name": name})
    af = {}
    for name in AF_REGIONS:
        af[name], _ = AfRegion.objects.get_or_create(name=name)
    for code, name, region_name, nuts_code, af_name in LAN:
        Lan.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "region_name": region_name,
                "nuts_omrade": nuts[nuts_code],
                "af_region": af[af_name],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("avdelningar", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

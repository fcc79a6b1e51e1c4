"""Reference data: the three project goals, the eight activity goals and a starting
indicator catalogue. Keyed on goal numbers and (goal, indicator name); descriptions and
the catalogue are edited in admin afterwards, so existing rows keep their edits.
"""

from django.db import migrations

PROJEKTMAL = [
    (1, "En effektiv organisation", ""),
    (2, "Trygghet och omställning", ""),
    (3, "Utvecklande relationer", "Tillväxt och sysselsättning"),
]

# (number, project goal, title, summary in our own words)
VERKSAMHETSMAL = [
    (1, 1, "Åtaganden på samtliga nivåer",
     "Utbildning, aktivitet och tydliga åtaganden på varje nivå, med resurser som räcker."),
    (2, 1, "Kompetenssprång för industriarbetare",
     "Fler industriarbetare deltar i kompetensutveckling på sina arbetsplatser."),
    (3, 1, "Avdelningssamverkan",
     "Avdelningarna arbetar tillsammans inom länet och över hela NUTS-området."),
    (4, 2, "Tillgång till Strukturfonder",
     "Offentliga utvecklingsmedel (ESF+, ERUF, Globaliseringsfonden, Fonden för en rättvis "
     "omställning) når industrin och medlemmarna."),
    (5, 2, "Utveckling på arbetsplatsen",
     "Fler arbetsplatser startar förändringsarbete enligt strategin Hållbart arbete, med "
     "särskild tanke på kvinnors yrkesutveckling."),
    (6, 2, "En central uppgift för politiken",
     "Förbundets industripolitiska mål drivs i kommunala och regionala politiska forum."),
    (7, 3, "Etablerade samverkansforum",
     "Avdelningarna deltar i och tar initiativ till samverkansforum som industriråd, "
     "kompetensplattformar, programråd och omställningsråd."),
    (8, 3, "Stärkt regional samverkan",
     "Samordnare och avdelningar bygger arbetsrelationer med offentliga och andra aktörer."),
]

# (goal number, indicator, unit, split by gender)
INDIKATORER = [
    (1, "Genomförda utbildningar för förtroendevalda", "utbildningar", False),
    (1, "Förtroendevalda som gått utbildning", "personer", True),
    (1, "Avdelningsstyrelser med antagna åtaganden", "styrelser", False),
    (2, "Arbetare i kompetensutveckling", "personer", True),
    (2, "Arbetsplatser med kompetensutvecklingsplan", "arbetsplatser", False),
    (3, "Gemensamma aktiviteter med andra avdelningar", "aktiviteter", False),
    (3, "Gemensamma regionala åtaganden", "åtaganden", False),
    (4, "Strukturfondsprojekt med IF Metall som part", "projekt", False),
    (4, "Deltagare i strukturfondsprojekt", "personer", True),
    (5, "Arbetsplatser där förändringsarbete startat", "arbetsplatser", False),
    (5, "Arbetare som nåtts av förändringsarbete", "personer", True),
    (6, "Politiska möten där industripolitiska krav framförts", "möten", False),
    (6, "Remissvar och skrivelser", "dokument", False),
    (7, "Forum där förbundet har plats", "forum", False),
    (7, "Forum som förbundet tagit initiativ till", "forum", False),
    (8, "Aktörer med regelbunden kontakt", "aktörer", False),
    (8, "Möten med regionala aktörer", "möten", False),
]


def load(apps, schema_editor):
    Projektmal = apps.get_model("mal", "Projektmal")
    Verksamhetsmal = apps.get_model("mal", "Verksamhetsmal")
    Indikator = apps.get_model("mal", "Indikator")
    pm = {}
    for number, title, heading in PROJEKTMAL:
        pm[number], _ = Projektmal.objects.update_or_create(
            number=number, defaults={"title": title, "heading": heading}
        )
    vm = {}
    for number, pm_number, title, summary in VERKSAMHETSMAL:
        obj, created = Verksamhetsmal.objects.get_or_create(
            number=number,
            defaults={"projektmal": pm[pm_number], "title": title, "summary": summary},
        )
        if not created:
            # Titles are fixed; an edited summary is kept.
            obj.title, obj.projektmal = title, pm[pm_number]
            obj.save(update_fields=["title", "projektmal"])
        vm[number] = obj
    for number, name, unit, split in INDIKATORER:
        Indikator.objects.get_or_create(
            verksamhetsmal=vm[number],
            name=name,
            defaults={"unit": unit, "split_by_gender": split},
        )


class Migration(migrations.Migration):
    dependencies = [("mal", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

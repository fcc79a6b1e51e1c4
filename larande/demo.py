"""Demo analysis meetings and lessons (issue 17 §2).

- The March 2021 analysis meetings, one per pilot area (the plan, §3.2.2): the departments
  had answered questions about their time in the project, and the meeting went through
  them with a consultant in change work; the material is a text here, in our own words.
  Their actions were all followed up during 2021.
- An analysis meeting in SE21 in the autumn of 2026 recording three actions: one done,
  one linked to a draft 2027 commitment (created here: the goals demo stops at this year),
  one open and overdue, owned by IF Metall Gotland's board (styrelse-gotland sees it on
  the start page).
- Lessons for SE21 and SE22 for 2021, 2023 and 2026.

Idempotent: the activities are found by their import key, the rest by natural keys.
"""

import datetime

from django.contrib.auth import get_user_model

from aktiviteter.models import Aktivitet
from avdelningar.models import Avdelning, Deltagande, NutsOmrade
from enkater.models import Enkat
from mal.models import Atagande, Verksamhetsmal

from .models import Analysmote, Atgard, Lardom

S = Atgard.Status

MARCH_2021 = {
    "SE21": (
        datetime.date(2021, 3, 16),
        "Avdelningarna har kommit långt: alla har en arbetsmarknadskommitté eller "
        "motsvarande, arbetsmarknadsfrågorna står på styrelsernas dagordning och viktiga "
        "aktörer är kartlagda. Pandemin har bromsat arbetsplatsbesöken. Resurserna räcker "
        "inte till allt man vill, och validering är inte självklar för arbetsgivarna.",
        [
            ("Bilda ett nätverk för förändringsledarna på de större klubbarna", "Kalmar", 5),
            ("Lista vilka kompetensplattformar avdelningarna sitter i", "Norra", 4),
        ],
    ),
    "SE22": (
        datetime.date(2021, 3, 18),
        "Området kom in i januari 2020, precis när pandemin slog till. Alla avdelningar "
        "har en arbetsmarknadskommitté och en arbetsmarknadsansvarig ombudsman, flera har "
        "utbildat förändringsledare. De avdelningar som inte fick den inledande "
        "utbildningen har haft svårare att komma igång. CO-Skill har blivit verklighet.",
        [
            ("Ge den inledande utbildningen till de styrelser som missade den", "Blekinge", 6),
            ("Sprida utvecklingssamtalen med klubbarna till fler avdelningar", "Malmö", 9),
        ],
    ),
}

LESSONS = {
    ("SE21", 2021): (
        "Gemensamma träffar med Arbetsförmedlingen, TSL och LO i hela området.",
        "Arbetsplatsbesöken, som pandemin stoppade.",
        "Nätverk för förändringsledare på klubbar med liknande arbetsplatser.",
    ),
    ("SE21", 2023): (
        "Avdelningarna sitter nu i regionernas kompetensplattformar.",
        "Ombudsmännens tid räcker inte när de ordinarie uppgifterna tar över.",
        "Att samordnaren förbereder underlaget inför varje plattformsmöte.",
    ),
    ("SE21", 2026): (
        "Enkäten före analysmötet gav ett underlag alla kände igen sig i.",
        "Uppföljningen av förra årets åtgärder kom för sent på året.",
        "Att koppla varje åtgärd till ett åtagande för nästa år.",
    ),
    ("SE22", 2021): (
        "Regelbundna träffar med Arbetsförmedlingen, TSL och LO.",
        "Starten under pandemin: utbildningen ställdes in för några styrelser.",
        "Utvecklingssamtal med klubbarna ger en bra bild av nuläget.",
    ),
    ("SE22", 2023): (
        "CO-Skill nådde fler arbetsplatser än planerat.",
        "Svårt att hitta förtroendevalda som kan ta uppgifterna.",
        "Handslag med arbetsgivarorganisationerna om kompetensutveckling.",
    ),
    ("SE22", 2026): (
        "Programråden har IF Metall på plats i alla län.",
        "Valideringen är fortfarande okänd för många arbetsgivare.",
        "Industrispåret i CO-Skill som modell för nya projekt.",
    ),
}


def _area_avdelning(nuts, word):
    return Avdelning.objects.filter(nuts_omrade=nuts, name__contains=word).order_by("name").first()


def _meeting(key, *, nuts, day, title, summary, by, enkat=None):
    aktivitet = Aktivitet.objects.filter(import_key=key).first()
    if aktivitet is None:
        aktivitet = Aktivitet.objects.create(
            date=day,
            typ=Aktivitet.Typ.ANALYS,
            title=title,
            nuts_omrade=nuts,
            notes="Analysmöte med områdets avdelningar.",
            participants_women=6,
            participants_men=9,
            created_by=by,
            import_key=key,
        )
        aktivitet.avdelningar.set(Avdelning.objects.filter(nuts_omrade=nuts))
        aktivitet.verksamhetsmal.set(Verksamhetsmal.objects.filter(number__in=[1, 3]))
    mote, _ = Analysmote.objects.get_or_create(
        aktivitet=aktivitet, defaults={"summary": summary, "updated_by": by, "enkat": enkat}
    )
    return mote


def _action(mote, what, **kw):
    atgard = Atgard.objects.filter(mote=mote, what=what).first()
    if atgard is None:
        atgard = Atgard.objects.create(mote=mote, what=what, **kw)
    return atgard


def seed(today=None):
    today = today or datetime.date.today()
    users = get_user_model().objects
    leader = users.filter(username="projektledare").first()
    coordinators = {
        "SE21": users.filter(username="samordnare-smaland").first(),
        "SE22": users.filter(username="samordnare-syd").first(),
    }
    areas = {n.code: n for n in NutsOmrade.objects.filter(code__in=["SE21", "SE22"])}
    for code, (day, summary, actions) in MARCH_2021.items():
        nuts = areas.get(code)
        if nuts is None or not Deltagande.objects.covering(2021).filter(nuts_omrade=nuts).exists():
            continue
        if day > today:
            continue
        mote = _meeting(
            f"larande-demo-2021-{code}",
            nuts=nuts,
            day=day,
            title=f"Analysmöte mars 2021, {nuts.name}",
            summary=summary,
            by=coordinators[code] or leader,
            # The questionnaire the departments answered ahead of these meetings (enkater).
            enkat=Enkat.objects.filter(year=2021, status=Enkat.Status.SENT).order_by("pk").first(),
        )
        for what, word, months in actions:
            due = datetime.date(2021, 3 + months, 30)
            _action(
                mote,
                what,
                avdelning=_area_avdelning(nuts, word),
                due=due,
                status=S.DONE,
                done_on=due - datetime.timedelta(days=12),
                created_by=coordinators[code],
            )
    _autumn_2026(areas.get("SE21"), coordinators["SE21"], today)
    for (code, year), (worked, did_not, spread) in LESSONS.items():
        if code in areas and year <= today.year:
            Lardom.objects.get_or_create(
                nuts_omrade=areas[code],
                year=year,
                defaults={
                    "worked": worked,
                    "did_not_work": did_not,
                    "to_spread": spread,
                    "updated_by": coordinators[code],
                },
            )


def _autumn_2026(nuts, coordinator, today):
    day = datetime.date(2026, 10, 14)
    if nuts is None or day > today:
        return
    gotland = Avdelning.objects.filter(name="IF Metall Gotland").first()
    norra = _area_avdelning(nuts, "Norra")
    mote = _meeting(
        "larande-demo-2026-SE21",
        nuts=nuts,
        day=day,
        title="Analysmöte hösten 2026, Småland med öarna",
        summary=(
            "Inför mötet svarade avdelningarna på årets enkät om samverkan, "
            "kompetensplattformarna och förändringsarbetet på arbetsplatserna. "
            "Mötet gick igenom svaren område för område och beslutade tre åtgärder."
        ),
        by=coordinator,
    )
    _action(
        mote,
        "Sammanställa enkätsvaren per avdelning till styrelsemötena",
        avdelning=norra,
        due=datetime.date(2026, 11, 6),
        status=S.DONE,
        done_on=datetime.date(2026, 11, 4),
        created_by=coordinator,
    )
    linked = _action(
        mote,
        "Ta fram ett åtagande för 2027 om plats i Region Gotlands kompetensplattform",
        avdelning=gotland,
        due=datetime.date(2027, 1, 31),
        status=S.IN_PROGRESS,
        created_by=coordinator,
    )
    if gotland is not None:
        atagande, _ = Atagande.objects.get_or_create(
            avdelning=gotland,
            nuts_omrade=None,
            year=2027,
            verksamhetsmal=Verksamhetsmal.objects.get(number=7),
            title="Plats i Region Gotlands kompetensplattform",
            defaults={
                "action_plan": (
                    "Avdelningen begär en plats i kompetensplattformen och förbereder "
                    "underlag om industrins kompetensbehov till plattformens möten."
                ),
                "responsible": "Avdelningens arbetsmarknadsansvariga",
                "status": Atagande.Status.DRAFT,
            },
        )
        linked.ataganden.add(atagande)
    _action(
        mote,
        "Boka arbetsplatsbesök hos tre företag som ännu inte startat förändringsarbete",
        avdelning=gotland,
        due=datetime.date(2026, 11, 20),
        status=S.OPEN,
        created_by=coordinator,
    )

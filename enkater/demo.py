"""Demo questionnaires (the plan, §3.2.2): ahead of the March 2021 analysis meetings each
pilot department answered questions about its time in the project: what it had done, what
it had achieved, which lessons it had drawn, and whether anything unexpected came of it.

- 2021: that questionnaire, sent to the boards of the pilot departments (Småland med öarna
  and Sydsverige), answered and submitted by every one of them.
- 2026: a copy of it (same questions, same lineage, so the years compare), sent three weeks
  before the day of seeding and open for three more: IF Metall Gotland and IF Metall
  Blekinge (exempel) have submitted, IF Metall Norra Småland (exempel) has a draft, the
  rest have not started.

Plausible rather than real; deterministic (answers from a generator seeded with the
department's name) and idempotent: a questionnaire that exists (by title) is left alone.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from avdelningar.models import Avdelning, Deltagande

from .models import Avsnitt, Enkat, Fraga, Svar, Svarsvarde

TITLE_2021 = "Inför analysmötena 2021"
TITLE_2026 = "Inför analysmötena 2026"
GOALS = [
    "1 Åtaganden på samtliga nivåer",
    "2 Kompetenssprång för industriarbetare",
    "3 Avdelningssamverkan",
    "4 Tillgång till strukturfonder",
    "5 Utveckling på arbetsplatsen",
    "6 En central uppgift för politiken",
    "7 Etablerade samverkansforum",
    "8 Stärkt regional samverkan",
]
RELATIONS = ["Ja, många nya", "Ja, några nya", "Nej, inte ännu"]
# (section, [(key, kind, text, help text, required, options, min, max)])
QUESTIONS = [
    (
        "Vad ni har gjort",
        [
            (
                "igang",
                "scale",
                "Hur väl har avdelningen kommit igång med arbetet i projektet?",
                "1 = inte alls, 5 = fullt ut.",
                True,
                [],
                None,
                None,
            ),
            (
                "mal",
                "multiple",
                "Vilka verksamhetsmål har avdelningen arbetat mest med?",
                "Välj alla som stämmer.",
                True,
                GOALS,
                None,
                None,
            ),
            (
                "aktiviteter",
                "number",
                "Hur många aktiviteter har avdelningen genomfört eller deltagit i under året?",
                "Ett ungefärligt antal räcker.",
                False,
                [],
                0,
                1000,
            ),
        ],
    ),
    (
        "Vad ni har uppnått",
        [
            (
                "nojd",
                "scale",
                "Hur nöjda är ni med det avdelningen har uppnått?",
                "1 = inte alls nöjda, 5 = mycket nöjda.",
                True,
                [],
                None,
                None,
            ),
            (
                "relationer",
                "single",
                "Har arbetet gett avdelningen nya relationer med aktörer i regionen?",
                "Till exempel regionen, Arbetsförmedlingen, kommuner eller utbildningsanordnare.",
                True,
                RELATIONS,
                None,
                None,
            ),
            (
                "samordnare",
                "scale",
                "Hur väl fungerar samarbetet med den regionala samordnaren?",
                "1 = dåligt, 5 = mycket bra.",
                True,
                [],
                None,
                None,
            ),
        ],
    ),
    (
        "Lärdomar",
        [
            (
                "lardomar",
                "text",
                "Vilka lärdomar har avdelningen dragit?",
                "Vad fungerade, vad fungerade inte, vad borde fler göra?",
                True,
                [],
                None,
                None,
            ),
            (
                "ovantat",
                "text",
                "Har arbetet lett till något oväntat resultat?",
                "Frivillig.",
                False,
                [],
                None,
                None,
            ),
        ],
    ),
]
LESSONS = [
    "Utbildningen för styrelsen i början gjorde att fler kom igång; "
    "de som missade den har haft svårare.",
    "Att ha en utsedd arbetsmarknadsansvarig ombudsman gör att frågorna "
    "inte faller mellan stolarna.",
    "Gemensamma möten med grannavdelningarna i länet har gett mer än vi trodde.",
    "Pandemin stoppade de fysiska träffarna; digitala möten fungerade för "
    "styrelsen men sämre ute på arbetsplatserna.",
    "Vi behöver bli bättre på att följa upp det vi har gjort, inte bara planera.",
    "Kontakten med regionen blev bättre när samordnaren var med på de första mötena.",
]
UNEXPECTED = [
    "Regionen bjöd in oss till kompetensplattformen utan att vi hade bett om det.",
    "Ett företag hörde av sig själv och ville starta förändringsarbete.",
    "",
    "Fler kvinnor än vanligt anmälde sig till utbildningen.",
    "",
]
INTRO = (
    "Inför analysmötena vill vi veta hur avdelningen ser på tiden i projektet: vad ni har "
    "gjort, vad ni har uppnått och vilka lärdomar ni har dragit. Styrelsen svarar "
    "tillsammans. Svaren blir underlag för analysmötet och för vårens workshop där de "
    "gemensamma målen sätts."
)
SUBMITTED_2026 = ["IF Metall Gotland", "IF Metall Blekinge (exempel)"]
DRAFT_2026 = ["IF Metall Norra Småland (exempel)"]


def _build(enkat):
    """The sections and questions of the 2021 questionnaire: {key: Fraga}."""
    out = {}
    for order, (title, questions) in enumerate(QUESTIONS, 1):
        section = Avsnitt.objects.create(enkat=enkat, title=title, order=order)
        for n, (key, kind, text, help_text, required, options, low, high) in enumerate(
            questions, 1
        ):
            out[key] = Fraga.objects.create(
                enkat=enkat,
                avsnitt=section,
                text=text,
                help_text=help_text,
                kind=kind,
                required=required,
                order=n,
                choices="\n".join(options),
                min_value=low,
                max_value=high,
            )
    return out


def _answer(name, year, *, complete=True):
    """A department's plausible answers {key: value}; a draft leaves the end empty."""
    rnd = random.Random(f"{name}|{year}")
    later = year > 2021  # five more years in the project: a little further along
    answers = {
        "igang": rnd.choice([2, 3, 3, 4] if not later else [3, 4, 4, 5]),
        "mal": sorted(rnd.sample(GOALS, rnd.randint(2, 4)), key=GOALS.index),
        "aktiviteter": rnd.randint(4, 30) * (2 if later else 1),
        "nojd": rnd.choice([2, 3, 4] if not later else [3, 4, 4, 5]),
        "relationer": rnd.choice(RELATIONS[:2] if later else RELATIONS),
        "samordnare": rnd.choice([3, 4, 5]),
        "lardomar": rnd.choice(LESSONS),
        "ovantat": rnd.choice(UNEXPECTED),
    }
    if not complete:
        for key in ("samordnare", "lardomar", "ovantat"):
            answers.pop(key)
    return answers


def _save_answer(svar, fragor, answers):
    for key, value in answers.items():
        f = fragor[key]
        if value in ("", [], None):
            continue
        row = Svarsvarde(svar=svar, fraga=f)
        if f.kind in ("scale", "number"):
            row.number = value
        elif f.kind == "multiple":
            row.chosen = value
        else:
            row.text = value
        row.save()


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def seed(today=None):
    """The demo questionnaires; returns how many were added."""
    today = today or timezone.localdate()
    leader = get_user_model().objects.filter(username="projektledare").first()
    made = 0
    first = Enkat.objects.filter(title=TITLE_2021).first()
    if first is None and today.year >= 2021:
        first = Enkat.objects.create(
            title=TITLE_2021,
            year=2021,
            intro=INTRO,
            deadline=datetime.date(2021, 2, 26),
            status=Enkat.Status.SENT,
            recipients=Enkat.Mottagare.BOARDS,
            sent_at=_at(datetime.date(2021, 2, 1)),
            created_by=leader,
            updated_by=leader,
            version=2,
        )
        fragor = _build(first)
        pilot = Deltagande.objects.nuts_ids(2021)
        for avd in Avdelning.objects.filter(nuts_omrade_id__in=pilot).order_by("name"):
            svar = Svar.objects.create(
                enkat=first,
                avdelning=avd,
                nuts_omrade_id=avd.nuts_omrade_id,
                status=Svar.Status.SUBMITTED,
                submitted_at=_at(datetime.date(2021, 2, 20)),
                version=3,
            )
            _save_answer(svar, fragor, _answer(avd.name, 2021))
        made += 1
    if (
        first is not None
        and today.year >= 2026
        and not Enkat.objects.filter(title=TITLE_2026).exists()
    ):
        if today.year == 2026:  # open: three weeks since sending, three more to go
            sent_on, deadline = (
                today - datetime.timedelta(days=21),
                today + datetime.timedelta(days=21),
            )
        else:  # seeded in a later year: closed since the end of November 2026
            sent_on, deadline = datetime.date(2026, 11, 2), datetime.date(2026, 11, 30)
        copy = Enkat.objects.create(
            title=TITLE_2026,
            year=2026,
            intro=INTRO,
            deadline=deadline,
            status=Enkat.Status.SENT,
            recipients=Enkat.Mottagare.BOARDS,
            sent_at=_at(sent_on),
            copied_from=first,
            created_by=leader,
            updated_by=leader,
            version=2,
        )
        sections = {}
        fragor = {}
        by_pk = {f.pk: key for key, f in _keys(first).items()}
        for a in first.avsnitt.all():
            sections[a.pk] = Avsnitt.objects.create(enkat=copy, title=a.title, order=a.order)
        for f in first.fragor.all():
            fragor[by_pk[f.pk]] = Fraga.objects.create(
                enkat=copy,
                avsnitt=sections[f.avsnitt_id],
                linje=f.linje,
                text=f.text,
                help_text=f.help_text,
                kind=f.kind,
                required=f.required,
                order=f.order,
                choices=f.choices,
                min_value=f.min_value,
                max_value=f.max_value,
            )
        pilot = Deltagande.objects.nuts_ids(2026)
        for avd in Avdelning.objects.filter(nuts_omrade_id__in=pilot).order_by("name"):
            svar = Svar.objects.create(
                enkat=copy, avdelning=avd, nuts_omrade_id=avd.nuts_omrade_id, version=1
            )
            if avd.name in SUBMITTED_2026:
                svar.status = Svar.Status.SUBMITTED
                svar.submitted_at = _at(sent_on + datetime.timedelta(days=5))
                svar.version = 3
                svar.save()
                _save_answer(svar, fragor, _answer(avd.name, 2026))
            elif avd.name in DRAFT_2026:
                svar.status = Svar.Status.DRAFT
                svar.version = 2
                svar.save()
                _save_answer(svar, fragor, _answer(avd.name, 2026, complete=False))
        made += 1
    return made


def _keys(enkat):
    """{key: Fraga} of a questionnaire built by _build, by the question's text."""
    texts = {text: key for _, questions in QUESTIONS for key, _, text, *_ in questions}
    return {texts[f.text]: f for f in enkat.fragor.all() if f.text in texts}

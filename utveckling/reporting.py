"""The candidate areas' contract with the annual report (rapporter): what the report may
read of utveckling. The report reads the app only through this module.

- ``report_data(*, year)``: the candidates the project leader proposed, or the steering
  group or the national board decided on, during the year: [{"area", "name", "start",
  "status", "proposal", "proposed_on", "answers" {question: text}, "scores" [{"label",
  "score"}], "score_total", "scored", "steering" {"recommended", "on", "paragraph"} or
  None, "board" {"yes", "on", "joined_on"} or None}], by area code. The coordinator's
  assessment against the requirement profile is personal data and never in the report.
  Two queries.
"""

from django.db.models import Prefetch, Q

from .models import Kandidat, Kriteriebedomning, Kriterium

QUESTIONS = [
    ("nytta", "Nyttan för projektet"),
    ("forutsattningar", "Förutsättningar och avdelningarnas vilja till en kort startsträcka"),
    ("syften", "Stödet för projektets och förbundets syften"),
]


def _iso(day):
    return day.isoformat() if day else None


def report_data(*, year):
    rows = (
        Kandidat.objects.filter(
            Q(proposed_on__year=year) | Q(sg_decided_on__year=year) | Q(fs_decided_on__year=year)
        )
        .select_related("nuts_omrade", "deltagande")
        .prefetch_related(Prefetch("kriterier", queryset=Kriteriebedomning.objects.order_by()))
        .order_by("nuts_omrade__code", "year")
    )
    out = []
    for k in rows:
        scores = {r.kriterium: r.score for r in k.kriterier.all()}
        known = [s for s in scores.values() if s is not None]
        out.append(
            {
                "area": k.nuts_omrade.code,
                "name": k.nuts_omrade.name,
                "start": k.year,
                "status": str(k.get_status_display()),
                "proposal": k.proposal,
                "proposed_on": _iso(k.proposed_on),
                "answers": [{"question": q, "text": getattr(k, f)} for f, q in QUESTIONS],
                "scores": [
                    {"label": str(label), "score": scores.get(key)}
                    for key, label in Kriterium.choices
                ],
                "score_total": sum(known),
                "scored": len(known),
                "steering": {
                    "recommended": k.sg_recommended,
                    "on": _iso(k.sg_decided_on),
                    "paragraph": k.sg_paragraph,
                }
                if k.sg_decided_on
                else None,
                "board": {
                    "yes": k.fs_yes,
                    "on": _iso(k.fs_decided_on),
                    "joined_on": _iso(k.deltagande.joined_on) if k.deltagande else None,
                }
                if k.fs_decided_on
                else None,
            }
        )
    return out

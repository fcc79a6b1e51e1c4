"""The questionnaires' contract for the floors above (the analysis meetings in ``larande``,
the report): a questionnaire's results as plain data (dicts, lists, numbers, text), never
models. Only submitted answers count. The caller decides who may read them
(``avdelningar.access.sees_enkat_results``); nothing here checks a user.

``questionnaires(year)``: [{"id", "title", "year", "status", "deadline", "url"}].

``results(enkat_id, nuts_omrade_id=None)``: one questionnaire, all areas or one::

    {"enkat": {"id", "title", "year", "intro", "deadline", "status", "url"},
     "area": {"id", "code", "name"} or None,
     "recipients": int, "submitted": int,
     "respondents": [{"name", "area": code, "status": label, "submitted": bool}],
     "sections": [{"title", "description", "questions": [question, ...]}]}

    question = {"id", "linje": str, "text", "help_text", "kind", "kind_label", "required",
                "answered": int (submitted answers with a value),
                "counts": [(option label, int)]   # scale 1..5, single and multiple choice
                "mean", "min", "max", "total"      # scale and number: Decimal or None
                "texts": [{"area", "respondent", "text"}]}   # free text, by area then name

``compare(enkat_id, nuts_omrade_id=None)``: for each question of the questionnaire, the
same question (same lineage, ``Fraga.linje``) in every sent questionnaire, by year::

    [{"text", "kind", "kind_label", "linje",
      "years": [{"year", "enkat_id", "answered", "mean", "counts"}]}]
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from .models import SCALE, Enkat, Fraga, Svar, Svarsvarde

TWO = Decimal("0.01")


def questionnaires(year=None):
    qs = Enkat.objects.all()
    if year is not None:
        qs = qs.filter(year=year)
    return [
        {
            "id": e.pk,
            "title": e.title,
            "year": e.year,
            "status": e.status,
            "deadline": e.deadline,
            "url": e.get_absolute_url(),
        }
        for e in qs
    ]


def _mean(numbers):
    if not numbers:
        return None
    return (sum(numbers) / len(numbers)).quantize(TWO, rounding=ROUND_HALF_UP)


def _question(f, values, respondent_of):
    """The summary of one question over its submitted values [(svar, Svarsvarde)]."""
    q = {
        "id": f.pk,
        "linje": str(f.linje),
        "text": f.text,
        "help_text": f.help_text,
        "kind": f.kind,
        "kind_label": f.get_kind_display(),
        "required": f.required,
        "answered": len(values),
        "counts": [],
        "mean": None,
        "min": None,
        "max": None,
        "total": None,
        "texts": [],
    }
    if f.kind == Fraga.Kind.SCALE:
        numbers = [v.number for v in values if v.number is not None]
        q["counts"] = [(str(n), sum(1 for x in numbers if x == n)) for n in SCALE]
        q["mean"] = _mean(numbers)
    elif f.kind == Fraga.Kind.NUMBER:
        numbers = [v.number for v in values if v.number is not None]
        q["mean"] = _mean(numbers)
        if numbers:
            q["min"], q["max"], q["total"] = min(numbers), max(numbers), sum(numbers)
    elif f.kind == Fraga.Kind.SINGLE:
        q["counts"] = [(o, sum(1 for v in values if v.text == o)) for o in f.options()]
    elif f.kind == Fraga.Kind.MULTIPLE:
        q["counts"] = [(o, sum(1 for v in values if o in v.chosen)) for o in f.options()]
    else:
        q["texts"] = sorted(
            ({**respondent_of[v.svar_id], "text": v.text} for v in values if v.text.strip()),
            key=lambda t: (t["area"], t["respondent"]),
        )
    return q


def _summaries(enkat_ids, nuts_omrade_id):
    """{question id: summary} for the questionnaires' questions, from four queries."""
    svar = _submitted_many(enkat_ids, nuts_omrade_id)
    respondent_of = {s.pk: {"area": s.nuts_omrade.code, "respondent": s.respondent} for s in svar}
    by_question = defaultdict(list)
    for v in Svarsvarde.objects.filter(svar_id__in=[s.pk for s in svar if s.is_submitted]):
        by_question[v.fraga_id].append(v)
    fragor = list(Fraga.objects.filter(enkat_id__in=enkat_ids).select_related("avsnitt"))
    return svar, fragor, {f.pk: _question(f, by_question[f.pk], respondent_of) for f in fragor}


def _submitted_many(enkat_ids, nuts_omrade_id):
    qs = Svar.objects.filter(enkat_id__in=enkat_ids).select_related("avdelning", "nuts_omrade")
    if nuts_omrade_id is not None:
        qs = qs.filter(nuts_omrade_id=nuts_omrade_id)
    return list(qs)


def results(enkat_id, nuts_omrade_id=None):
    enkat = Enkat.objects.get(pk=enkat_id)
    svar, fragor, summaries = _summaries([enkat_id], nuts_omrade_id)
    area = None
    if nuts_omrade_id is not None:
        from avdelningar.models import NutsOmrade

        n = NutsOmrade.objects.get(pk=nuts_omrade_id)
        area = {"id": n.pk, "code": n.code, "name": n.name}
    sections = {}
    for f in fragor:
        a = f.avsnitt
        section = sections.setdefault(
            a.pk,
            {"title": a.title, "description": a.description, "order": a.order, "questions": []},
        )
        section["questions"].append(summaries[f.pk])
    return {
        "enkat": {
            "id": enkat.pk,
            "title": enkat.title,
            "year": enkat.year,
            "intro": enkat.intro,
            "deadline": enkat.deadline,
            "status": enkat.status,
            "url": enkat.get_absolute_url(),
        },
        "area": area,
        "recipients": len(svar),
        "submitted": sum(1 for s in svar if s.is_submitted),
        "respondents": [
            {
                "name": s.respondent,
                "area": s.nuts_omrade.code,
                "status": s.get_status_display(),
                "submitted": s.is_submitted,
            }
            for s in svar
        ],
        "sections": sorted(sections.values(), key=lambda s: s["order"]),
    }


def compare(enkat_id, nuts_omrade_id=None):
    lineages = list(Fraga.objects.filter(enkat_id=enkat_id).values_list("linje", flat=True))
    related = list(
        Fraga.objects.filter(linje__in=lineages, enkat__status=Enkat.Status.SENT)
        .values_list("enkat_id", flat=True)
        .distinct()
    )
    enkat_ids = sorted(set(related) | {enkat_id})
    years = dict(Enkat.objects.filter(pk__in=enkat_ids).values_list("pk", "year"))
    _, fragor, summaries = _summaries(enkat_ids, nuts_omrade_id)
    by_lineage = defaultdict(list)
    for f in fragor:
        by_lineage[f.linje].append(f)
    out = []
    for f in (f for f in fragor if f.enkat_id == enkat_id):
        rows = sorted(by_lineage[f.linje], key=lambda g: (years[g.enkat_id], g.enkat_id))
        out.append(
            {
                "text": f.text,
                "kind": f.kind,
                "kind_label": f.get_kind_display(),
                "linje": str(f.linje),
                "years": [
                    {
                        "year": years[g.enkat_id],
                        "enkat_id": g.enkat_id,
                        "answered": summaries[g.pk]["answered"],
                        "mean": summaries[g.pk]["mean"],
                        "counts": summaries[g.pk]["counts"],
                    }
                    for g in rows
                ],
            }
        )
    return out

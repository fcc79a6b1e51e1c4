"""Ready to compile? What the year's report would miss, each gap with where it is fixed.

The compile page lists the gaps before its button (docs/rapport.md, "Klart att
sammanställa?"); compiling with gaps needs a confirmation, and the compiled report then
says what was missing (the job stores the gaps in the snapshot, ``snapshot["gaps"]``).

The commitments are read through mal's contract (``mal.reporting.commitment_gaps``); the
organisation, the costs and the narratives directly. Five queries, however many areas,
departments and commitments there are.
"""

from dataclasses import asdict, dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse

from avdelningar.models import Avdelning, Deltagande, Medlemsantal, NutsOmrade
from mal import reporting as mal_reporting

from .models import Berattelse, Kostnad


@dataclass(frozen=True)
class Gap:
    """One thing missing: ``text`` says what (in Swedish), ``url`` and ``link_text`` where
    it is fixed, ``count`` how many where it has one, ``subject`` whose it is (an area's
    code, a department's or commitment owner's name). ``admin_url``: the admin page, when
    that is where an administrator fixes it (the members on 1 January)."""

    kind: str
    text: str
    url: str
    link_text: str
    count: int | None = None
    subject: str = ""
    admin_url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _antal(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def rapport_readiness(*, year: int, nuts_omrade: NutsOmrade | None = None) -> list[Gap]:
    """The gaps of the year's report, for the whole project or one area, in the order the
    report reads them: the overall assessment, the areas' narratives, the costs, the
    departments' members on 1 January, then the commitments (approved without a full-year
    follow-up, not yet submitted, waiting for review).

    An area's edition lists its own narrative and commitments, but every participating
    department's members: the cost split needs all of them (rapporter/kostnad.py). An area
    that does not take part that year has nothing to compile: no gaps (the request refuses
    it with its own message). Five queries.
    """
    areas = {}
    for d in Deltagande.objects.covering(year).select_related("nuts_omrade"):
        areas[d.nuts_omrade_id] = d.nuts_omrade
    if not areas or (nuts_omrade is not None and nuts_omrade.pk not in areas):
        return []
    reported = [nuts_omrade] if nuts_omrade else sorted(areas.values(), key=lambda a: a.code)
    narrative = reverse("rapporter:berattelse", args=[year])
    gaps = []

    texts = dict(
        Berattelse.objects.filter(year=year).values_list("nuts_omrade_id", "text").order_by()
    )
    if not (texts.get(None) or "").strip():
        gaps.append(
            Gap(
                kind="overall",
                text=f"Projektledarens samlade bedömning av {year} är inte skriven.",
                url=f"{narrative}#text-samlad",
                link_text="Skriv den samlade bedömningen",
            )
        )
    for area in reported:
        if not (texts.get(area.pk) or "").strip():
            gaps.append(
                Gap(
                    kind="narrative",
                    text=f"Samordnarens berättelse för {area.code} {area.name} saknas.",
                    url=f"{narrative}#text-{area.code}",
                    link_text=f"Berättelsen för {area.code} (samordnaren skriver den)",
                    subject=area.code,
                )
            )

    if not Kostnad.objects.filter(year=year).exists():
        gaps.append(
            Gap(
                kind="costs",
                text=f"Projektets kostnader för {year} är inte inlagda.",
                url=reverse("rapporter:kostnad", args=[year]),
                link_text="Lägg in kostnaderna",
            )
        )

    counted = Medlemsantal.objects.filter(avdelning=OuterRef("pk"), year=year)
    uncounted = (
        Avdelning.objects.filter(nuts_omrade_id__in=areas)
        .annotate(counted=Exists(counted))
        .filter(counted=False)
        .order_by("name")  # Swedish collation
        .values_list("pk", "name")
    )
    for pk, name in uncounted:
        gaps.append(
            Gap(
                kind="members",
                text=(
                    f"{name} saknar antalet aktiva medlemmar 1 januari {year}; "
                    "kostnadsfördelningen kan inte göras utan det."
                ),
                url=reverse("avdelning", args=[pk]),
                link_text=f"{name} (avdelningens sida)",
                subject=name,
                admin_url=reverse("admin:avdelningar_avdelning_change", args=[pk]),
            )
        )

    commitments = mal_reporting.commitment_gaps(
        year=year, nuts_ids=[nuts_omrade.pk] if nuts_omrade else None
    )
    owners = commitments["owners"]
    for o in owners:
        if n := o["without_full_year"]:
            gaps.append(
                Gap(
                    kind="followup",
                    text=(
                        f"{o['owner']}: {_antal(n, 'godkänt åtagande', 'godkända åtaganden')} "
                        "utan helårsuppföljning."
                    ),
                    url=o["url"],
                    link_text=f"{o['owner']}, {year}",
                    count=n,
                    subject=o["owner"],
                )
            )
    for o in owners:
        if n := o["drafts"]:
            gaps.append(
                Gap(
                    kind="drafts",
                    text=(
                        f"{o['owner']}: {_antal(n, 'åtagande', 'åtaganden')} har inte "
                        "skickats in (utkast eller återsänt)."
                    ),
                    url=o["url"],
                    link_text=f"{o['owner']}, {year}",
                    count=n,
                    subject=o["owner"],
                )
            )
    if submitted := sum(o["submitted"] for o in owners):
        gaps.append(
            Gap(
                kind="submitted",
                text=(
                    f"{_antal(submitted, 'åtagande', 'åtaganden')} för {year} väntar på granskning."
                ),
                url=commitments["review_url"],
                link_text="Granskningskön",
                count=submitted,
            )
        )
    return gaps


def _names(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return f"{shown} och {len(names) - limit} till" if len(names) > limit else shown


def summary(gaps: list[dict]) -> list[str]:
    """The gaps (as stored in a snapshot) in a few sentences, one per kind, for the report's
    "Saknades vid sammanställningen" box: a report is read by the steering group and the
    national board, who need what was missing, not a line per department."""
    by_kind = {}
    for g in gaps:
        by_kind.setdefault(g["kind"], []).append(g)
    lines = []
    for kind, items in by_kind.items():
        subjects = [g["subject"] for g in items]
        count = sum(g["count"] or 0 for g in items)
        if kind == "narrative":
            lines.append(f"Samordnarens berättelse för {_names(subjects)}.")
        elif kind == "members":
            lines.append(
                f"Aktiva medlemmar 1 januari för {_antal(len(items), 'avdelning', 'avdelningar')}"
                f" ({_names(subjects)}): kostnadsfördelningen mellan avdelningarna gjordes inte."
            )
        elif kind == "followup":
            lines.append(
                f"Helårsuppföljning av {_antal(count, 'godkänt åtagande', 'godkända åtaganden')}"
                f" ({_names(subjects)})."
            )
        elif kind == "drafts":
            lines.append(
                f"{_antal(count, 'åtagande', 'åtaganden')} hade inte skickats in"
                f" ({_names(subjects)})."
            )
        else:  # the overall assessment, the costs, the review queue: one sentence each
            lines.extend(g["text"] for g in items)
    return lines

"""Load data for `manage.py generate_load_data`: commitments with targets and follow-ups.

Bulk inserts through ``avdelningar.loaddata.bulk_insert``; not used by the app itself.
"""

from decimal import Decimal

from avdelningar.loaddata import Ids, bulk_insert, reset_sequences

from .models import (
    Atagande,
    Indikator,
    Malvarde,
    Uppfoljning,
    Uppfoljningsperiod,
    Utfall,
    Verksamhetsmal,
)

S = Atagande.Status
FOLLOWUP = [s for s, _ in Uppfoljning.Status.choices]


def seed(rnd, org, *, last_year, commitments=5000):
    goals = list(Verksamhetsmal.objects.order_by("number"))
    catalogue = {}
    for ind in Indikator.objects.all():
        catalogue.setdefault(ind.verksamhetsmal_id, []).append(ind)
    periods = {}
    for year in range(min(org["joined"].values()), last_year + 1):
        halvar, helar = Uppfoljningsperiod.ensure_year(year)
        periods[year] = (halvar, helar)

    # Owners with the years they may commit for: departments (most), areas, national.
    owners = []
    for avd in org["departments"]:
        years = range(org["joined"][avd.nuts_omrade_id], last_year + 1)
        owners += [({"avdelning_id": avd.pk}, y) for y in years] * 6
    for area in org["areas"]:
        years = range(org["joined"][area.pk], last_year + 1)
        owners += [({"nuts_omrade_id": area.pk}, y) for y in years]
    owners += [({}, y) for y in range(min(org["joined"].values()), last_year + 1)]

    ids, mv_ids, uf_ids, ut_ids = Ids(Atagande), Ids(Malvarde), Ids(Uppfoljning), Ids(Utfall)
    rows, targets, followups, actuals = [], [], [], []
    # First a few that every page has something to show, whatever the scale: the national
    # level every year, each area this year and last, each area's first department.
    first_year = min(org["joined"].values())
    fixed = [({}, y) for y in range(first_year, last_year + 1)]
    for area in org["areas"]:
        fixed += [({"nuts_omrade_id": area.pk}, y) for y in (last_year, last_year - 1)]
        first = next(d for d in org["departments"] if d.nuts_omrade_id == area.pk)
        fixed.append(({"avdelning_id": first.pk}, last_year))
    for n in range(max(commitments, len(fixed))):
        if n < len(fixed):
            owner, year = fixed[n]
            status = S.SUBMITTED if n % 3 == 1 else S.APPROVED
        else:
            owner, year = rnd.choice(owners)
            status = None
        goal = rnd.choice(goals)
        current = year == last_year
        status = status or (
            rnd.choice([S.DRAFT, S.SUBMITTED, S.APPROVED, S.APPROVED])
            if current
            else rnd.choices([S.APPROVED, S.RETURNED, S.SUBMITTED], [90, 5, 5])[0]
        )
        pk = ids.take()
        rows.append(
            {
                "id": pk,
                **owner,
                "year": year,
                "verksamhetsmal_id": goal.pk,
                "title": f"{goal.title}: insats {n + 1}",
                "action_plan": "Planerade aktiviteter, ansvar och tidplan för året.",
                "resources_sek": Decimal(rnd.randrange(0, 200_000, 5000)),
                "resources_hours": rnd.randint(10, 400),
                "resources_people": rnd.randint(1, 8),
                "responsible": "Ansvarig ombudsman",
                "status": status,
            }
        )
        mine = []
        for i in range(rnd.randint(1, 3)):
            choices = catalogue.get(goal.pk)
            ind = choices[i % len(choices)] if choices and i < len(choices) else None
            target = Decimal(rnd.randint(5, 200))
            split = bool(ind and ind.split_by_gender)
            # Women and men add up to the target (round half of an odd target gives
            # 26 + 26 > 51, which the gender constraint refuses).
            women = (target / 2).quantize(Decimal("1"), rounding="ROUND_DOWN")
            m = {
                "id": mv_ids.take(),
                "atagande_id": pk,
                "indikator_id": ind.pk if ind else None,
                "name": "" if ind else f"Egen indikator {i + 1}",
                "unit": "" if ind else "st",
                "split_by_gender": split,
                "baseline": Decimal(rnd.randint(0, 50)),
                "target": target,
                "target_women": women if split else None,
                "target_men": target - women if split else None,
            }
            targets.append(m)
            mine.append(m)
        if status != S.APPROVED:
            continue
        done = periods[year] if not current else periods[year][:1]
        for period in done:
            uf = {
                "id": uf_ids.take(),
                "atagande_id": pk,
                "period_id": period.pk,
                "status": rnd.choice(FOLLOWUP),
                "comment": "Uppföljning enligt plan.",
            }
            followups.append(uf)
            for m in mine:
                actual = (m["target"] * Decimal(rnd.randint(20, 130)) / 100).quantize(Decimal("1"))
                actuals.append(
                    {
                        "id": ut_ids.take(),
                        "uppfoljning_id": uf["id"],
                        "malvarde_id": m["id"],
                        "actual": actual,
                    }
                )
    bulk_insert(Atagande, rows)
    bulk_insert(Malvarde, targets)
    bulk_insert(Uppfoljning, followups)
    bulk_insert(Utfall, actuals)
    reset_sequences([Atagande, Malvarde, Uppfoljning, Utfall])
    return {"commitments": len(rows), "targets": len(targets), "followups": len(followups)}

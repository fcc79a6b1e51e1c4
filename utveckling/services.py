"""The candidate-area workflow: create, assess, propose, the steering group's decision,
the national board's decision and, on a yes, making the area take part.

Each function checks the same predicate as the view (avdelningar/access.py, section
"Candidate areas"), runs in one transaction and records itself in the trail.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from avdelningar.access import require, require_utveckling
from avdelningar.kostnadsnyckel import frozen_year
from avdelningar.models import BeslutOrgan, BeslutTyp, Deltagande, NutsOmrade, Person
from avdelningar.services import projektbeslut_record
from historik.models import Handelse
from historik.services import formset_save_recorded, handelse_record, save_versioned, snapshot

from .models import (
    Kandidat,
    Krav,
    Kravbedomning,
    Kriteriebedomning,
    Kriterium,
    Status,
)

ANSWERS = ["nytta", "forutsattningar", "syften"]
LEADER_ONLY = "Bara projektledaren bedömer kandidatområden och ändrar dem."
SG_ONLY = "Styrgruppens beslut registreras av styrgruppen."


def _leader(user):
    require(require_utveckling(user).edits_utveckling, LEADER_ONLY)


def _locked(kandidat):
    return Kandidat.objects.select_for_update().get(pk=kandidat.pk)


def _transition(kandidat, *, user, request, before, note, fields):
    """Save the candidate's new state (the version bumps, so an assessment form opened
    before it meets a conflict) and record the step."""
    save_versioned(kandidat, expected_version=kandidat.version, update_fields=fields)
    after = snapshot(kandidat, fields)
    handelse_record(
        user=user,
        action=Handelse.Action.TRANSITION,
        obj=kandidat,
        changes={k: [before[k], after[k]] for k in fields if before[k] != after[k]},
        note=note,
        nuts_omrade_id=kandidat.nuts_omrade_id,
        request=request,
    )


def takes_part_message(nuts_omrade: NutsOmrade, year: int) -> str | None:
    """Why the area cannot be a candidate for the year (it takes part then), or None."""
    if Deltagande.objects.covering(year).filter(nuts_omrade=nuts_omrade).exists():
        return f"{nuts_omrade} deltar redan i projektet {year}."
    return None


def kandidat_create(
    *,
    nuts_omrade: NutsOmrade,
    year: int,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> Kandidat:
    _leader(user)
    if message := takes_part_message(nuts_omrade, year):
        raise ValidationError(message)
    with transaction.atomic():
        if Kandidat.objects.filter(nuts_omrade=nuts_omrade, year=year).exists():
            raise ValidationError("Området är redan kandidat för det året.")
        kandidat = Kandidat(nuts_omrade=nuts_omrade, year=year, created_by=user, version=1)
        kandidat.full_clean(exclude=["created_by"])
        kandidat.save()
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE,
            obj=kandidat,
            changes={"nuts_omrade": [None, str(nuts_omrade)], "year": [None, year]},
            nuts_omrade_id=nuts_omrade.pk,
            request=request,
        )
    return kandidat


def kandidat_assess(
    *,
    kandidat: Kandidat,
    answers: dict[str, str],
    samordnare: Person | None,
    criteria: dict[str, dict],
    expected_version: int,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> Kandidat:
    """Save the three answers, the candidate coordinator and the criteria ({kriterium:
    {"score", "comment", "evidence"}}) while the candidate is under assessment. Raises
    ConflictError when someone saved after the form was loaded."""
    _leader(user)
    with transaction.atomic():
        kandidat = _locked(kandidat)
        if not kandidat.open_for_assessment:
            raise ValidationError("Bedömningen är låst: kandidaten är redan föreslagen.")
        before = snapshot(kandidat, [*ANSWERS, "samordnare_id"])
        for name in ANSWERS:
            setattr(kandidat, name, answers.get(name, "").strip())
        kandidat.samordnare = samordnare
        save_versioned(
            kandidat, expected_version=expected_version, update_fields=[*ANSWERS, "samordnare"]
        )
        changes = {
            k: [v, w]
            for k, v in before.items()
            if v != (w := snapshot(kandidat, [*ANSWERS, "samordnare_id"])[k])
        }
        existing = {r.kriterium: r for r in kandidat.kriterier.all()}
        for key in Kriterium.values:
            values = criteria.get(key)
            if values is None:
                continue
            row = existing.get(key) or Kriteriebedomning(kandidat=kandidat, kriterium=key)
            old = snapshot(row, ["score", "comment", "evidence"]) if row.pk else {}
            row.score = values.get("score")
            row.comment = (values.get("comment") or "").strip()
            row.evidence = (values.get("evidence") or "").strip()
            row.full_clean(exclude=["kandidat"])
            new = snapshot(row, ["score", "comment", "evidence"])
            if new != old:
                row.save()
                changes[f"kriterium {key}"] = [old or None, new]
        if changes:
            handelse_record(
                user=user,
                action=Handelse.Action.UPDATE,
                obj=kandidat,
                changes=changes,
                nuts_omrade_id=kandidat.nuts_omrade_id,
                request=request,
            )
    return kandidat


def unscored(kandidat: Kandidat) -> list[str]:
    """The criteria without a score, in the plan's order."""
    scored = set(kandidat.kriterier.filter(score__isnull=False).values_list("kriterium", flat=True))
    return [label for key, label in Kriterium.choices if key not in scored]


def kandidat_propose(
    *,
    kandidat: Kandidat,
    proposal: str,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
    on: datetime.date | None = None,
) -> Kandidat:
    """The project leader proposes the candidate to the steering group: every criterion
    scored, the three questions answered, a proposal text."""
    _leader(user)
    proposal = (proposal or "").strip()
    if not proposal:
        raise ValidationError("Skriv förslaget till styrgruppen.")
    with transaction.atomic():
        kandidat = _locked(kandidat)
        if kandidat.status != Status.BEDOMS:
            raise ValidationError("Kandidaten är redan föreslagen.")
        if missing := unscored(kandidat):
            raise ValidationError("Bedöm först alla kriterier: " + ", ".join(missing) + ".")
        if not all(getattr(kandidat, name) for name in ANSWERS):
            raise ValidationError("Besvara först projektplanens tre frågor.")
        fields = ["status", "proposal", "proposed_on"]
        before = snapshot(kandidat, fields)
        kandidat.status = Status.FORESLAGEN
        kandidat.proposal = proposal
        kandidat.proposed_on = on or timezone.localdate()
        _transition(
            kandidat, user=user, request=request, before=before, note="Föreslagen", fields=fields
        )
    return kandidat


def kandidat_sg_decide(
    *,
    kandidat: Kandidat,
    recommended: bool,
    decided_on: datetime.date,
    paragraph: str,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> Kandidat:
    """The steering group recommends the proposal to the national board, or not."""
    require(require_utveckling(user).decides_utveckling, SG_ONLY)
    paragraph = (paragraph or "").strip()
    if not paragraph:
        raise ValidationError("Ange protokollets paragraf.")
    with transaction.atomic():
        kandidat = _locked(kandidat)
        if kandidat.status != Status.FORESLAGEN:
            raise ValidationError("Styrgruppen beslutar om ett förslag som väntar på beslut.")
        if decided_on < kandidat.proposed_on:
            raise ValidationError("Beslutet kan inte ligga före förslaget.")
        fields = ["status", "sg_recommended", "sg_decided_on", "sg_paragraph"]
        before = snapshot(kandidat, fields)
        kandidat.status = Status.TILLSTYRKT if recommended else Status.AVSTYRKT
        kandidat.sg_recommended = recommended
        kandidat.sg_decided_on = decided_on
        kandidat.sg_paragraph = paragraph
        note = "Styrgruppen tillstyrker" if recommended else "Styrgruppen avstyrker"
        _transition(kandidat, user=user, request=request, before=before, note=note, fields=fields)
    return kandidat


def _await_board(kandidat):
    if kandidat.status not in (Status.TILLSTYRKT, Status.AVSTYRKT):
        raise ValidationError(
            "Förbundsstyrelsens beslut registreras när styrgruppen har beslutat om förslaget."
        )


def _log_board_decision(kandidat, *, yes, decided_on, joined_on=None, user, request):
    """The national board's decision on the proposal, in the steering group's decision log
    (avdelningar), in the caller's transaction: the log is where the project's start, stop
    and growth are read in order, and the report lists the year's decisions from it."""
    area = kandidat.nuts_omrade
    if yes:
        title = f"{area} deltar i projektet från {joined_on.isoformat()}"
    else:
        title = f"{area} deltar inte i projektet (förslaget för {kandidat.year})"
    recommended = "tillstyrkte" if kandidat.sg_recommended else "avstyrkte"
    description = (
        f"Förbundsstyrelsens beslut om förslaget att {area} ska delta från {kandidat.year}. "
        f"Styrgruppen {recommended} förslaget {kandidat.sg_decided_on.isoformat()} "
        f"({kandidat.sg_paragraph})."
    )
    projektbeslut_record(
        user=user,
        kind=BeslutTyp.UTVIDGNING,
        body=BeslutOrgan.FORBUNDSSTYRELSE,
        decided_on=decided_on,
        title=title,
        description=description,
        nuts_omrade=area,
        links=[("Bedömningen av kandidatområdet", kandidat.get_absolute_url())],
        request=request,
    )


def kandidat_reject(
    *,
    kandidat: Kandidat,
    decided_on: datetime.date,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> Kandidat:
    """The national board said no."""
    _leader(user)
    with transaction.atomic():
        kandidat = _locked(kandidat)
        _await_board(kandidat)
        fields = ["status", "fs_yes", "fs_decided_on"]
        before = snapshot(kandidat, fields)
        kandidat.status, kandidat.fs_yes, kandidat.fs_decided_on = (
            Status.AVSLAGEN,
            False,
            decided_on,
        )
        _log_board_decision(kandidat, yes=False, decided_on=decided_on, user=user, request=request)
        _transition(
            kandidat,
            user=user,
            request=request,
            before=before,
            note="Förbundsstyrelsen: nej",
            fields=fields,
        )
    return kandidat


def kandidat_delta(
    *,
    kandidat: Kandidat,
    decided_on: datetime.date,
    joined_on: datetime.date,
    samordnare: Person,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> Deltagande:
    """The national board said yes: the area takes part from ``joined_on`` with its
    coordinator. One transaction: the participation, the coordinator's assignment (unless
    they already hold one for the area) and the candidate's new status, each in the trail.
    The cost key reads the participations, so it includes the area's departments from
    ``joined_on``'s year; the area's maturity counts from there.

    Refused: the area takes part already (then or later), the start's year has an approved
    report (its cost split is settled), or a start before the decision."""
    _leader(user)
    if samordnare is None:
        raise ValidationError("Ange områdets regionala samordnare.")
    if joined_on < decided_on:
        raise ValidationError("Området kan inte börja delta före förbundsstyrelsens beslut.")
    if reason := frozen_year(joined_on.year):
        raise ValidationError(
            f"{reason} Välj ett startdatum i ett år vars rapport inte är godkänd."
        )
    with transaction.atomic():
        kandidat = _locked(kandidat)
        _await_board(kandidat)
        area = kandidat.nuts_omrade
        taking_part = Deltagande.objects.filter(nuts_omrade=area).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=joined_on)
        )
        if taking_part.exists():
            raise ValidationError(f"{area} deltar redan i projektet.")
        deltagande = Deltagande(nuts_omrade=area, joined_on=joined_on, samordnare=samordnare)
        deltagande.full_clean()
        deltagande.save()
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE,
            obj=deltagande,
            changes={
                "joined_on": [None, joined_on.isoformat()],
                "samordnare": [None, str(samordnare)],
            },
            note=f"Förbundsstyrelsens beslut {decided_on.isoformat()} om {kandidat}",
            nuts_omrade_id=area.pk,
            request=request,
        )
        if deltagande.samordnare_uppdrag_missing():
            uppdrag = deltagande.samordnare_uppdrag_new(added=True)
            uppdrag.full_clean()
            uppdrag.save()
            handelse_record(
                user=user,
                action=Handelse.Action.CREATE,
                obj=uppdrag,
                changes={"start": [None, uppdrag.start.isoformat()]},
                note="Samordnaruppdraget när området började delta",
                nuts_omrade_id=area.pk,
                request=request,
            )
        fields = ["status", "fs_yes", "fs_decided_on", "deltagande_id"]
        before = snapshot(kandidat, fields)
        kandidat.status, kandidat.fs_yes, kandidat.fs_decided_on = Status.DELTAR, True, decided_on
        kandidat.deltagande = deltagande
        save_versioned(
            kandidat,
            expected_version=kandidat.version,
            update_fields=["status", "fs_yes", "fs_decided_on", "deltagande"],
        )
        after = snapshot(kandidat, fields)
        handelse_record(
            user=user,
            action=Handelse.Action.TRANSITION,
            obj=kandidat,
            changes={k: [before[k], after[k]] for k in fields if before[k] != after[k]},
            note=f"Förbundsstyrelsen: ja; deltar från {joined_on.isoformat()}",
            nuts_omrade_id=area.pk,
            request=request,
        )
        _log_board_decision(
            kandidat,
            yes=True,
            decided_on=decided_on,
            joined_on=joined_on,
            user=user,
            request=request,
        )
    return deltagande


# --- the requirement profile and the candidate coordinator ------------------------------


def kravprofil_save(*, formset, user: AbstractBaseUser, request: HttpRequest | None = None) -> None:
    """Save the requirement profile's formset (validated), each change in the trail."""
    _leader(user)
    formset_save_recorded(
        formset, user=user, request=request, fields=["text", "position", "active"]
    )


def kravbedomning_save(
    *,
    kandidat: Kandidat,
    values: dict[int, dict],
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> None:
    """Assess the candidate's coordinator against the requirements ({krav id: {"score",
    "comment"}}) while the candidate is under assessment or proposed."""
    _leader(user)
    with transaction.atomic():
        kandidat = _locked(kandidat)
        if kandidat.samordnare_id is None:
            raise ValidationError("Ange först en föreslagen samordnare i bedömningen.")
        if kandidat.status not in (Status.BEDOMS, Status.FORESLAGEN):
            raise ValidationError("Styrgruppen har redan beslutat; bedömningen är låst.")
        krav = {k.pk: k for k in Krav.objects.filter(pk__in=list(values))}
        existing = {
            b.krav_id: b
            for b in Kravbedomning.objects.filter(
                kandidat=kandidat, person_id=kandidat.samordnare_id
            )
        }
        changes = {}
        for pk, v in values.items():
            if pk not in krav:
                continue
            if (
                pk not in existing
                and v.get("score") is None
                and not (v.get("comment") or "").strip()
            ):
                continue  # nothing to say about this requirement yet: no row
            row = existing.get(pk) or Kravbedomning(
                kandidat=kandidat, person_id=kandidat.samordnare_id, krav=krav[pk]
            )
            old = snapshot(row, ["score", "comment"]) if row.pk else {}
            row.score = v.get("score")
            row.comment = (v.get("comment") or "").strip()
            row.full_clean(exclude=["kandidat", "person", "krav"])
            new = snapshot(row, ["score", "comment"])
            if new != old:
                row.save()
                changes[f"krav {pk}"] = [old or None, new]
        if changes:
            handelse_record(
                user=user,
                action=Handelse.Action.UPDATE,
                obj=kandidat,
                model=Kravbedomning._meta.label,
                object_repr=f"Samordnarbedömning, {kandidat}",
                changes=changes,
                nuts_omrade_id=kandidat.nuts_omrade_id,
                request=request,
            )


# --- personal data (registered in apps.py with avdelningar.personal_data) -------------


def person_extract(person: Person) -> list[dict]:
    """The person's assessments as a candidate coordinator, for their register extract."""
    return [
        {
            "kandidatområde": str(b.kandidat),
            "krav": b.krav.text,
            "poäng": b.score,
            "kommentar": b.comment,
        }
        for b in Kravbedomning.objects.filter(person=person).select_related(
            "kandidat__nuts_omrade", "krav"
        )
    ]


def person_anonymize(*, person: Person, user, request=None) -> None:
    """Anonymisation deletes the person's assessments against the requirement profile:
    they are judgements about a named person, needed only while the candidate was
    decided on. The candidate's own assessment (criteria, decisions) stays; its link to
    the person now shows the anonymised name. The trail keeps how many were deleted, not
    what they said."""
    rows = Kravbedomning.objects.filter(person=person)
    n = rows.count()
    if not n:
        return
    rows.delete()
    handelse_record(
        user=user,
        action=Handelse.Action.DELETE,
        model=Kravbedomning._meta.label,
        object_repr=f"Samordnarbedömningar av person {person.pk}",
        note=f"{n} bedömningar mot kravprofilen borttagna när personen anonymiserades.",
        request=request,
    )

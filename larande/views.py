"""The analysis meeting's decisions and actions, an action with its history, the user's
actions, and the areas' lessons. Each view states its right at its top (the larande
section of avdelningar/access.py); the services ask again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from aktiviteter.models import Aktivitet
from avdelningar.access import (
    larande_closes_action,
    larande_reads_action,
    larande_reads_area,
    larande_sees_actions,
    larande_sees_lessons,
    larande_writes_area,
    require,
    scope_for,
    sees_enkat_results,
)
from avdelningar.models import NutsOmrade
from historik.models import Handelse
from historik.services import ConflictError
from mal.models import Atagande

from . import services
from .forms import AnalysmoteForm, AtgardForm, LardomForm
from .models import Analysmote, Atgard, Lardom

ACTIONS_REFUSAL = "Du har inga åtgärder att se."
LESSONS_READ_REFUSAL = "Lärdomarna läses av styrgruppen, projektledaren och områdenas samordnare."


def _errors(exc):
    return " ".join(exc.messages)


def get_mote_or_404(user, pk, *, write=False):
    """(scope, the analysis activity, whether the user reads the whole meeting). The
    meeting is its area's: national readers and the coordinator read it, the coordinator
    and the project leader write it (403 for readers). A department taking part reads it
    and sees its own actions. Anyone else, or an activity of another type: 404."""
    scope = scope_for(user)
    aktivitet = (
        Aktivitet.objects.select_related("nuts_omrade")
        .filter(pk=pk, typ=Aktivitet.Typ.ANALYS)
        .first()
    )
    if aktivitet is None:
        raise Http404("Analysmötet finns inte.")
    whole = larande_reads_area(scope, aktivitet.nuts_omrade_id)
    if not whole and not (
        scope.avdelning_ids & set(aktivitet.avdelningar.values_list("pk", flat=True))
    ):
        raise Http404("Analysmötet finns inte.")
    if write:
        require(larande_writes_area(scope, aktivitet.nuts_omrade_id), services.WRITE_REFUSAL)
    return scope, aktivitet, whole


def _person_user_id(atgard):
    return atgard.person.user_id if atgard.person_id else None


def _annotate(atgarder, scope, today):
    for a in atgarder:
        a.overdue = a.is_overdue(today)
        a.can_close = a.is_open and larande_closes_action(
            scope,
            nuts_id=a.mote.aktivitet.nuts_omrade_id,
            avdelning_id=a.avdelning_id,
            person_user_id=_person_user_id(a),
        )
    return atgarder


def _atgarder_qs():
    return Atgard.objects.select_related(
        "mote__aktivitet__nuts_omrade", "person", "avdelning"
    ).prefetch_related(
        Prefetch(
            "ataganden",
            queryset=Atagande.objects.select_related("avdelning", "nuts_omrade", "verksamhetsmal"),
        )
    )


def mote(request, pk):
    """The meeting: its material (text, file) and its decisions and actions."""
    scope, aktivitet, whole = get_mote_or_404(request.user, pk, write=request.method == "POST")
    mote = (
        Analysmote.objects.filter(aktivitet=aktivitet).select_related("updated_by", "enkat").first()
    )
    can_write = larande_writes_area(scope, aktivitet.nuts_omrade_id)
    today = timezone.localdate()
    atgarder = []
    if mote is not None:
        atgarder = list(_atgarder_qs().filter(mote=mote))
        if not whole:
            atgarder = [
                a
                for a in atgarder
                if larande_reads_action(
                    scope,
                    nuts_id=aktivitet.nuts_omrade_id,
                    avdelning_id=a.avdelning_id,
                    person_user_id=_person_user_id(a),
                )
            ]
        _annotate(atgarder, scope, today)
    form, status = None, 200
    if can_write:
        form = AnalysmoteForm(
            request.POST or None,
            request.FILES or None,
            instance=mote or Analysmote(aktivitet=aktivitet),
            initial={"version": mote.version if mote else 0},
            has_file=bool(mote and mote.material),
            enkater=services.enkater_for(aktivitet),
        )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.analysmote_save(
                    aktivitet=aktivitet,
                    summary=form.cleaned_data["summary"],
                    upload=form.cleaned_data.get("file"),
                    remove_file=form.cleaned_data.get("remove_file", False),
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    enkat=form.cleaned_data.get("enkat"),
                    request=request,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "enkat" in exc.error_dict:
                    form.add_error("enkat", exc.error_dict["enkat"])
                else:
                    form.add_error("file", _errors(exc))
            else:
                messages.success(request, "Mötets underlag är sparat.")
                return redirect("larande:mote", pk=aktivitet.pk)
        status = 400
    enkat = mote.enkat if mote and mote.enkat_id else None
    ctx = {
        "aktivitet": aktivitet,
        "mote": mote,
        "enkat": enkat,
        # The questionnaire's results for the meeting's area (or all areas for a national
        # meeting), linked only for those who may read them (access.py).
        "enkat_results": enkat is not None and sees_enkat_results(scope, aktivitet.nuts_omrade_id),
        "atgarder": atgarder,
        "whole": whole,
        "can_write": can_write,
        "form": form,
    }
    return render(request, "larande/mote.html", ctx, status=status)


def mote_underlag(request, pk):
    """The meeting's uploaded material (its download is in the trail)."""
    _, aktivitet, _ = get_mote_or_404(request.user, pk)
    mote = Analysmote.objects.filter(aktivitet=aktivitet).first()
    if mote is None:
        raise Http404("Mötet har inget underlag.")
    mote.aktivitet = aktivitet
    fh = services.material_download(mote=mote, user=request.user, request=request)
    return FileResponse(fh, as_attachment=True, filename=mote.material_name)


def atgard_ny(request, pk):
    """A new decision or action of the meeting."""
    _, aktivitet, _ = get_mote_or_404(request.user, pk, write=True)
    form = AtgardForm(
        request.POST or None,
        aktivitet=aktivitet,
        initial={"status": Atgard.Status.OPEN},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.atgard_create(
                    aktivitet=aktivitet, values=form.values(), user=request.user, request=request
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Åtgärden är sparad.")
                if "spara_ny" in request.POST:
                    return redirect("larande:atgard_ny", pk=aktivitet.pk)
                return redirect("larande:mote", pk=aktivitet.pk)
        status = 400
    ctx = {"aktivitet": aktivitet, "form": form}
    return render(request, "larande/atgard_ny.html", ctx, status=status)


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def get_atgard_or_404(user, pk, *, write=False):
    """(scope, the action): read by those who read its meeting's area, its owner and its
    department's users; written by the area's coordinator and the project leader (403 for
    the others who read it); 404 for anyone else."""
    scope = scope_for(user)
    atgard = _atgarder_qs().filter(pk=pk).first()
    if atgard is None or not larande_reads_action(
        scope,
        nuts_id=atgard.mote.aktivitet.nuts_omrade_id,
        avdelning_id=atgard.avdelning_id,
        person_user_id=_person_user_id(atgard),
    ):
        raise Http404("Åtgärden finns inte.")
    if write:
        require(
            larande_writes_area(scope, atgard.mote.aktivitet.nuts_omrade_id),
            services.WRITE_REFUSAL,
        )
    return scope, atgard


def atgard(request, pk):
    """An action: what, who, by when, status, the commitments it led to, its history; a
    form for the coordinator and the project leader."""
    scope, atgard = get_atgard_or_404(request.user, pk, write=request.method == "POST")
    aktivitet = atgard.mote.aktivitet
    can_write = larande_writes_area(scope, aktivitet.nuts_omrade_id)
    form, status = None, 200
    if can_write:
        form = AtgardForm(
            request.POST or None,
            aktivitet=aktivitet,
            instance=atgard,
            initial={"version": atgard.version},
        )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.atgard_update(
                    atgard=atgard,
                    values=form.values(),
                    user=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    request=request,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Åtgärden är sparad.")
                return redirect(atgard)
        status = 400
    _annotate([atgard], scope, timezone.localdate())
    history = Handelse.objects.filter(model="larande.Atgard", object_id=str(atgard.pk)).order_by(
        "-at", "-pk"
    )[:50]
    ctx = {
        "atgard": atgard,
        "aktivitet": aktivitet,
        "form": form,
        "can_write": can_write,
        "history": [_history_row(h) for h in history],
    }
    return render(request, "larande/atgard.html", ctx, status=status)


LABELS = {
    "what": "vad",
    "person": "ansvarig person",
    "avdelning": "ansvarig avdelning",
    "due": "senast",
    "status": "status",
    "done_on": "klar",
    "ataganden": "åtaganden",
}


def _history_row(h):
    status_label = dict(Atgard.Status.choices)
    changes = []
    for key, (old, new) in (h.changes or {}).items():
        if key == "status":
            old, new = status_label.get(old, old), status_label.get(new, new)
        if isinstance(old, list):
            old = ", ".join(old)
        if isinstance(new, list):
            new = ", ".join(new)
        changes.append((LABELS.get(key, key), old if old not in (None, "") else "–", new or "–"))
    return {
        "at": h.at,
        "who": (h.user.get_full_name() if h.user_id and h.user else "") or h.username,
        "action": h.get_action_display(),
        "changes": changes,
    }


@require_POST
def atgard_klar(request, pk):
    """Mark an action done, from the start page, the meeting or the action; back there."""
    _, atgard = get_atgard_or_404(request.user, pk)
    if services.atgard_mark_done(atgard=atgard, user=request.user, request=request):
        messages.success(request, f"Åtgärden ”{atgard.what}” är markerad som klar.")
    else:
        messages.info(request, "Åtgärden var redan klar eller struken.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = atgard.get_absolute_url()
    return redirect(target)


def visible_atgarder(scope, user):
    """The actions the user may read (the larande section of access.py, as a queryset):
    every one for national readers, the coordinator's areas', and the user's own and
    their departments' ones."""
    qs = _atgarder_qs()
    if scope.reads_all:
        return qs
    return qs.filter(
        Q(mote__aktivitet__nuts_omrade_id__in=scope.coordinated_nuts_ids)
        | Q(avdelning_id__in=scope.avdelning_ids)
        | Q(person__user=user)
    )


def atgarder(request):
    """The year's actions the user may read, open ones first and by date."""
    scope = scope_for(request.user)
    require(larande_sees_actions(scope), ACTIONS_REFUSAL)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("ar") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2100:
        raise Http404("Året finns inte.")
    qs = visible_atgarder(scope, request.user)
    years = sorted(
        {d.year for d in qs.values_list("mote__aktivitet__date", flat=True).distinct()}
        | {today.year},
        reverse=True,
    )
    rows = list(qs.in_year(year).order_by("due", "pk"))
    rows.sort(key=lambda a: (not a.is_open, a.due, a.pk))
    ctx = {"year": year, "years": years, "atgarder": _annotate(rows, scope, today)}
    return render(request, "larande/atgarder.html", ctx)


def _areas_with_years(scope):
    areas = NutsOmrade.objects.filter(deltaganden__isnull=False).distinct().order_by("code")
    if not scope.reads_all:
        areas = areas.filter(pk__in=scope.coordinated_nuts_ids)
    return areas.prefetch_related("deltaganden")


def lardomar(request):
    """Every area's lessons, year by year (the areas the user reads)."""
    scope = scope_for(request.user)
    require(larande_sees_lessons(scope), LESSONS_READ_REFUSAL)
    areas = list(_areas_with_years(scope))
    written = {
        (lardom.nuts_omrade_id, lardom.year): lardom
        for lardom in Lardom.objects.filter(nuts_omrade__in=areas)
    }
    rows = [
        {
            "area": a,
            "can_write": larande_writes_area(scope, a.pk),
            "years": [
                {"year": y, "lardom": written.get((a.pk, y))}
                for y in reversed(services.lardom_years(a))
            ],
        }
        for a in areas
    ]
    return render(request, "larande/lardomar.html", {"rows": rows})


def lardom(request, code, year):
    """An area's lessons of a year: read, and written by its coordinator and the project
    leader."""
    scope = scope_for(request.user)
    nuts = NutsOmrade.objects.filter(code=code).prefetch_related("deltaganden").first()
    if nuts is None or not larande_reads_area(scope, nuts.pk):
        raise Http404("Området finns inte.")
    if year not in services.lardom_years(nuts):
        raise Http404("Området deltar inte i projektet det året.")
    if request.method == "POST":
        require(larande_writes_area(scope, nuts.pk), services.LESSONS_REFUSAL)
    obj = Lardom.objects.filter(nuts_omrade=nuts, year=year).select_related("updated_by").first()
    can_write = larande_writes_area(scope, nuts.pk)
    form, status = None, 200
    if can_write:
        form = LardomForm(
            request.POST or None,
            instance=obj or Lardom(nuts_omrade=nuts, year=year),
            initial={"version": obj.version if obj else 0},
        )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.lardom_save(
                    nuts=nuts,
                    year=year,
                    values=form.cleaned_data,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"Lärdomarna för {year} är sparade.")
                return redirect("larande:lardom", code=nuts.code, year=year)
        status = 400
    ctx = {
        "nuts": nuts,
        "year": year,
        "years": list(reversed(services.lardom_years(nuts))),
        "lardom": obj,
        "form": form,
    }
    return render(request, "larande/lardom.html", ctx, status=status)

import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Coalesce
from django.forms import modelformset_factory
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from avdelningar.access import get_avdelning_or_404, get_nuts_or_404, scope_for
from avdelningar.models import Deltagande, NutsOmrade
from avdelningar.years import year_or_404
from filer import imports
from filer.exports import XLSX_TYPE, csv_response, xlsx_response
from historik.models import Handelse
from historik.services import ConflictError, formset_save_recorded, handelse_record

from . import importer, services, trail
from .forms import (
    AtagandeForm,
    BilagaForm,
    ImportForm,
    MalvardeFormSet,
    NoteForm,
    UppfoljningForm,
)
from .models import (
    Atagande,
    Malvarde,
    Mognadsriktlinje,
    Projektmal,
    Uppfoljningsperiod,
    Utfall,
    Verksamhetsmal,
)
from .progress import annotate, percent, progress_subquery


def _errors(e):
    return " ".join(e.messages) if isinstance(e, ValidationError) else str(e)


def get_atagande_or_404(user, pk):
    """A commitment the user may see; 404 for a foreign or unknown id."""
    a = (
        Atagande.objects.visible_to(scope_for(user))
        .select_related(
            "avdelning__nuts_omrade", "nuts_omrade", "verksamhetsmal", "reviewed_by__person"
        )
        .filter(pk=pk)
        .first()
    )
    if a is None:
        raise Http404("Åtagandet finns inte.")
    return a


EXPORT_FORMATS = ("csv", "xlsx")


def export(request, filename, header, rows):
    """The page's rows as CSV or XLSX when ?format= asks for it, recorded in the trail."""
    fmt = request.GET.get("format")
    if fmt not in EXPORT_FORMATS:
        return None
    handelse_record(
        user=request.user,
        action=Handelse.Action.EXPORT,
        note=f"{filename}.{fmt}",
        request=request,
    )
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, [(filename, header, rows)])


ROW_HEADER = ["Ägare", "År", "Mål", "Rubrik", "Status", "Indikator", "Enhet", "Målvärde", "Utfall"]


def commitment_rows(ataganden):
    for a in ataganden:
        base = [a.owner_label, a.year, a.verksamhetsmal.number, a.title, a.get_status_display()]
        if not a.rows:
            yield [*base, "", "", None, None]
        for m, u, _ in a.rows:
            yield [*base, m.indicator_name, m.unit_label, m.target, u.actual if u else None]


def _participations(nuts_id=None):
    """The areas' participations (one area's, or all), fetched once for a page's year
    links and its year's participation."""
    qs = Deltagande.objects.all()
    if nuts_id:
        qs = qs.filter(nuts_omrade_id=nuts_id)
    return list(qs)


def _years(deltaganden):
    years = set()
    this = timezone.localdate().year
    for d in deltaganden:
        end = d.left_on.year if d.left_on else this + 1
        years.update(range(d.joined_on.year, end + 1))
    return sorted(years)


def _deltagande(deltaganden, year):
    for d in deltaganden:
        if d.covers_year(year):
            return d
    return None


def _goals():
    """[(projektmal, [its verksamhetsmal])] in one query."""
    goals = {}
    for vm in Verksamhetsmal.objects.select_related("projektmal").order_by(
        "projektmal__number", "number"
    ):
        goals.setdefault(vm.projektmal, []).append(vm)
    return list(goals.items())


def _guidance(maturity):
    return Mognadsriktlinje.for_maturity(maturity)


def _groups(ataganden):
    """The three project goals with their activity goals and the commitments under each."""
    by_goal = defaultdict(list)
    for a in ataganden:
        by_goal[a.verksamhetsmal_id].append(a)
    groups = []
    for pm in Projektmal.objects.prefetch_related("verksamhetsmal"):
        goals = [(vm, by_goal[vm.pk]) for vm in pm.verksamhetsmal.all()]
        groups.append((pm, goals, sum(len(c) for _, c in goals)))
    return groups


# --- department, area, national ------------------------------------------------------


def avdelning_ar(request, pk, year):
    year_or_404(year)
    avd = get_avdelning_or_404(request.user, pk)
    scope = scope_for(request.user)
    ataganden = annotate(
        Atagande.objects.filter(avdelning=avd, year=year).select_related(
            "verksamhetsmal", "avdelning"
        )
    )
    response = export(request, f"ataganden-{avd.pk}-{year}", ROW_HEADER, commitment_rows(ataganden))
    if response:
        return response
    deltaganden = _participations(avd.nuts_omrade_id)
    deltagande = _deltagande(deltaganden, year)
    maturity = deltagande.maturity(year) if deltagande else None
    guidance = _guidance(maturity)
    groups = [
        (pm, goals, n, guidance.get(pm.pk), guidance.get(pm.pk, 0) > n)
        for pm, goals, n in _groups(ataganden)
    ]
    area = annotate(
        Atagande.objects.filter(nuts_omrade_id=avd.nuts_omrade_id, year=year).select_related(
            "verksamhetsmal", "nuts_omrade"
        )
    )
    ctx = {
        "avdelning": avd,
        "year": year,
        "years": _years(deltaganden),
        "in_project": deltagande is not None,
        "maturity": maturity,
        "groups": groups,
        "area_ataganden": area,
        "can_write": Atagande(avdelning=avd, year=year).may_write(scope),
        "copy_from": services.copy_source(year=year, avdelning=avd),
    }
    return render(request, "mal/avdelning_ar.html", ctx)


def omrade_ar(request, code, year):
    year_or_404(year)
    nuts = get_nuts_or_404(request.user, code)
    scope = scope_for(request.user)
    avdelningar = list(scope.visible_avdelningar().filter(nuts_omrade=nuts))
    commitments = Atagande.objects.filter(
        Q(avdelning__in=avdelningar) | Q(nuts_omrade=nuts), year=year
    ).select_related("verksamhetsmal", "avdelning", "nuts_omrade")
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = commitment_rows(annotate(commitments))
        return export(request, f"ataganden-{code}-{year}", ROW_HEADER, rows)
    # The matrix shows each department commitment's status and progress: the progress
    # comes from SQL, without building every target and actual in Python (docs/performance.md).
    ataganden = list(
        commitments.filter(avdelning__isnull=False).annotate(progress=progress_subquery())
    )
    for a in ataganden:
        a.progress_pct = percent(a.progress)
    deltaganden = _participations(nuts.pk)
    deltagande = _deltagande(deltaganden, year)
    maturity = deltagande.maturity(year) if deltagande else None
    guidance = _guidance(maturity)
    goals = _goals()
    vms = [vm for _, pm_vms in goals for vm in pm_vms]
    cells = defaultdict(list)
    for a in ataganden:
        cells[(a.avdelning_id, a.verksamhetsmal_id)].append(a)
    matrix = []
    for avd in avdelningar:
        row = [cells[(avd.pk, vm.pk)] for vm in vms]
        shortfalls = []
        for pm, pm_vms in goals:
            n = sum(len(cells[(avd.pk, vm.pk)]) for vm in pm_vms)
            if guidance.get(pm.pk, 0) > n:
                shortfalls.append(f"{pm.title}: {n} av minst {guidance[pm.pk]}")
        matrix.append((avd, row, shortfalls))
    ctx = {
        "nuts": nuts,
        "year": year,
        "years": _years(deltaganden),
        "maturity": maturity,
        "vms": vms,
        "matrix": matrix,
        "area_ataganden": annotate(commitments.filter(avdelning__isnull=True)),
        "can_write": Atagande(nuts_omrade=nuts, year=year).may_write(scope),
        "in_project": deltagande is not None,
    }
    return render(request, "mal/omrade_ar.html", ctx)


def nationellt(request, year):
    year_or_404(year)
    scope = scope_for(request.user)
    if not scope.reads_all:
        raise PermissionDenied("Den nationella översikten är för projektledningen och styrgruppen.")
    commitments = Atagande.objects.filter(year=year).select_related(
        "verksamhetsmal", "avdelning", "nuts_omrade"
    )
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = commitment_rows(annotate(commitments))
        return export(request, f"ataganden-nationellt-{year}", ROW_HEADER, rows)
    areas = list(NutsOmrade.objects.filter(deltaganden__isnull=False).distinct())
    participations = _participations()
    deltaganden = {d.nuts_omrade_id: d for d in participations if d.covers_year(year)}
    vms = [vm for _, pm_vms in _goals() for vm in pm_vms]
    # Counted in SQL (GROUP BY area and goal): building every commitment of the year with
    # its targets and actuals in Python took 300+ ms on ten years of data (docs/performance.md).
    cells = {
        (c["area"], c["verksamhetsmal_id"]): c
        for c in Atagande.objects.filter(year=year)
        .annotate(
            area=Coalesce("avdelning__nuts_omrade_id", "nuts_omrade_id"),
            progress=progress_subquery(),
        )
        .order_by()
        .values("area", "verksamhetsmal_id")
        .annotate(
            total=Count("pk"),
            approved=Count("pk", filter=Q(status=Atagande.Status.APPROVED)),
            mean=Avg("progress"),
        )
    }
    matrix = []
    for area in areas:
        row = []
        for vm in vms:
            c = cells.get((area.pk, vm.pk), {"total": 0, "approved": 0, "mean": None})
            row.append({"total": c["total"], "approved": c["approved"], "pct": percent(c["mean"])})
        d = deltaganden.get(area.pk)
        matrix.append((area, d.maturity(year) if d else None, row))
    ctx = {
        "year": year,
        "years": _years(participations),
        "vms": vms,
        "matrix": matrix,
        "national": annotate(commitments.filter(avdelning__isnull=True, nuts_omrade__isnull=True)),
        "can_write": scope.is_project_leader,
    }
    return render(request, "mal/nationellt.html", ctx)


def indikatorer(request):
    """Target against actual per indicator over the years: sums over the approved
    commitments the user may see, targets and actuals alike (only approved commitments
    are followed up, so a draft's target has no actual to be set against)."""
    scope = scope_for(request.user)
    if not scope.reads_all:
        raise PermissionDenied("Tabellen är för projektledningen och styrgruppen.")
    visible = Atagande.objects.visible_to(scope).filter(status=Atagande.Status.APPROVED)
    targets = (
        Malvarde.objects.filter(atagande__in=visible)
        .values("indikator__name", "indikator__unit", "name", "unit", "atagande__year")
        .annotate(total=Sum("target"))
    )
    actuals = (
        Utfall.objects.filter(malvarde__atagande__in=visible, actual__isnull=False)
        .values(
            "malvarde__indikator__name",
            "malvarde__indikator__unit",
            "malvarde__name",
            "malvarde__unit",
            "uppfoljning__period__year",
            "uppfoljning__period__kind",
        )
        .annotate(total=Sum("actual"))
    )
    table = defaultdict(dict)
    years = set()
    for t in targets:
        key = (t["indikator__name"] or t["name"], t["unit"] or t["indikator__unit"] or "")
        table[key][(t["atagande__year"], "mal")] = t["total"]
        years.add(t["atagande__year"])
    for u in actuals:
        key = (
            u["malvarde__indikator__name"] or u["malvarde__name"],
            u["malvarde__unit"] or u["malvarde__indikator__unit"] or "",
        )
        year = u["uppfoljning__period__year"]
        table[key][(year, u["uppfoljning__period__kind"])] = u["total"]
        years.add(year)
    years = sorted(years)
    columns = [(y, k) for y in years for k in ("mal", "halvar", "helar")]
    labels = {"mal": "mål", "halvar": "halvår", "helar": "helår"}
    header = ["Indikator", "Enhet"] + [f"{y} {labels[k]}" for y, k in columns]
    rows = [
        [name, unit] + [values.get(c) for c in columns]
        for (name, unit), values in sorted(table.items())
    ]
    response = export(request, "malvarden-och-utfall", header, rows)
    if response:
        return response
    return render(request, "mal/indikatorer.html", {"header": header, "rows": rows})


def granskning(request):
    """The review queue: submitted commitments this user may approve or return."""
    scope = scope_for(request.user)
    if not scope.reviews_commitments:
        raise PermissionDenied("Granskningen är för samordnare och projektledaren.")
    ataganden = annotate(
        Atagande.objects.awaiting_review(scope)
        .select_related("verksamhetsmal", "avdelning", "nuts_omrade")
        .order_by("submitted_at", "pk")
    )
    response = export(request, "granskning", ROW_HEADER, commitment_rows(ataganden))
    if response:
        return response
    return render(request, "mal/granskning.html", {"ataganden": ataganden})


# --- one commitment ---------------------------------------------------------------------


def atagande(request, pk):
    a = get_atagande_or_404(request.user, pk)
    scope = scope_for(request.user)
    annotate([a])
    periods = Uppfoljningsperiod.objects.filter(year=a.year)
    done = {uf.period_id: uf for uf in a.uppfoljningar.prefetch_related("utfall")}
    ctx = {
        "a": a,
        "can_edit": a.can_edit(scope),
        "can_submit": a.can_submit(scope),
        "can_review": a.can_return(scope),
        "can_approve": a.can_approve(scope),
        "approve_refusal": a.approve_refusal(scope),
        "can_reopen": a.can_reopen(scope),
        "can_follow_up": a.can_follow_up(scope),
        "can_comment": a.may_write(scope) or a.may_review(scope),
        "can_attach": a.may_write(scope),
        "periods": [
            (p, done.get(p.pk), p.is_open_for(a.avdelning_id), p.open_until(a.avdelning_id))
            for p in periods
        ],
        "kommentarer": a.kommentarer.all(),
        "bilagor": a.bilagor.all(),
        "note_form": NoteForm(),
        "bilaga_form": BilagaForm(),
    }
    return render(request, "mal/atagande.html", ctx)


def _owner(request, kind, key):
    """(avdelning, nuts_omrade) of a new commitment, checked for write access."""
    if kind == "avdelning":
        return get_avdelning_or_404(request.user, key, write=True), None
    if kind == "omrade":
        return None, get_nuts_or_404(request.user, key, write=True)
    if not scope_for(request.user).is_project_leader:
        raise PermissionDenied("Bara projektledaren skriver nationella åtaganden.")
    return None, None


def _form_page(request, a, creating):
    form = AtagandeForm(request.POST or None, instance=a)
    formset = MalvardeFormSet(request.POST or None, instance=a, prefix="malvarden")
    twin = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        obj = form.save(commit=False)
        keep = [
            f.instance for f in formset.forms if f.has_changed() and f not in formset.deleted_forms
        ]
        keep = [m for m in keep if m.indikator_id or m.name]
        removed = [f.instance for f in formset.deleted_forms if f.instance.pk]
        try:
            services.atagande_save(
                atagande=obj,
                malvarden=keep,
                removed=removed,
                user=request.user,
                expected_version=form.cleaned_data.get("version") or 0,
                request=request,
            )
        except ConflictError as e:
            messages.error(request, str(e))
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, errs in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, e)
            # Sent twice (a double click, a second tab): the page links to the one saved.
            twin = obj.twin()
        else:
            messages.success(request, "Åtagandet är sparat.")
            return redirect(obj)
    return render(
        request,
        "mal/atagande_form.html",
        {"form": form, "formset": formset, "a": a, "creating": creating, "twin": twin},
    )


def atagande_ny(request, kind, key, year):
    year_or_404(year)
    avdelning, nuts = _owner(request, kind, key)
    a = Atagande(avdelning=avdelning, nuts_omrade=nuts, year=year)
    if request.method == "GET" and request.GET.get("mal"):
        a.verksamhetsmal_id = request.GET["mal"] if request.GET["mal"].isdigit() else None
    return _form_page(request, a, creating=True)


def atagande_ny_avdelning(request, pk, year):
    return atagande_ny(request, "avdelning", pk, year)


def atagande_ny_omrade(request, code, year):
    return atagande_ny(request, "omrade", code, year)


def atagande_ny_nationellt(request, year):
    return atagande_ny(request, "nationell", None, year)


def atagande_andra(request, pk):
    a = get_atagande_or_404(request.user, pk)
    scope = scope_for(request.user)
    if not a.may_write(scope):
        raise PermissionDenied("Du kan läsa men inte ändra det här åtagandet.")
    if not a.is_editable_status:
        messages.error(
            request, f"Åtagandet är {a.get_status_display().lower()} och kan inte ändras."
        )
        return redirect(a)
    return _form_page(request, a, creating=False)


def _act(request, pk, fn, ok, **kwargs):
    a = get_atagande_or_404(request.user, pk)
    version = request.POST.get("version")
    try:
        fn(
            atagande=a,
            user=request.user,
            expected_version=int(version) if version and version.isdigit() else a.version,
            request=request,
            **kwargs,
        )
    except (ValidationError, ConflictError) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, ok)
    return redirect(a)


@require_POST
def atagande_skicka(request, pk):
    return _act(request, pk, services.atagande_submit, "Åtagandet är inskickat för granskning.")


@require_POST
def atagande_godkann(request, pk):
    a = get_atagande_or_404(request.user, pk)
    refusal = a.approve_refusal(scope_for(request.user))
    if refusal:  # four eyes: asked here for a clear message, and again in the service
        messages.error(request, refusal)
        return redirect(a)
    note = request.POST.get("note", "")
    return _act(request, pk, services.atagande_approve, "Åtagandet är godkänt.", note=note)


@require_POST
def atagande_returnera(request, pk):
    note = request.POST.get("note", "")
    return _act(request, pk, services.atagande_return, "Åtagandet är återsänt.", note=note)


@require_POST
def atagande_oppna(request, pk):
    reason = request.POST.get("note", "")
    return _act(request, pk, services.atagande_reopen, "Åtagandet är öppnat igen.", reason=reason)


def _nothing_left(source, year):
    if source is None:
        return "Det finns inga åtaganden från tidigare år att utgå från."
    return f"Alla åtaganden från {source} finns redan {year}; det finns inget kvar att kopiera."


def atagande_kopiera(request, pk, year):
    """Start from the latest earlier year's commitments: the board ticks which to copy."""
    year_or_404(year)
    avd = get_avdelning_or_404(request.user, pk, write=True)
    source, candidates = services.copy_candidates(year=year, avdelning=avd)
    if request.method == "POST":
        if not candidates:
            messages.info(request, _nothing_left(source, year))
            return redirect("mal:avdelning_ar", avd.pk, year)
        ids = {int(v) for v in request.POST.getlist("atagande") if v.isdigit()}
        if not ids:
            messages.error(request, "Kryssa i de åtaganden du vill utgå från.")
            return redirect("mal:kopiera", avd.pk, year)
        try:
            created = services.atagande_copy_last_year(
                user=request.user, year=year, avdelning=avd, ids=ids, request=request
            )
        except ValidationError as e:
            messages.error(request, _errors(e))
            return redirect("mal:kopiera", avd.pk, year)
        n = len(created)
        messages.success(
            request,
            f"{n} åtagande{pluralize(n, 'n')} kopierades från {source} som utkast, med "
            f"{source} års utfall som utgångsläge.",
        )
        return redirect("mal:avdelning_ar", avd.pk, year)
    ctx = {"avdelning": avd, "year": year, "source": source, "candidates": candidates}
    return render(request, "mal/kopiera.html", ctx)


@require_POST
def kommentar(request, pk):
    a = get_atagande_or_404(request.user, pk)
    try:
        services.kommentar_add(
            atagande=a, user=request.user, text=request.POST.get("note", ""), request=request
        )
    except ValidationError as e:
        messages.error(request, _errors(e))
    return redirect(reverse("mal:atagande", args=[a.pk]) + "#kommentarer")


@require_POST
def bilaga_ny(request, pk):
    a = get_atagande_or_404(request.user, pk)
    if not a.may_write(scope_for(request.user)):
        raise PermissionDenied("Du kan inte lägga till bilagor här.")
    form = BilagaForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Välj en fil att ladda upp.")
        return redirect(a)
    try:
        services.bilaga_add(
            atagande=a, upload=form.cleaned_data["file"], user=request.user, request=request
        )
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, "Bilagan är sparad.")
    return redirect(a)


def bilaga(request, pk, bid):
    a = get_atagande_or_404(request.user, pk)
    b = get_object_or_404(a.bilagor, pk=bid)
    handelse_record(
        user=request.user,
        action=Handelse.Action.DOWNLOAD,
        obj=b,
        nuts_omrade_id=a.area_id,
        avdelning_id=a.avdelning_id,
        request=request,
    )
    return FileResponse(b.file.open("rb"), as_attachment=True, filename=b.original_name)


@require_POST
def bilaga_bort(request, pk, bid):
    a = get_atagande_or_404(request.user, pk)
    b = get_object_or_404(a.bilagor, pk=bid)
    services.bilaga_delete(bilaga=b, user=request.user, request=request)
    messages.success(request, "Bilagan är borttagen.")
    return redirect(a)


LOCKED_MESSAGE = (
    "Någon annan sparade samma uppföljning samtidigt, så din sparades inte. Öppna "
    "uppföljningen igen: du ser då vad som sparades och kan göra om din ändring."
)


def _conflict_on_lock(view):
    """A write that meets another one's lock (SQLite locks the database, or a table in
    the test suite's shared in-memory database, while one writer commits) is a conflict
    to tell the user about, not a 500 (issue 13 #19). PostgreSQL's row locks wait, and
    the unique constraint there is already a ConflictError in the service."""

    def wrapped(request, pk, *args, **kwargs):
        try:
            return view(request, pk, *args, **kwargs)
        except OperationalError as e:
            if "locked" not in str(e):
                raise
            messages.error(request, LOCKED_MESSAGE)
            return redirect("mal:atagande", pk)

    return wrapped


@_conflict_on_lock
def uppfoljning(request, pk, period_pk):
    a = get_atagande_or_404(request.user, pk)
    period = get_object_or_404(Uppfoljningsperiod, pk=period_pk, year=a.year)
    scope = scope_for(request.user)
    if not a.may_write(scope):
        raise PermissionDenied("Du kan läsa men inte följa upp det här åtagandet.")
    targets = list(a.malvarden.select_related("indikator"))
    uf = a.uppfoljningar.filter(period=period).first()
    utfall = {u.malvarde_id: u for u in uf.utfall.all()} if uf else {}
    initial = {"status": uf.status, "comment": uf.comment, "version": uf.version} if uf else {}
    form = UppfoljningForm(request.POST or None, targets=targets, utfall=utfall, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.uppfoljning_save(
                atagande=a,
                period=period,
                status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
                values=form.values(),
                user=request.user,
                expected_version=form.cleaned_data.get("version") or 0,
                request=request,
            )
        except ConflictError as e:
            messages.error(request, str(e))
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"Uppföljningen för {period} är sparad.")
            return redirect(a)
    ctx = {
        "a": a,
        "period": period,
        "form": form,
        "open": period.is_open_for(a.avdelning_id),
        "open_until": period.open_until(a.avdelning_id),
    }
    return render(request, "mal/uppfoljning.html", ctx)


def historik(request, pk):
    a = get_atagande_or_404(request.user, pk)
    handelser = Handelse.objects.filter(
        model=Atagande._meta.label, object_id=str(a.pk)
    ).select_related("user__person")
    return render(request, "mal/historik.html", {"a": a, "rows": trail.rows(handelser)})


def start_redirect(request):
    """/mal/: the user's most relevant page for this year."""
    scope = scope_for(request.user)
    year = timezone.localdate().year
    if scope.reads_all:
        return redirect("mal:nationellt", year)
    if scope.coordinated_nuts_ids:
        nuts = NutsOmrade.objects.filter(pk__in=scope.coordinated_nuts_ids).order_by("code").first()
        return redirect("mal:omrade_ar", nuts.code, year)
    if scope.avdelning_ids:
        return redirect("mal:avdelning_ar", min(scope.avdelning_ids), year)
    raise PermissionDenied("Du har inget uppdrag i projektet.")


# --- import -------------------------------------------------------------------------


def _check_may_import(user):
    if not scope_for(user).imports_commitments:
        raise PermissionDenied("Du kan inte importera åtaganden.")


def import_mall(request):
    _check_may_import(request.user)
    response = HttpResponse(importer.template_bytes(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="atagandemall.xlsx"'
    return response


def import_page(request):
    """Upload → preview with per-row errors → confirm; saving is all-or-nothing."""
    _check_may_import(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx = {"form": form, "headers": importer.HEADERS}
    if request.method != "POST":
        return render(request, "mal/import.html", ctx)
    if "confirm" in request.POST:
        try:
            _plan, created = imports.confirm(
                request, kind="mal", importer=importer, token=request.POST.get("token")
            )
        except ValidationError as e:
            plan = getattr(e, "plan", None)
            if plan is not None and plan.errors:
                form = ImportForm()
                ctx.update({"form": form, "plan": plan, "preview": True})
                return render(request, "mal/import.html", ctx)
            messages.error(request, _errors(e))
            return redirect("mal:import")
        what = "nytt åtagande" if created == 1 else "nya åtaganden"
        messages.success(request, f"Importen är klar: {created} {what}.")
        return redirect("mal:import")
    if not form.is_valid():
        return render(request, "mal/import.html", ctx)
    try:
        result = imports.preview(
            request, kind="mal", importer=importer, upload=form.cleaned_data["file"]
        )
    except ValidationError as e:
        form.add_error("file", e)
        return render(request, "mal/import.html", ctx)
    ctx.update({"plan": result.plan, "token": result.token, "preview": True})
    return render(request, "mal/import.html", ctx)


@require_POST
def period_oppna(request, pk, period_pk):
    """The project leader opens a closed period for the commitment's department."""
    a = get_atagande_or_404(request.user, pk)
    period = get_object_or_404(Uppfoljningsperiod, pk=period_pk, year=a.year)
    if not scope_for(request.user).is_project_leader or not a.avdelning_id:
        raise PermissionDenied("Bara projektledaren kan öppna en stängd period för en avdelning.")
    try:
        until = datetime.date.fromisoformat(request.POST.get("open_until", ""))
    except ValueError:
        messages.error(request, "Ange ett datum (ÅÅÅÅ-MM-DD).")
        return redirect(a)
    try:
        services.period_open(
            period=period,
            avdelning=a.avdelning,
            open_until=until,
            reason=request.POST.get("reason", ""),
            user=request.user,
            request=request,
        )
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, f"{period} är öppen för {a.avdelning} till och med {until}.")
    return redirect(a)


RiktlinjeFormSet = modelformset_factory(
    Mognadsriktlinje, fields=["maturity", "projektmal", "min_commitments"], extra=3, can_delete=True
)


def riktlinjer(request):
    """Maturity guidance: the project leader sets it, everyone with a role reads it."""
    scope = scope_for(request.user)
    if not scope.has_any_role:
        raise PermissionDenied("Du har inget uppdrag i projektet.")
    formset = RiktlinjeFormSet(request.POST or None, queryset=Mognadsriktlinje.objects.all())
    if request.method == "POST":
        if not scope.is_project_leader:
            raise PermissionDenied("Bara projektledaren ändrar riktlinjerna.")
        if formset.is_valid():
            formset_save_recorded(formset, user=request.user, request=request)
            messages.success(request, "Riktlinjerna är sparade.")
            return redirect("mal:riktlinjer")
    ctx = {
        "formset": formset,
        "can_edit": scope.is_project_leader,
        "rows": Mognadsriktlinje.objects.select_related("projektmal"),
    }
    return render(request, "mal/riktlinjer.html", ctx)

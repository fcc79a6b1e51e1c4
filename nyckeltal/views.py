"""A department's key figures: every year at a glance, one year with its form, and the
import. Each view states its right at its top; the service asks again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from avdelningar.access import get_avdelning_or_404, require, scope_for
from filer import imports
from filer.exports import XLSX_TYPE
from historik.models import Handelse
from historik.services import ConflictError

from . import importer, services
from .forms import LABELS, ImportForm, NyckeltalForm
from .models import COUNTED_THIS_YEAR, ENTERED, Nyckeltal, Pilot, entry_years
from .reporting import FIGURES, SOURCES, key_figures


def get_avdelning_year_or_404(user, pk, year, *, write=False):
    """(department, may edit, area in the project that year): 404 for a foreign
    department or a year without figures, 403 (write) when the user may read but not
    enter them."""
    if year not in entry_years():
        raise Http404("Året har inga nyckeltal.")
    avdelning = get_avdelning_or_404(user, pk)
    in_pilot = Pilot().covers(avdelning.nuts_omrade_id, year)
    can_edit = scope_for(user).can_edit_nyckeltal(avdelning, in_pilot=in_pilot)
    if write and not can_edit:
        raise PermissionDenied(services.EDIT_DENIED)
    return avdelning, can_edit, in_pilot


# Where the labels' long compounds may break (a soft hyphen): on a phone the first column
# is narrow, and "Arbetsmarknadsansvarig" ran into the next one.
BREAKS = ["Arbetsmarknads", "kompetens", "örändrings", "samverkans", "Strukturfonds", "Arbets"]


def _breakable(label):
    for part in BREAKS:
        label = label.replace(part, part + "\u00ad")
    return label


def _rows(figures_by_year, years):
    return [
        {
            "figure": f,
            "label": _breakable(f.label),
            "values": [figures_by_year[y][f.key] for y in years],
        }
        for f in FIGURES
    ]


def avdelning(request, pk):
    """Every year's key figures of the department, newest first."""
    avd = get_avdelning_or_404(request.user, pk)
    years = list(reversed(entry_years()))
    figures = key_figures(years=years, avdelning_ids=[avd.pk])[avd.pk]
    pilot = Pilot()
    scope = scope_for(request.user)
    columns = [{"year": y, "in_pilot": pilot.covers(avd.nuts_omrade_id, y)} for y in years]
    ctx = {
        "avdelning": avd,
        "years": columns,
        "rows": _rows(figures, years),
        "can_edit_any": any(scope.can_edit_nyckeltal(avd, in_pilot=c["in_pilot"]) for c in columns),
    }
    return render(request, "nyckeltal/avdelning.html", ctx)


def ar(request, pk, year):
    """One year: the register's figures read-only, the entered ones in a form."""
    avd, can_edit, in_pilot = get_avdelning_year_or_404(
        request.user, pk, year, write=request.method == "POST"
    )
    current_year = year == timezone.localdate().year
    obj = Nyckeltal.objects.filter(avdelning=avd, year=year).select_related("updated_by").first()
    figures = key_figures(years=[year], avdelning_ids=[avd.pk])[avd.pk][year]
    # This year's workplaces and clubs are the register's count (the form checks with it).
    register = {k: figures[k] for k in COUNTED_THIS_YEAR} if current_year else {}
    form, status = None, 200
    if can_edit:
        form = NyckeltalForm(
            request.POST or None,
            current_year=current_year,
            register=register,
            initial=NyckeltalForm.initial_for(obj),
        )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.nyckeltal_save(
                    avdelning=avd,
                    year=year,
                    values=form.values(),
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Nyckeltalen för {year} är sparade.")
                return redirect("nyckeltal:ar", pk=avd.pk, year=year)
        status = 400
    ctx = {
        "avdelning": avd,
        "year": year,
        "years": list(reversed(entry_years())),
        "in_pilot": in_pilot,
        "current_year": current_year,
        "form": form,
        "obj": obj,
        "register": [
            {"figure": f, "value": figures[f.key], "source": SOURCES[f.key]}
            for f in FIGURES
            if f.key not in ENTERED or (current_year and f.key in register)
        ],
        "entered": [
            {"label": LABELS[k], "value": figures[k], "source": SOURCES[k]}
            for k in ENTERED
            if not (current_year and k in register)
        ],
        "history": _history(obj),
    }
    return render(request, "nyckeltal/ar.html", ctx, status=status)


HISTORY_SHOWN = 10


def _history(obj):
    """The year's latest changes as the department reads them: when, who, what."""
    if obj is None:
        return []
    rows = (
        Handelse.objects.filter(model=Nyckeltal._meta.label, object_id=str(obj.pk))
        .select_related("user__person")
        .order_by("-at", "-id")[:HISTORY_SHOWN]
    )
    return [
        {
            "at": h.at,
            "who": getattr(getattr(h.user, "person", None), "name", "") or h.username,
            "action": h.get_action_display(),
            "changes": [
                (LABELS.get(key, key), pair[0], pair[1])
                for key, pair in sorted(h.changes.items())
                if isinstance(pair, list) and len(pair) == 2
            ],
        }
        for h in rows
    ]


def import_mall(request):
    """The template, with last year's figures of the user's departments: an export."""
    require(scope_for(request.user).enters_key_figures, importer.IMPORT_REFUSAL)
    content = importer.template_bytes(user=request.user)
    services.nyckeltal_template_record(user=request.user, request=request)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="nyckeltalsmall.xlsx"'
    return response


def importera(request):
    """Upload → preview with each row's errors → confirm; saving is all or nothing."""
    require(scope_for(request.user).enters_key_figures, importer.IMPORT_REFUSAL)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx = {"form": form, "headers": importer.HEADERS}
    if request.method != "POST":
        return render(request, "nyckeltal/import.html", ctx)
    if "confirm" in request.POST:
        return _confirm(request, ctx)
    if not form.is_valid():
        return render(request, "nyckeltal/import.html", ctx, status=400)
    try:
        result = imports.preview(
            request, kind="nyckeltal", importer=importer, upload=form.cleaned_data["file"]
        )
    except ValidationError as e:
        form.add_error("file", e)
        return render(request, "nyckeltal/import.html", ctx, status=400)
    ctx.update({"plan": result.plan, "token": result.token, "preview": True})
    return render(request, "nyckeltal/import.html", ctx)


def _confirm(request, ctx):
    try:
        _plan, saved = imports.confirm(
            request, kind="nyckeltal", importer=importer, token=request.POST.get("token")
        )
    except ValidationError as e:
        plan = getattr(e, "plan", None)
        if plan is not None and plan.errors:
            ctx.update({"form": ImportForm(), "plan": plan, "preview": True})
            return render(request, "nyckeltal/import.html", ctx, status=400)
        messages.error(request, " ".join(e.messages))
        return redirect("nyckeltal:import")
    messages.success(request, f"Importen är klar: nyckeltal för {saved} år sparade.")
    return redirect("nyckeltal:import")

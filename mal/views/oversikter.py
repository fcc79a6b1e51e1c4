"""The overviews: a department's, an area's and the national year, the indicator table
and the review queue, each also as CSV or XLSX (?format=). The figures come from
mal.overview; these views check the right, export or render."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from avdelningar.access import get_avdelning_or_404, get_nuts_or_404, require, scope_for
from avdelningar.models import NutsOmrade
from avdelningar.years import year_or_404
from filer.exports import csv_response, xlsx_response

from .. import overview, services
from ..models import Atagande
from ..overview import ROW_HEADER, commitment_rows
from ..progress import annotate

EXPORT_FORMATS = ("csv", "xlsx")
NATIONAL_REFUSAL = "Den nationella översikten är för projektledningen och styrgruppen."
NO_ROLE_REFUSAL = "Du har inget uppdrag i projektet."


def _wants_export(request):
    return request.GET.get("format") in EXPORT_FORMATS


def export(request, filename, header, rows):
    """The page's rows as CSV or XLSX when ?format= asks for it, recorded in the trail."""
    fmt = request.GET.get("format")
    if fmt not in EXPORT_FORMATS:
        return None
    services.atagande_export_record(
        user=request.user, filename=f"{filename}.{fmt}", request=request
    )
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, [(filename, header, rows)])


def start(request):
    """/mal/: the user's most relevant page for this year."""
    scope = scope_for(request.user)
    require(scope.has_any_role, NO_ROLE_REFUSAL)
    year = timezone.localdate().year
    if scope.reads_all:
        return redirect("mal:nationellt", year)
    if scope.coordinated_nuts_ids:
        nuts = NutsOmrade.objects.filter(pk__in=scope.coordinated_nuts_ids).order_by("code").first()
        return redirect("mal:omrade_ar", nuts.code, year)
    if scope.avdelning_ids:
        return redirect("mal:avdelning_ar", min(scope.avdelning_ids), year)
    raise PermissionDenied(NO_ROLE_REFUSAL)  # a role with no page here


def avdelning_ar(request, pk, year):
    year_or_404(year)
    avd = get_avdelning_or_404(request.user, pk)
    ataganden = overview.department_commitments(avdelning=avd, year=year)
    response = export(request, f"ataganden-{avd.pk}-{year}", ROW_HEADER, commitment_rows(ataganden))
    if response:
        return response
    ctx = {
        "avdelning": avd,
        "year": year,
        **overview.department_year(avdelning=avd, year=year, ataganden=ataganden),
        "can_write": Atagande(avdelning=avd, year=year).may_write(scope_for(request.user)),
        "copy_from": services.copy_source(year=year, avdelning=avd),
    }
    return render(request, "mal/avdelning_ar.html", ctx)


def omrade_ar(request, code, year):
    year_or_404(year)
    nuts = get_nuts_or_404(request.user, code)
    scope = scope_for(request.user)
    avdelningar = list(scope.visible_avdelningar().filter(nuts_omrade=nuts))
    commitments = overview.area_commitments(nuts=nuts, avdelningar=avdelningar, year=year)
    if _wants_export(request):
        rows = commitment_rows(annotate(commitments))
        return export(request, f"ataganden-{code}-{year}", ROW_HEADER, rows)
    ctx = {
        "nuts": nuts,
        "year": year,
        **overview.area_year(
            nuts=nuts, avdelningar=avdelningar, year=year, commitments=commitments
        ),
        "can_write": Atagande(nuts_omrade=nuts, year=year).may_write(scope),
    }
    return render(request, "mal/omrade_ar.html", ctx)


def nationellt(request, year):
    year_or_404(year)
    scope = scope_for(request.user)
    require(scope.reads_all, NATIONAL_REFUSAL)
    commitments = overview.national_commitments(year=year)
    if _wants_export(request):
        rows = commitment_rows(annotate(commitments))
        return export(request, f"ataganden-nationellt-{year}", ROW_HEADER, rows)
    ctx = {
        "year": year,
        **overview.national_year(year=year, commitments=commitments),
        "can_write": scope.is_project_leader,
    }
    return render(request, "mal/nationellt.html", ctx)


def indikatorer(request):
    """Target against actual per indicator over the years (overview.indicator_table)."""
    scope = scope_for(request.user)
    require(scope.reads_all, "Tabellen är för projektledningen och styrgruppen.")
    header, rows = overview.indicator_table(scope=scope)
    response = export(request, "malvarden-och-utfall", header, rows)
    if response:
        return response
    return render(request, "mal/indikatorer.html", {"header": header, "rows": rows})


def granskning(request):
    """The review queue: submitted commitments this user may approve or return."""
    scope = scope_for(request.user)
    require(scope.reviews_commitments, "Granskningen är för samordnare och projektledaren.")
    ataganden = overview.review_queue(scope=scope)
    response = export(request, "granskning", ROW_HEADER, commitment_rows(ataganden))
    if response:
        return response
    return render(request, "mal/granskning.html", {"ataganden": ataganden})

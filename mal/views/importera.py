"""Importing commitments from the spreadsheet template: the template, then upload →
preview with each row's errors → confirm. The file is kept and read again by
filer.imports; mal.importer checks and saves the rows (all or nothing)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from avdelningar.access import require, scope_for
from filer import imports
from filer.exports import XLSX_TYPE

from .. import importer
from ..forms import ImportForm


def import_mall(request):
    require(scope_for(request.user).imports_commitments, importer.IMPORT_REFUSAL)
    response = HttpResponse(importer.template_bytes(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="atagandemall.xlsx"'
    return response


def importera(request):
    """Upload → preview with per-row errors → confirm; saving is all-or-nothing."""
    require(scope_for(request.user).imports_commitments, importer.IMPORT_REFUSAL)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx = {"form": form, "headers": importer.HEADERS}
    if request.method != "POST":
        return render(request, "mal/import.html", ctx)
    if "confirm" in request.POST:
        return _confirm(request, ctx)
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


def _confirm(request, ctx):
    try:
        _plan, created = imports.confirm(
            request, kind="mal", importer=importer, token=request.POST.get("token")
        )
    except ValidationError as e:
        plan = getattr(e, "plan", None)
        if plan is not None and plan.errors:
            ctx.update({"form": ImportForm(), "plan": plan, "preview": True})
            return render(request, "mal/import.html", ctx)
        messages.error(request, " ".join(e.messages))
        return redirect("mal:import")
    what = "nytt åtagande" if created == 1 else "nya åtaganden"
    messages.success(request, f"Importen är klar: {created} {what}.")
    return redirect("mal:import")

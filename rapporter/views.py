from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from avdelningar.access import require, scope_for
from avdelningar.models import Deltagande, NutsOmrade
from avdelningar.years import year_or_404
from filer.exports import csv_response, xlsx_response
from historik.services import ConflictError

from . import kostnad as kostnad_module
from . import render as report_render
from . import services
from .forms import BerattelseForm, BeslutForm, CompileForm, KostnadForm
from .models import Berattelse, Beslut, Kostnad, Rapportversion


def _years():
    return services.report_years() or [timezone.localdate().year]


def _year_param(request):
    """?ar=: a year of the project (404 outside it); last year when missing or not a number."""
    value = request.GET.get("ar", "")
    if not (value.isascii() and value.lstrip("-").isdecimal()):
        return timezone.localdate().year - 1
    # A length cap before int(): a number too long to be a year needs no conversion.
    return year_or_404(int(value) if len(value) <= 6 else None)


def _get_version_or_404(user, pk):
    """The version if the user may read it; 404 otherwise (nothing says it exists)."""
    version = Rapportversion.objects.select_related("nuts_omrade", "approved_by").filter(pk=pk)
    version = version.first()
    if version is None or not version.visible_to(scope_for(user)):
        raise Http404("Rapporten finns inte.")
    return version


@require_safe
def rapport_lista(request):
    scope = scope_for(request.user)
    require(scope.sees_reports, services.REPORTS_DENIED)
    year = _year_param(request)
    form = None
    if scope.can_compile_reports:
        years = services.report_years()
        # What the year's report would miss, listed above the button (the whole project's:
        # an area's gaps are among them).
        gaps = services.rapport_readiness(year=year) if year in years else []
        form = CompileForm(
            initial={**_compile_initial(request, year), "gaps_year": year},
            years=years,
            gaps=gaps,
        )
    return _list_page(request, scope, year, form)


def _list_page(request, scope, year, form, status=200):
    """The year's versions and, for the project leader, the compile form with the gaps."""
    versions = (
        Rapportversion.objects.filter(year=year)
        .visible_to(scope)
        .select_related("nuts_omrade", "approved_by")
    )
    ctx = {"year": year, "years": _years(), "versions": versions, "form": form}
    if not versions:
        # An empty year (last year's report is compiled in January) points to the newest
        # year this reader has an approved report for, rather than leaving them to guess.
        ctx["latest_approved_year"] = (
            Rapportversion.objects.approved()
            .filter(year__lt=year)
            .visible_to(scope)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
    return render(request, "rapporter/list.html", ctx, status=status)


def _compile_initial(request, year):
    """The compile form's start: the year shown, and the edition and area of
    ?utgava=&omrade= (Rapportversion.compile_again_url, from a version sent back)."""
    initial = {"year": year, "edition": Rapportversion.Edition.STYRGRUPP}
    if request.GET.get("utgava") in Rapportversion.Edition.values:
        initial["edition"] = request.GET["utgava"]
    omrade = request.GET.get("omrade", "")
    if omrade.isascii() and omrade.isdecimal() and len(omrade) <= 9:
        initial["omrade"] = int(omrade)
    return initial


@require_POST
def rapport_sammanstall(request):
    scope = scope_for(request.user)
    require(scope.can_compile_reports, services.COMPILE_DENIED)
    form = CompileForm(request.POST, years=services.report_years())
    if not form.is_valid():
        if form.gaps_unconfirmed:
            # The page again, with the gaps of the year and area chosen, now to be confirmed.
            year = form.cleaned_data["year"]
            form.data = form.data.copy()
            form.data["gaps_year"] = year
            return _list_page(request, scope, year, form, status=400)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("rapporter:list")
    year = form.cleaned_data["year"]
    try:
        version = services.rapport_request(
            year=year,
            nuts_omrade=form.cleaned_data["omrade"],
            edition=form.cleaned_data["edition"],
            user=request.user,
            request=request,
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('rapporter:list')}?ar={year}")
    messages.info(request, f"{version} är beställd. Sidan visar hur det går.")
    return redirect(version)


@require_safe
def rapport_detalj(request, pk):
    version = _get_version_or_404(request.user, pk)
    return _render_detail(request, version)


def _render_detail(request, version, *, beslut_form=None, status=200):
    """The version's page: the report, its downloads, and what the reader may do with it
    (decide on it, withdraw it, compile it again when it was sent back)."""
    scope = scope_for(request.user)
    body = ""
    if version.status == Rapportversion.Status.DONE:
        # A finished version's snapshot never changes, so its HTML (100+ ms for a whole
        # project) is rendered once per approval state and kept in the cache (a decision
        # on any version of the report drops it: services._forget_report_pages).
        body = cache.get_or_set(
            report_render.html_cache_key(version),
            lambda: report_render.render_html(version),
            timeout=24 * 3600,
        )
        services.rapport_read_record(
            version=version, user=request.user, what="HTML", request=request
        )
    decision = Beslut.objects.filter(version=version).first()
    can_decide = (
        scope.can_approve_reports
        and version.status == Rapportversion.Status.DONE
        and not version.is_approved
        and decision is None
    )
    if can_decide and beslut_form is None:
        beslut_form = BeslutForm(version=version, initial={"meeting_date": timezone.localdate()})
    ctx = {
        "v": version,
        "body": body,
        "decision": decision,
        "beslut_form": beslut_form,
        "can_compile_again": scope.can_compile_reports
        and decision is not None
        and decision.is_return,
        "can_withdraw": scope.can_withdraw_reports
        and not version.is_approved
        and version.status != Rapportversion.Status.WITHDRAWN,
    }
    return render(request, "rapporter/detail.html", ctx, status=status)


@require_safe
def rapport_status(request, pk):
    version = _get_version_or_404(request.user, pk)
    polling = request.headers.get("HX-Request")
    if polling and not version.is_finished and request.GET.get("steg") == version.step_key:
        # Nothing new since the page's last poll: no swap, so a screen reader is not read
        # the same status again every two seconds.
        return HttpResponse(status=204)
    response = render(request, "rapporter/_status.html", {"v": version})
    if version.is_finished and polling:
        # Done or failed: reload the whole page so it shows the report (or the reason).
        response["HX-Refresh"] = "true"
    return response


def _download(request, version, field, content_type):
    f = getattr(version, field)
    if version.status != Rapportversion.Status.DONE or not f:
        raise Http404("Filen finns inte.")
    services.rapport_read_record(
        version=version, user=request.user, what=field.upper(), request=request
    )
    name = f"{version.title} v{version.number}.{field}".replace(",", "")
    return FileResponse(f.open("rb"), as_attachment=True, filename=name, content_type=content_type)


@require_safe
def rapport_pdf(request, pk):
    version = _get_version_or_404(request.user, pk)
    return _download(request, version, "pdf", "application/pdf")


@require_safe
def rapport_xlsx(request, pk):
    version = _get_version_or_404(request.user, pk)
    return _download(
        request,
        version,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_POST
def rapport_godkann(request, pk):
    version = _get_version_or_404(request.user, pk)
    require(scope_for(request.user).can_approve_reports, services.APPROVE_DENIED)
    try:
        services.rapport_approve(version=version, user=request.user, request=request)
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{version} är godkänd och låst.")
    return redirect(version)


@require_POST
def rapport_beslut(request, pk):
    version = _get_version_or_404(request.user, pk)
    require(scope_for(request.user).can_approve_reports, services.DECIDE_DENIED)
    form = BeslutForm(request.POST, version=version)
    if not form.is_valid():
        return _render_detail(request, version, beslut_form=form, status=400)
    try:
        beslut = services.rapport_decide(
            version=version, user=request.user, request=request, **form.cleaned_data
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        if beslut.is_return:
            messages.success(request, f"{version} är skickad tillbaka till projektledaren.")
        else:
            messages.success(request, f"{version} är godkänd och låst.")
    return redirect(version)


@require_POST
def rapport_aterkalla(request, pk):
    version = _get_version_or_404(request.user, pk)
    require(scope_for(request.user).can_withdraw_reports, services.WITHDRAW_DENIED)
    try:
        services.rapport_withdraw(version=version, user=request.user, request=request)
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{version} är återkallad.")
    return redirect(version)


def berattelse(request, year):
    year_or_404(year)
    scope = scope_for(request.user)
    require(scope.writes_narratives, services.NARRATIVES_DENIED)
    participating = Deltagande.objects.nuts_ids(year)
    areas = NutsOmrade.objects.filter(pk__in=participating)
    if not scope.is_project_leader:
        areas = areas.filter(pk__in=scope.coordinated_nuts_ids)
    texts = {b.nuts_omrade_id: b for b in Berattelse.objects.filter(year=year)}
    posted = None
    if request.method == "POST":
        posted = BerattelseForm(request.POST)
        code = request.POST.get("omrade", "")
        # Matched in Python: a posted NUL would be a server error in a database lookup.
        nuts = next((n for n in areas if n.code == code), None) if code else None
        if code and nuts is None:
            raise Http404("Området finns inte.")
        require(scope.can_edit_narrative(nuts.pk if nuts else None), services.NARRATIVE_DENIED)
        if posted.is_valid():
            try:
                services.berattelse_save(
                    year=year,
                    nuts_omrade=nuts,
                    user=request.user,
                    expected_version=posted.cleaned_data["version"],
                    text=posted.cleaned_data["text"],
                    request=request,
                )
            except ConflictError as exc:
                posted.add_error(None, exc.message)
            else:
                messages.success(request, "Texten är sparad.")
                return redirect("rapporter:berattelse", year=year)

    def form_for(nuts):
        key = nuts.pk if nuts else None
        code = nuts.code if nuts else ""
        if posted is not None and request.POST.get("omrade", "") == code:
            return posted
        b = texts.get(key)
        return BerattelseForm(
            initial={"text": b.text if b else "", "omrade": code, "version": b.version if b else 0}
        )

    sections = [
        {
            "title": "Samlad bedömning (projektledaren)",
            "nuts": None,
            "form": form_for(None),
            "editable": scope.can_edit_narrative(None),
        }
    ] + [
        {
            "title": f"{n.code} {n.name} (samordnaren)",
            "nuts": n,
            "form": form_for(n),
            "editable": scope.can_edit_narrative(n.pk),
        }
        for n in areas
    ]
    status = 400 if posted is not None else 200
    return render(
        request,
        "rapporter/berattelse.html",
        {"year": year, "years": _years(), "sections": sections},
        status=status,
    )


def _allocation_for(scope, year):
    """The year's allocation as the user may see it: a coordinator, their areas' rows."""
    allocation = kostnad_module.allocate(year=year)
    if not scope.sees_all_costs:
        allocation["rows"] = kostnad_module.rows_for(allocation, scope.coordinated_nuts_ids)
    return allocation


def kostnad(request, year):
    year_or_404(year)
    scope = scope_for(request.user)
    require(scope.sees_costs, services.COSTS_DENIED)
    if request.method == "POST":
        require(scope.can_edit_costs, services.COSTS_EDIT_DENIED)
    allocation = _allocation_for(scope, year)
    obj = Kostnad.objects.filter(year=year).first()
    form = None
    status = 200
    if request.method == "POST":
        form = KostnadForm(request.POST)
        if form.is_valid():
            try:
                data = form.cleaned_data
                services.kostnad_save(
                    year=year,
                    user=request.user,
                    expected_version=data["version"],
                    coordinators=data["coordinators"],
                    project_leader=data["project_leader"],
                    other=data["other"],
                    request=request,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Kostnaderna för {year} är sparade.")
                return redirect("rapporter:kostnad", year=year)
        status = 400
    elif scope.can_edit_costs:
        form = KostnadForm(
            initial={
                "coordinators": obj.coordinators if obj else 0,
                "project_leader": obj.project_leader if obj else 0,
                "other": obj.other if obj else 0,
                "version": obj.version if obj else 0,
            }
        )
    ctx = {
        "year": year,
        "years": _years(),
        "a": allocation,
        "form": form,
        "show_national": scope.sees_all_costs,
    }
    return render(request, "rapporter/kostnad.html", ctx, status=status)


@require_safe
def kostnad_export(request, year, fmt):
    year_or_404(year)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Okänt format.")
    scope = scope_for(request.user)
    require(scope.sees_costs, services.COSTS_DENIED)
    allocation = _allocation_for(scope, year)
    header = ["Part", "NUTS", "Aktiva medlemmar 1 jan", "Andel av medlemmarna", "Belopp (kr)"]
    rows = [
        [r["avdelning"], r["nuts_code"], r["members"], r["share"], r["amount"]]
        for r in allocation["rows"]
    ]
    if scope.sees_all_costs:
        rows = [["IF Metall (förbundet)", "", None, None, allocation["national"]]] + rows
        rows.append(["Totalt", "", None, None, allocation["total"]])
    services.kostnad_export_record(year=year, user=request.user, fmt=fmt, request=request)
    name = f"kostnadsfordelning-{year}"
    if fmt == "csv":
        return csv_response(name, header, rows)
    return xlsx_response(name, [(f"Kostnader {year}", header, rows)])

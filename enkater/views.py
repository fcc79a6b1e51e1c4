"""Questionnaire pages. Each view states its right at its top (a ``get_*_or_404`` or
``require``); the services ask again. A questionnaire or answer the user may not see
answers 404; one they may read but not change answers 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from avdelningar.access import (
    builds_enkater,
    can_answer_enkat,
    can_see_enkatsvar,
    require,
    scope_for,
    sees_enkat_results,
)
from avdelningar.models import Avdelning, Deltagande, NutsOmrade
from historik.models import Handelse
from historik.services import ConflictError, handelse_record

from . import reporting, services
from .forms import AvsnittFormSet, EnkatForm, FragaFormSet, SendForm, SvarForm
from .models import Avsnitt, Enkat, Svar

RESULTS_DENIED = (
    "Andra avdelningars svar visas bara för projektledaren, styrgruppen och områdets samordnare."
)


def visible_enkater(user):
    """The questionnaires the user may open: all for the project leader; sent ones for
    the steering group, for coordinators with recipients in their area, and for the
    departments (areas) they were sent to."""
    scope = scope_for(user)
    qs = Enkat.objects.all()
    if builds_enkater(scope):
        return qs
    qs = qs.filter(status=Enkat.Status.SENT)
    if scope.is_steering_group:
        return qs
    mine = Svar.objects.filter(
        Q(nuts_omrade_id__in=scope.coordinated_nuts_ids) | Q(avdelning_id__in=scope.avdelning_ids)
    )
    return qs.filter(pk__in=mine.values("enkat_id"))


def get_enkat_or_404(user, pk, *, build=False):
    enkat = visible_enkater(user).filter(pk=pk).first()
    if enkat is None:
        raise Http404("Enkäten finns inte.")
    if build:
        require(builds_enkater(scope_for(user)), services.BUILD_DENIED)
    return enkat


def get_svar_or_404(user, pk, *, write=False):
    svar = (
        Svar.objects.select_related("enkat", "avdelning", "nuts_omrade", "submitted_by")
        .filter(pk=pk)
        .first()
    )
    scope = scope_for(user)
    if svar is None or not can_see_enkatsvar(scope, svar):
        raise Http404("Svaret finns inte.")
    if write and not can_answer_enkat(scope, svar):
        raise PermissionDenied(services.ANSWER_DENIED)
    return svar


def lista(request):
    """The questionnaires the user may open, newest year first, with the user's own
    answers to fill in."""
    scope = scope_for(request.user)
    enkater = list(
        visible_enkater(request.user).annotate(
            n_svar=Count("svar", distinct=True),
            n_inskickade=Count("svar", filter=Q(svar__status=Svar.Status.SUBMITTED), distinct=True),
        )
    )
    own = list(
        Svar.objects.filter(enkat__status=Enkat.Status.SENT)
        .filter(
            Q(avdelning_id__in=scope.avdelning_ids)
            | Q(avdelning__isnull=True, nuts_omrade_id__in=scope.coordinated_nuts_ids)
        )
        .select_related("enkat", "avdelning", "nuts_omrade")
        .order_by("-enkat__year", "enkat__deadline")
    )
    today = timezone.localdate()
    ctx = {
        "enkater": enkater,
        "own": [(s, s.enkat.is_open(today), can_answer_enkat(scope, s)) for s in own],
        "builds": builds_enkater(scope),
        "sees_counts": scope.is_project_leader or scope.is_steering_group,
    }
    return render(request, "enkater/lista.html", ctx)


def ny(request):
    """A new questionnaire (then its sections and questions)."""
    require(builds_enkater(scope_for(request.user)), services.BUILD_DENIED)
    form = EnkatForm(request.POST or None, initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in services.ENKAT_FIELDS}
            try:
                enkat = services.enkat_create(user=request.user, values=values, request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Enkäten är skapad. Lägg till avsnitt och frågor.")
                return redirect("enkater:avsnitt", pk=enkat.pk)
        status = 400
    return render(request, "enkater/enkat_form.html", {"form": form, "enkat": None}, status=status)


def enkat(request, pk):
    """The questionnaire: its questions, its recipients and how far they have come."""
    e = get_enkat_or_404(request.user, pk)
    scope = scope_for(request.user)
    avsnitt = list(e.avsnitt.prefetch_related("fragor"))
    svar = list(e.svar.select_related("avdelning", "nuts_omrade"))
    shown = [s for s in svar if can_see_enkatsvar(scope, s)]
    areas = sorted({s.nuts_omrade for s in svar}, key=lambda n: n.code)
    ctx = {
        "enkat": e,
        "avsnitt": avsnitt,
        "svar": [(s, can_answer_enkat(scope, s)) for s in shown],
        "hidden": len(svar) - len(shown),
        "builds": builds_enkater(scope),
        "sees_all": sees_enkat_results(scope, None),
        "areas": [n for n in areas if sees_enkat_results(scope, n.pk)],
        "is_open": e.is_open(),
        "locked": services.LOCKED_AFTER_SENDING,
        "copy_year": e.year + 1,
    }
    return render(request, "enkater/enkat.html", ctx)


def andra(request, pk):
    """Title, year, intro and deadline; once sent only the intro and the deadline."""
    e = get_enkat_or_404(request.user, pk, build=True)
    locked = services.LOCKED_AFTER_SENDING if e.is_sent else ()
    form = EnkatForm(request.POST or None, instance=e, locked=locked)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in services.ENKAT_FIELDS}
            try:
                services.enkat_update(
                    enkat=e,
                    user=request.user,
                    values=values,
                    expected_version=form.cleaned_data["version"] or 0,
                    request=request,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Enkäten är sparad.")
                return redirect(e)
        status = 400
    return render(request, "enkater/enkat_form.html", {"form": form, "enkat": e}, status=status)


def _structure(request, e, formset, template, ctx):
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            try:
                services.structure_save(
                    enkat=e, formset=formset, user=request.user, request=request
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                status = 400
            else:
                messages.success(request, "Ändringarna är sparade.")
                return redirect(request.path)
        else:
            status = 400
    return render(request, template, {**ctx, "enkat": e, "formset": formset}, status=status)


def avsnitt(request, pk):
    """The questionnaire's sections (a formset); each links to its questions."""
    e = get_enkat_or_404(request.user, pk, build=True)
    if e.is_sent:
        raise PermissionDenied(services.LOCKED)
    formset = AvsnittFormSet(request.POST or None, instance=e, prefix="avsnitt")
    return _structure(request, e, formset, "enkater/avsnitt.html", {})


def fragor(request, pk, avsnitt_pk):
    """One section's questions (a formset): text, help text, kind, options, required,
    order."""
    e = get_enkat_or_404(request.user, pk, build=True)
    section = get_object_or_404(Avsnitt, pk=avsnitt_pk, enkat=e)
    if e.is_sent:
        raise PermissionDenied(services.LOCKED)
    formset = FragaFormSet(request.POST or None, instance=section, prefix="fragor")
    if request.method == "POST":
        for form in formset.forms:
            form.instance.enkat = e
    sections = list(e.avsnitt.all())
    return _structure(
        request, e, formset, "enkater/fragor.html", {"section": section, "sections": sections}
    )


def skicka(request, pk):
    """Send it: to chosen departments' boards, or to chosen areas' coordinators."""
    e = get_enkat_or_404(request.user, pk, build=True)
    if e.is_sent:
        raise PermissionDenied("Enkäten är redan utskickad.")
    year = e.year
    pilot = Deltagande.objects.nuts_ids(year)
    avdelningar = Avdelning.objects.filter(nuts_omrade_id__in=pilot).select_related("nuts_omrade")
    areas = NutsOmrade.objects.filter(pk__in=pilot)
    form = SendForm(
        request.POST or None,
        avdelningar=avdelningar.order_by("nuts_omrade__code", "name"),
        areas=areas.order_by("code"),
        initial={"version": e.version},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                n = services.enkat_send(
                    enkat=e,
                    user=request.user,
                    recipients=form.cleaned_data["recipients"],
                    avdelningar=list(form.cleaned_data["avdelningar"]),
                    areas=list(form.cleaned_data["areas"]),
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Enkäten är utskickad till {n} mottagare.")
                return redirect(e)
        status = 400
    return render(request, "enkater/skicka.html", {"enkat": e, "form": form}, status=status)


@require_POST
def kopiera(request, pk):
    """A new draft for another year with this questionnaire's questions (same lineage)."""
    e = get_enkat_or_404(request.user, pk, build=True)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    if year is None or not 2000 <= year <= 2100:
        messages.error(request, "Ange ett år mellan 2000 och 2100.")
        return redirect(e)
    copy = services.enkat_copy(source=e, user=request.user, year=year, request=request)
    messages.success(request, f"Enkäten är kopierad till {year}. Den är ett utkast.")
    return redirect(copy)


def svar(request, pk):
    """A department's (or an area's) answer: a draft until submitted, editable until the
    deadline, read-only after it."""
    s = get_svar_or_404(request.user, pk, write=request.method == "POST")
    e = s.enkat
    scope = scope_for(request.user)
    fragor = list(e.fragor.select_related("avsnitt"))
    values = {v.fraga_id: v for v in s.varden.all()}
    is_open = e.is_open()
    editable = is_open and can_answer_enkat(scope, s)
    submitting = request.method == "POST" and "skicka" in request.POST
    form = SvarForm(
        request.POST or None,
        fragor=fragor,
        values=values,
        version=s.version,
        submitting=submitting or s.is_submitted,
        disabled=not editable,
    )
    status = 200
    if request.method == "POST" and not is_open:
        form.is_valid()
        form.add_error(None, services.CLOSED)
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            try:
                services.svar_save(
                    svar=s,
                    user=request.user,
                    values=form.values(),
                    submit=submitting,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    "Svaret är inskickat. Det kan ändras till och med sista dag."
                    if s.is_submitted
                    else "Utkastet är sparat. Skicka in svaret när det är klart.",
                )
                return redirect(s)
        status = 400
    ctx = {
        "svar": s,
        "enkat": e,
        "form": form,
        "editable": editable,
        "is_open": is_open,
        "may_answer": can_answer_enkat(scope, s),
    }
    return render(request, "enkater/svar.html", ctx, status=status)


def _area_or_404(user, e, code):
    """The area of a questionnaire's results: 404 if the user cannot see it or the
    questionnaire has no recipient there, 403 if they see it but not its answers."""
    scope = scope_for(user)
    area = NutsOmrade.objects.filter(code=code).first()
    if (
        area is None
        or not scope.can_see_nuts(area.pk)
        or not e.svar.filter(nuts_omrade=area).exists()
    ):
        raise Http404("Området finns inte.")
    require(sees_enkat_results(scope, area.pk), RESULTS_DENIED)
    return area


def _results_context(e, area):
    from . import charts

    data = reporting.results(e.pk, area.pk if area else None)
    n = 0
    for section in data["sections"]:
        for q in section["questions"]:
            n += 1
            q["chart"] = (
                charts.answer_counts(q, chart_id=f"diagram-fraga-{n}") if q["counts"] else None
            )
            q["texts_by_area"] = _group(q["texts"])
    return {"enkat": e, "area": area, "data": data}


def _group(texts):
    out = []
    for t in texts:
        if not out or out[-1][0] != t["area"]:
            out.append((t["area"], []))
        out[-1][1].append(t)
    return out


def resultat(request, pk, code=None):
    """The results: overall (project leader, steering group) or one area's (also its
    coordinator): a chart and table per question, the free text grouped by area."""
    e = get_enkat_or_404(request.user, pk)
    if code is None:
        require(sees_enkat_results(scope_for(request.user), None), RESULTS_DENIED)
        area = None
    else:
        area = _area_or_404(request.user, e, code)
    return render(request, "enkater/resultat.html", _results_context(e, area))


def resultat_pdf(request, pk, code=None):
    """The results as the meeting's printable material (WeasyPrint, like the report)."""
    e = get_enkat_or_404(request.user, pk)
    if code is None:
        require(sees_enkat_results(scope_for(request.user), None), RESULTS_DENIED)
        area = None
    else:
        area = _area_or_404(request.user, e, code)
    from weasyprint import HTML  # heavy import, only where PDFs are made

    ctx = _results_context(e, area)
    ctx["printed"] = timezone.localtime()
    html = render_to_string("enkater/resultat_pdf.html", ctx)
    pdf = HTML(string=html, base_url=None).write_pdf()
    handelse_record(
        user=request.user,
        action=Handelse.Action.DOWNLOAD,
        obj=e,
        note=f"resultat PDF {area.code if area else 'alla områden'}",
        request=request,
    )
    name = f"enkat-{e.year}-{area.code if area else 'alla'}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def jamforelse(request, pk):
    """Each question beside the same question (same lineage) in other years."""
    from . import charts

    e = get_enkat_or_404(request.user, pk)
    scope = scope_for(request.user)
    if sees_enkat_results(scope, None):
        area = None
    else:
        mine = e.svar.filter(nuts_omrade_id__in=scope.coordinated_nuts_ids).values_list(
            "nuts_omrade_id", flat=True
        )
        area_id = min(mine, default=None)
        require(area_id is not None, RESULTS_DENIED)
        area = NutsOmrade.objects.get(pk=area_id)
    items = reporting.compare(e.pk, area.pk if area else None)
    for n, item in enumerate(items, 1):
        numeric = item["kind"] in ("scale", "number")
        item["chart"] = charts.means_by_year(item, chart_id=f"diagram-jmf-{n}") if numeric else None
    # Free text is read in each year's results; here the questions that count.
    compared = [i for i in items if len(i["years"]) > 1 and i["kind"] != "text"]
    ctx = {"enkat": e, "area": area, "items": compared, "uncompared": len(items) - len(compared)}
    return render(request, "enkater/jamforelse.html", ctx)

"""One commitment: its page, writing it, the workflow (submit, approve, return, reopen),
copying last year's, comments, attachments, follow-ups, a closed period opened again,
and its history. Each view states its right at its top; the service asks again."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from avdelningar.access import get_avdelning_or_404, get_nuts_or_404, require, scope_for
from avdelningar.years import year_or_404
from historik.models import Handelse
from historik.services import ConflictError

from .. import services, trail
from ..forms import AtagandeForm, BilagaForm, MalvardeFormSet, NoteForm, UppfoljningForm
from ..models import Atagande, Uppfoljningsperiod
from ..progress import annotate


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
        "can_comment": a.may_comment(scope),
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


# --- writing a commitment ----------------------------------------------------------------


def _owner(request, kind, key):
    """(avdelning, nuts_omrade) of a new commitment, checked for write access."""
    if kind == "avdelning":
        return get_avdelning_or_404(request.user, key, write=True), None
    if kind == "omrade":
        return None, get_nuts_or_404(request.user, key, write=True)
    require(
        scope_for(request.user).is_project_leader,
        "Bara projektledaren skriver nationella åtaganden.",
    )
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


def _new_commitment(request, kind, key, year):
    year_or_404(year)
    avdelning, nuts = _owner(request, kind, key)
    a = Atagande(avdelning=avdelning, nuts_omrade=nuts, year=year)
    if request.method == "GET" and request.GET.get("mal"):
        a.verksamhetsmal_id = request.GET["mal"] if request.GET["mal"].isdigit() else None
    return _form_page(request, a, creating=True)


def atagande_ny_avdelning(request, pk, year):
    return _new_commitment(request, "avdelning", pk, year)


def atagande_ny_omrade(request, code, year):
    return _new_commitment(request, "omrade", code, year)


def atagande_ny_nationellt(request, year):
    return _new_commitment(request, "nationell", None, year)


def atagande_andra(request, pk):
    a = get_atagande_or_404(request.user, pk)
    require(a.may_write(scope_for(request.user)), services.EDIT_REFUSAL)
    if not a.is_editable_status:
        messages.error(
            request, f"Åtagandet är {a.get_status_display().lower()} och kan inte ändras."
        )
        return redirect(a)
    return _form_page(request, a, creating=False)


# --- the workflow ------------------------------------------------------------------------


def _act(request, a, fn, ok, **kwargs):
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
    a = get_atagande_or_404(request.user, pk)
    require(a.may_write(scope_for(request.user)), services.SUBMIT_REFUSAL)
    return _act(request, a, services.atagande_submit, "Åtagandet är inskickat för granskning.")


@require_POST
def atagande_godkann(request, pk):
    a = get_atagande_or_404(request.user, pk)
    require(a.may_review(scope_for(request.user)), services.APPROVE_REFUSAL)
    refusal = a.approve_refusal(scope_for(request.user))
    if refusal:  # four eyes: a message on the page, not a 403 (the service refuses too)
        messages.error(request, refusal)
        return redirect(a)
    note = request.POST.get("note", "")
    return _act(request, a, services.atagande_approve, "Åtagandet är godkänt.", note=note)


@require_POST
def atagande_returnera(request, pk):
    a = get_atagande_or_404(request.user, pk)
    require(a.may_review(scope_for(request.user)), services.RETURN_REFUSAL)
    note = request.POST.get("note", "")
    return _act(request, a, services.atagande_return, "Åtagandet är återsänt.", note=note)


@require_POST
def atagande_oppna(request, pk):
    a = get_atagande_or_404(request.user, pk)
    require(a.may_review(scope_for(request.user)), services.REOPEN_REFUSAL)
    reason = request.POST.get("note", "")
    return _act(request, a, services.atagande_reopen, "Åtagandet är öppnat igen.", reason=reason)


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


# --- comments and attachments ------------------------------------------------------------


@require_POST
def kommentar(request, pk):
    a = get_atagande_or_404(request.user, pk)
    require(a.may_comment(scope_for(request.user)), services.COMMENT_REFUSAL)
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
    require(a.may_write(scope_for(request.user)), services.ATTACH_REFUSAL)
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
    fh = services.bilaga_download(bilaga=b, user=request.user, request=request)
    return FileResponse(fh, as_attachment=True, filename=b.original_name)


@require_POST
def bilaga_bort(request, pk, bid):
    a = get_atagande_or_404(request.user, pk)
    require(a.may_write(scope_for(request.user)), services.DETACH_REFUSAL)
    b = get_object_or_404(a.bilagor, pk=bid)
    services.bilaga_delete(bilaga=b, user=request.user, request=request)
    messages.success(request, "Bilagan är borttagen.")
    return redirect(a)


# --- follow-up ---------------------------------------------------------------------------

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
    require(a.may_write(scope_for(request.user)), services.FOLLOW_UP_REFUSAL)
    period = get_object_or_404(Uppfoljningsperiod, pk=period_pk, year=a.year)
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


@require_POST
def period_oppna(request, pk, period_pk):
    """The project leader opens a closed period for the commitment's department."""
    a = get_atagande_or_404(request.user, pk)
    require(a.may_open_period(scope_for(request.user)), services.PERIOD_OPEN_REFUSAL)
    period = get_object_or_404(Uppfoljningsperiod, pk=period_pk, year=a.year)
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


# --- history -----------------------------------------------------------------------------


def historik(request, pk):
    a = get_atagande_or_404(request.user, pk)
    handelser = Handelse.objects.filter(
        model=Atagande._meta.label, object_id=str(a.pk)
    ).select_related("user__person")
    return render(request, "mal/historik.html", {"a": a, "rows": trail.rows(handelser)})

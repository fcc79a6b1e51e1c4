from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from avdelningar.access import (
    can_edit_kontaktperson,
    require,
    scope_for,
    sees_kontaktpersoner,
)
from filer import imports
from filer.exports import csv_response, xlsx_response
from historik.services import ConflictError

from . import export, importer, listcache, services
from .forms import (
    AktivitetForm,
    AktorForm,
    FilterForm,
    ForumForm,
    ImportForm,
    KontaktpersonForm,
    ProjektForm,
)
from .models import Aktivitet, Aktor, Forum, ForumPlats, Kontaktperson, Strukturfondsprojekt

PAGE_SIZE = 50


def _scope(request):
    """The user's scope; users without any current assignment see none of this app."""
    scope = scope_for(request.user)
    if not scope.has_any_role:
        raise Http404("Sidan finns inte.")
    return scope


def _visible(scope):
    return Aktivitet.objects.visible_to(scope)


def get_aktivitet_or_404(request, pk, *, write=False):
    """(scope, the activity) if the user may see it; 404 otherwise, 403 if write and the
    user may only read it."""
    scope = _scope(request)
    aktivitet = (
        _visible(scope)
        .select_related("nuts_omrade", "forum", "projekt", "created_by", "updated_by")
        .prefetch_related("avdelningar", "verksamhetsmal", "aktorer", "arbetsplatser")
        .filter(pk=pk)
        .first()
    )
    if aktivitet is None:
        raise Http404("Aktiviteten finns inte.")
    if write:
        require(aktivitet.can_edit(scope), services.READ_ONLY)
    return scope, aktivitet


def months_ago(day, months):
    year, month = divmod(day.month - 1 - months, 12)
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, 28))


def stale_before():
    return months_ago(timezone.localdate(), settings.RELATION_STALE_MONTHS)


# --- activities --------------------------------------------------------------------


def _add_links(rows):
    """Each row's department names and goal numbers, in two queries of plain values: the
    page needs only the names, and prefetch_related's model instances cost more than the
    rows themselves (make bench, docs/performance.md)."""
    ids = [a.pk for a in rows]
    names, goals = defaultdict(list), defaultdict(list)
    if ids:
        links = Aktivitet.avdelningar.through.objects.filter(aktivitet_id__in=ids)
        for pk, name in links.order_by("avdelning__name").values_list(
            "aktivitet_id", "avdelning__name"
        ):
            names[pk].append(name)
        links = Aktivitet.verksamhetsmal.through.objects.filter(aktivitet_id__in=ids)
        for pk, number in links.order_by("verksamhetsmal__number").values_list(
            "aktivitet_id", "verksamhetsmal__number"
        ):
            goals[pk].append(str(number))
    for a in rows:
        a.avdelning_names = names[a.pk]
        a.goal_numbers = ", ".join(goals[a.pk])


def lista(request):
    scope = _scope(request)
    form = FilterForm(request.GET or None, scope=scope)
    qs = form.filter(_visible(scope))
    rows, cursor = (
        qs.select_related("nuts_omrade")
        .only("date", "typ", "title", "nuts_omrade__code")
        .keyset_page(sort=form.sort_order, after=request.GET.get("efter"), size=PAGE_SIZE)
    )
    _add_links(rows)
    params = request.GET.copy()
    params.pop("efter", None)
    next_params = params.copy()
    if cursor:
        next_params["efter"] = cursor
    ctx = {
        "form": form,
        "rows": rows,
        "totals": listcache.totals(qs, form.stamp),
        "query": params.urlencode(),
        "next_query": next_params.urlencode() if cursor else "",
        "is_first_page": not request.GET.get("efter"),
        "can_log": scope.logs_activities,
    }
    return render(request, "aktiviteter/lista.html", ctx)


def _save_form(request, form, aktivitet=None):
    """Save the form through the service; on bad input put the messages on the form."""
    try:
        return services.aktivitet_save(
            user=request.user, data=form.cleaned_data, aktivitet=aktivitet, request=request
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    except (ConflictError, PermissionDenied) as exc:
        form.add_error(None, str(exc))
    return None


def ny(request):
    scope = _scope(request)
    require(scope.logs_activities, services.CANNOT_LOG)
    form = AktivitetForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            aktivitet = _save_form(request, form)
        except services.AlreadySaved as done:
            messages.info(
                request,
                f"Aktiviteten ”{done.aktivitet.title}” var redan sparad; "
                "formuläret skickades två gånger.",
            )
            return redirect(done.aktivitet)
        if aktivitet is not None:
            messages.success(request, f"Aktiviteten ”{aktivitet.title}” är sparad.")
            return redirect(aktivitet)
    return render(request, "aktiviteter/form.html", {"form": form, "is_new": True})


def andra(request, pk):
    scope, aktivitet = get_aktivitet_or_404(request, pk, write=True)
    form = AktivitetForm(request.POST or None, instance=aktivitet, scope=scope)
    if request.method == "POST" and form.is_valid():
        saved = _save_form(request, form, aktivitet=aktivitet)
        if saved is not None:
            messages.success(request, "Ändringarna är sparade.")
            return redirect(saved)
    return render(
        request, "aktiviteter/form.html", {"form": form, "is_new": False, "aktivitet": aktivitet}
    )


def detalj(request, pk):
    scope, aktivitet = get_aktivitet_or_404(request, pk)
    ctx = {
        "aktivitet": aktivitet,
        "can_edit": aktivitet.can_edit(scope),
        "can_delete": aktivitet.can_delete(scope),
        "next_step_overdue": aktivitet.next_step_overdue(timezone.localdate()),
        # A joint activity names departments the reader may not open: those without a link.
        "avdelningar": [(d, scope.can_see_avdelning(d)) for d in aktivitet.avdelningar.all()],
    }
    return render(request, "aktiviteter/detalj.html", ctx)


def ta_bort(request, pk):
    """GET: what will be deleted, and a button. POST: delete (recorded in the trail)."""
    scope, aktivitet = get_aktivitet_or_404(request, pk)
    require(aktivitet.can_delete(scope), services.cannot_delete(aktivitet))
    if request.method == "POST":
        title = aktivitet.title
        services.aktivitet_delete(aktivitet=aktivitet, user=request.user, request=request)
        messages.success(request, f"Aktiviteten ”{title}” är borttagen.")
        return redirect("aktiviteter:lista")
    return render(request, "aktiviteter/ta_bort.html", {"aktivitet": aktivitet})


@require_POST
def nasta_steg_klart(request, pk):
    """Mark the activity's next step done; back to where the button was (the start page
    or the activity)."""
    _, aktivitet = get_aktivitet_or_404(request, pk, write=True)
    if services.aktivitet_next_step_done(aktivitet=aktivitet, user=request.user, request=request):
        messages.success(request, f"Nästa steg för ”{aktivitet.title}” är markerat som klart.")
    else:
        messages.info(request, "Nästa steg var redan markerat som klart.")
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(aktivitet)


EXPORT_HEADER = [
    "id",
    "datum",
    "typ",
    "rubrik",
    "NUTS-område",
    "avdelningar",
    "verksamhetsmål",
    "aktörer",
    "forum",
    "strukturfondsprojekt",
    "deltagare kvinnor",
    "deltagare män",
    "deltagare annat/okänt",
    "anteckningar",
    "nästa steg",
    "nästa steg senast",
]


def _export_rows(qs):
    # Values through a server-side cursor, links in the same query: 100,000 rows in seconds.
    return export.rows(qs)


def _export(request, kind):
    scope = _scope(request)
    form = FilterForm(request.GET or None, scope=scope)
    qs = form.filter(_visible(scope))
    services.aktivitet_export_record(
        user=request.user, fmt=kind, query=request.GET.urlencode(), request=request
    )
    name = f"aktiviteter-{timezone.localdate():%Y%m%d}"
    if kind == "csv":
        return csv_response(name, EXPORT_HEADER, _export_rows(qs))
    return xlsx_response(name, [("Aktiviteter", EXPORT_HEADER, _export_rows(qs))])


def export_csv(request):
    return _export(request, "csv")


def export_xlsx(request):
    return _export(request, "xlsx")


# --- the shared register -------------------------------------------------------------


def aktorer(request):
    scope = _scope(request)
    q = request.GET.get("q", "").strip()
    qs = Aktor.objects.select_related("nuts_omrade", "lan").annotate(
        last_contact=Max("aktiviteter__date")
    )
    if q:
        qs = qs.filter(name__icontains=q)
    ctx = {"aktorer": qs, "q": q, "stale_before": stale_before(), "can_add": scope.adds_to_register}
    return render(request, "aktiviteter/aktorer.html", ctx)


def aktor(request, pk):
    scope = _scope(request)
    obj = get_object_or_404(Aktor.objects.select_related("nuts_omrade", "lan"), pk=pk)
    activities = _visible(scope).filter(aktorer=obj)
    forums = obj.forum.select_related("nuts_omrade").prefetch_related(
        # Who holds a seat (a union official: personal data) only for forums of areas the
        # reader may see; the forum itself is in the shared register.
        Prefetch(
            "platser",
            queryset=ForumPlats.objects.filter(
                forum__nuts_omrade__in=scope.visible_nuts().values("pk")
            ).select_related("person"),
        )
    )
    ctx = {
        "can_edit": obj.can_edit(scope),
        "aktor": obj,
        "activities": activities.select_related("nuts_omrade")[:25],
        "per_year": activities.per_year(),
        "last_contact": obj.aktiviteter.aggregate(m=Max("date"))["m"],
        "stale_before": stale_before(),
        "forums": forums,
        "projekt": Strukturfondsprojekt.objects.filter(Q(owner=obj) | Q(partners=obj)).distinct(),
        # Contact persons (personal data): not in the page at all for anyone else.
        "sees_kontakter": sees_kontaktpersoner(scope),
    }
    if ctx["sees_kontakter"]:
        ctx["kontaktpersoner"] = obj.kontaktpersoner.visible_to(scope).select_related("nuts_omrade")
        ctx["can_add_kontakt"] = _can_add_kontakt(scope, obj)
    return render(request, "aktiviteter/aktor.html", ctx)


# --- contact persons at actors ---------------------------------------------------------


def _can_add_kontakt(scope, aktor):
    area = services.kontaktperson_area(aktor=aktor, scope=scope, chosen=None)
    # A coordinator of several areas picks one in the form for a national actor.
    national_choice = aktor.nuts_omrade_id is None and scope.is_coordinator
    return can_edit_kontaktperson(scope, area) or national_choice


def _kontakt_scope(request, pk):
    """(scope, actor) for the contact-person pages: 404 for anyone who does not keep
    contact persons (the pages do not exist for them)."""
    scope = _scope(request)
    if not sees_kontaktpersoner(scope):
        raise Http404("Sidan finns inte.")
    return scope, get_object_or_404(Aktor.objects.select_related("nuts_omrade"), pk=pk)


def get_kontaktperson_or_404(request, pk, kpk):
    """(scope, actor, contact person) if the user may see the contact; 404 otherwise."""
    scope, aktor = _kontakt_scope(request, pk)
    kontakt = aktor.kontaktpersoner.visible_to(scope).filter(pk=kpk).first()
    if kontakt is None:
        raise Http404("Kontaktpersonen finns inte.")
    return scope, aktor, kontakt


def _kontakt_form_page(request, scope, aktor, kontakt):
    form = KontaktpersonForm(request.POST or None, instance=kontakt, aktor=aktor, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.kontaktperson_save(
                user=request.user, form=form, aktor=aktor, request=request
            )
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Kontaktpersonen {saved.name} är sparad.")
            return redirect(saved)
    years = settings.RETENTION_CONTACT_DAYS // 365
    ctx = {
        "form": form,
        "aktor": aktor,
        "kontakt": kontakt,
        "help": KontaktpersonForm.HELP.format(years=years),
    }
    return render(request, "aktiviteter/kontaktperson_form.html", ctx)


def kontaktperson_ny(request, pk):
    scope, aktor = _kontakt_scope(request, pk)
    require(_can_add_kontakt(scope, aktor), services.CANNOT_KONTAKT)
    return _kontakt_form_page(request, scope, aktor, Kontaktperson(aktor=aktor))


def kontaktperson_andra(request, pk, kpk):
    scope, aktor, kontakt = get_kontaktperson_or_404(request, pk, kpk)
    return _kontakt_form_page(request, scope, aktor, kontakt)


@require_POST
def kontaktperson_ta_bort(request, pk, kpk):
    scope, aktor, kontakt = get_kontaktperson_or_404(request, pk, kpk)
    services.kontaktperson_delete(kontaktperson=kontakt, user=request.user, request=request)
    messages.success(request, "Kontaktpersonen är borttagen.")
    return redirect(aktor.get_absolute_url() + "#kontaktpersoner")


def forum_lista(request):
    scope = _scope(request)
    qs = (
        Forum.objects.select_related("nuts_omrade")
        .annotate(last_contact=Max("aktiviteter__date"), seats=Count("platser", distinct=True))
        .order_by("nuts_omrade__code", "name")
    )
    ctx = {"forums": qs, "stale_before": stale_before(), "can_add": scope.adds_to_register}
    return render(request, "aktiviteter/forum_lista.html", ctx)


def forum(request, pk):
    scope = _scope(request)
    obj = get_object_or_404(Forum.objects.select_related("nuts_omrade"), pk=pk)
    activities = _visible(scope).filter(forum=obj)
    ctx = {
        "can_edit": obj.can_edit(scope),
        "forum": obj,
        # Seat holders are union officials (personal data): named only to readers of the
        # forum's area; others see how many seats the union has.
        "show_seats": scope.can_see_nuts(obj.nuts_omrade_id),
        "seats": obj.platser.select_related("person"),
        "aktorer": obj.aktorer.all(),
        "activities": activities.select_related("nuts_omrade")[:25],
        "per_year": activities.per_year(),
        "last_contact": obj.aktiviteter.aggregate(m=Max("date"))["m"],
        "stale_before": stale_before(),
    }
    return render(request, "aktiviteter/forum.html", ctx)


def projekt_lista(request):
    scope = _scope(request)
    qs = Strukturfondsprojekt.objects.select_related("owner").prefetch_related("omraden")
    ctx = {"projekt": qs, "can_add": scope.adds_to_register}
    return render(request, "aktiviteter/projekt_lista.html", ctx)


def projekt(request, pk):
    scope = _scope(request)
    obj = get_object_or_404(Strukturfondsprojekt.objects.select_related("owner"), pk=pk)
    activities = _visible(scope).filter(projekt=obj)
    ctx = {
        "can_edit": obj.can_edit(scope),
        "projekt": obj,
        "partners": obj.partners.all(),
        "omraden": obj.omraden.all(),
        "avdelningar": obj.avdelningar.filter(pk__in=scope.visible_avdelningar().values("pk")),
        "arbetsplatser": obj.arbetsplatser.filter(
            avdelning__in=scope.visible_avdelningar().values("pk")
        ),
        "activities": activities.select_related("nuts_omrade")[:25],
        "per_year": activities.per_year(),
    }
    return render(request, "aktiviteter/projekt.html", ctx)


# --- import --------------------------------------------------------------------------


def _import_render(request, plan, token="", form=None):
    ctx = {"form": form or ImportForm(), "plan": plan, "token": token}
    ctx["type_names"] = importer.accepted_type_names()
    return render(request, "aktiviteter/import.html", ctx)


def import_page(request):
    """GET: the upload form. POST: read the file and show a preview; nothing is saved."""
    require(_scope(request).logs_activities, services.CANNOT_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.preview(
                request, kind="aktiviteter", importer=importer, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return _import_render(request, result.plan, result.token, form)
    return _import_render(request, None, form=form)


@require_POST
def import_run(request):
    require(_scope(request).logs_activities, services.CANNOT_IMPORT)
    token = request.POST.get("token")
    try:
        plan, saved = imports.confirm(
            request,
            kind="aktiviteter",
            importer=importer,
            token=token,
            create_actors=request.POST.get("create_actors") == "1",
            without_actors=request.POST.get("without_actors") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        plan = getattr(exc, "plan", None)
        if plan is None:
            return redirect("aktiviteter:import")
        # Kept for another try (e.g. with the actors confirmed) unless the file has errors.
        return _import_render(request, plan, "" if plan.errors else token)
    skipped = len(plan.skipped)
    messages.success(
        request,
        f"{saved} aktivitet{pluralize(saved, 'er')} importerades."
        + (
            f" {skipped} rad{pluralize(skipped, 'er')} fanns redan och hoppades över."
            if skipped
            else ""
        ),
    )
    return redirect("aktiviteter:lista")


def import_mall(request, fmt):
    _scope(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Mallen finns som .csv och .xlsx.")
    if fmt == "csv":
        return csv_response("aktiviteter-mall", importer.HEADERS, [importer.EXAMPLE])
    return xlsx_response(
        "aktiviteter-mall", [("Aktiviteter", importer.HEADERS, [importer.EXAMPLE])]
    )


# --- editing the register --------------------------------------------------------------


REGISTER = {
    "aktor": (Aktor, AktorForm),
    "forum": (Forum, ForumForm),
    "projekt": (Strukturfondsprojekt, ProjektForm),
}


def register_edit(request, kind, pk=None):
    """New or changed actor, forum or fund project (who may: each model's can_edit)."""
    scope = _scope(request)
    model, form_class = REGISTER[kind]
    obj = get_object_or_404(model, pk=pk) if pk else model()
    require(obj.can_edit(scope), services.register_read_only(model))
    label = services.REGISTER_LABELS[model]
    form = form_class(request.POST or None, instance=obj, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.register_save(user=request.user, form=form, request=request)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{label.capitalize()} ”{saved}” är sparad.")
            return redirect(saved)
    ctx = {"form": form, "label": label, "obj": obj}
    return render(request, "aktiviteter/register_form.html", ctx)

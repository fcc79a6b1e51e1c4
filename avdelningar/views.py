from django.db.models import Prefetch
from django.shortcuts import render

from .access import get_avdelning_or_404, get_nuts_or_404, scope_for
from .models import Deltagande, Uppdrag


def start(request):
    scope = scope_for(request.user)
    uppdrag = (
        Uppdrag.objects.current()
        .filter(person__user=request.user)
        .select_related("nuts_omrade", "avdelning")
    )
    areas = (
        scope.visible_nuts()
        .filter(deltaganden__isnull=False)
        .distinct()
        # The coordinator's name on each row: fetched with the participations, not per row.
        .prefetch_related(
            Prefetch("deltaganden", queryset=Deltagande.objects.select_related("samordnare"))
        )
    )
    avdelningar = scope.visible_avdelningar().select_related("nuts_omrade")
    ctx = {
        "uppdrag": uppdrag,
        "areas": areas,
        "avdelningar": avdelningar,
    }
    return render(request, "start/start.html", ctx)


def omrade(request, code):
    nuts = get_nuts_or_404(request.user, code)
    scope = scope_for(request.user)
    ctx = {
        "nuts": nuts,
        "lan": nuts.lan.select_related("af_region"),
        "deltaganden": Deltagande.objects.filter(nuts_omrade=nuts).select_related("samordnare"),
        "avdelningar": scope.visible_avdelningar().filter(nuts_omrade=nuts),
    }
    return render(request, "avdelningar/omrade.html", ctx)


def avdelning(request, pk):
    avd = get_avdelning_or_404(request.user, pk)
    ctx = {
        "avdelning": avd,
        "lan": avd.lan.all(),
        "medlemsantal": avd.medlemsantal.order_by("-year")[:8],
        "arbetsplatser": avd.arbetsplatser.select_related("klubb"),
        "kommitteer": avd.kommitteer.all(),
        "can_edit": scope_for(request.user).can_edit_avdelning(avd),
    }
    return render(request, "avdelningar/avdelning.html", ctx)

"""The maturity guidance: how many commitments a department should have under each
project goal in its area's n-th year in the project."""

from django.contrib import messages
from django.shortcuts import redirect, render

from avdelningar.access import require, scope_for

from .. import services
from ..forms import RiktlinjeFormSet
from ..models import Mognadsriktlinje


def riktlinjer(request):
    """The project leader sets the guidance, everyone with a role reads it."""
    scope = scope_for(request.user)
    require(scope.has_any_role, "Du har inget uppdrag i projektet.")
    formset = RiktlinjeFormSet(request.POST or None, queryset=Mognadsriktlinje.objects.all())
    if request.method == "POST":
        require(scope.edits_guidelines, services.GUIDELINES_REFUSAL)
        if formset.is_valid():
            services.riktlinjer_save(formset=formset, user=request.user, request=request)
            messages.success(request, "Riktlinjerna är sparade.")
            return redirect("mal:riktlinjer")
    ctx = {
        "formset": formset,
        "can_edit": scope.edits_guidelines,
        "rows": Mognadsriktlinje.objects.select_related("projektmal"),
    }
    return render(request, "mal/riktlinjer.html", ctx)

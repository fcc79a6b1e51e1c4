from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from . import mail, services
from .access import get_avdelning_or_404, get_nuts_or_404, scope_for
from .models import Deltagande, Epost, Person


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


class EpostForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label="Skicka e-post till mig när",
        choices=Epost.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def epost(request):
    """The logged-in user's own choice of workflow mail, one box per kind."""
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        form = None
    elif request.method == "POST":
        form = EpostForm(request.POST)
        if form.is_valid():
            services.epostval_save(
                person=person,
                wanted=form.cleaned_data["wanted"],
                user=request.user,
                request=request,
            )
            messages.success(request, "Dina val för e-post är sparade.")
            return redirect("epost")
    else:
        off = set(person.epostval.values_list("kind", flat=True))
        form = EpostForm(initial={"wanted": [k for k in Epost.values if k not in off]})
    address = mail.user_recipient(request.user)
    ctx = {"form": form, "address": address[1] if address else ""}
    return render(
        request, "avdelningar/epost.html", ctx, status=400 if form and form.errors else 200
    )

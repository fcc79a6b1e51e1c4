"""The audit trail's page: the trail itself (historik) is the ground floor and knows nobody;
who may read it is access.py's to say, so the page lives here, above it."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from historik.models import Handelse

from .access import can_read_trail, require


class HandelseFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Händelse", required=False, choices=[("", "Alla")] + Handelse.Action.choices
    )
    username = forms.CharField(label="Användare", required=False, max_length=150)
    model = forms.CharField(label="Typ", required=False, max_length=100)
    object_id = forms.CharField(label="Objekt-id", required=False, max_length=64)
    since = forms.DateField(label="Från och med", required=False)
    until = forms.DateField(label="Till och med", required=False)

    def filter(self, qs):
        data = self.cleaned_data
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("username"):
            qs = qs.filter(username__icontains=data["username"])
        if data.get("model"):
            qs = qs.filter(model__icontains=data["model"])
        if data.get("object_id"):
            qs = qs.filter(object_id=data["object_id"])
        if data.get("since"):
            qs = qs.filter(at__date__gte=data["since"])
        if data.get("until"):
            qs = qs.filter(at__date__lte=data["until"])
        return qs


@require_safe
def handelser(request):
    """The audit trail, read-only, for the project leader and admins."""
    require(
        can_read_trail(request.user), "Bara projektledaren och administratörer kan läsa historiken."
    )
    form = HandelseFilterForm(request.GET or None)
    qs = Handelse.objects.all()
    if form.is_bound and form.is_valid():
        qs = form.filter(qs)
    elif form.is_bound:
        qs = qs.none()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "historik/handelser.html", ctx)

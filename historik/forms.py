from django import forms

from .models import Handelse


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

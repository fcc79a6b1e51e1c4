from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Användarnamn",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Lösenord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Fel användarnamn eller lösenord. Observera att fälten skiljer på "
        "stora och små bokstäver.",
        "inactive": "Kontot är inaktiverat.",
    }


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="Engångskod",
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": "Koden är sex siffror."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

from django.apps import AppConfig


class LarandeConfig(AppConfig):
    name = "larande"
    verbose_name = "Analysmöten och lärande"

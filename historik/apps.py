from django.apps import AppConfig


class HistorikConfig(AppConfig):
    name = "historik"
    verbose_name = "Historik och granskning"

from django.apps import AppConfig


class HistorikConfig(AppConfig):
    name = "historik"
    verbose_name = "Historik och granskning"

    def ready(self):
        from . import signals  # noqa: F401  (connects the auth signal receivers)

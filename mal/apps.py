from django.apps import AppConfig


class MalConfig(AppConfig):
    name = "mal"
    verbose_name = "Mål och åtaganden"

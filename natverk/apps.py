from django.apps import AppConfig


class NatverkConfig(AppConfig):
    name = "natverk"
    verbose_name = "Nätverkskartan"

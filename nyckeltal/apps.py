from django.apps import AppConfig


class NyckeltalConfig(AppConfig):
    name = "nyckeltal"
    verbose_name = "Nyckeltal"

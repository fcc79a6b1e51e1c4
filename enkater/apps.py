from django.apps import AppConfig


class EnkaterConfig(AppConfig):
    name = "enkater"
    verbose_name = "Enkäter"

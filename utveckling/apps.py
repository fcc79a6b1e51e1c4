from django.apps import AppConfig


class UtvecklingConfig(AppConfig):
    name = "utveckling"
    verbose_name = "Utveckling av geografiskt område"

from django.apps import AppConfig


class RegionalsamverkanConfig(AppConfig):
    """The wiring project as an app: no models, only what must be set up once at start."""

    name = "regionalsamverkan"
    verbose_name = "Regionalsamverkan"

    def ready(self):
        from . import limits

        limits.install()

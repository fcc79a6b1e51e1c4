from django.apps import AppConfig


class PresentationConfig(AppConfig):
    """How numbers and charts look, the same on every page, e-mail, PDF and chart: Swedish
    number formats (the template engine's builtin filters) and the charts (matplotlib SVG).
    Machinery under every domain app, so each may draw (the floors, .importlinter). No models."""

    name = "presentation"
    verbose_name = "Presentation"

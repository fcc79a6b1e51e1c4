from django.apps import AppConfig


class FilerConfig(AppConfig):
    """Reading uploaded spreadsheets and writing exports: machinery under every domain app,
    so each of them may use it (the floors, .importlinter). No models."""

    name = "filer"
    verbose_name = "Filer"

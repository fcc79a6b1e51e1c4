from django.apps import AppConfig


class StartConfig(AppConfig):
    """The start page and the commands that fill the whole database (the demo, the load data):
    the room above the domain apps, since each of them assembles every app below it
    (.importlinter, README "Struktur")."""

    name = "start"
    verbose_name = "Start"

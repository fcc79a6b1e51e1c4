from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AvdelningarConfig(AppConfig):
    name = "avdelningar"
    verbose_name = "Organisation"

    def ready(self):
        from .collation import register_sqlite_collation

        # Machinery, not domain flow: every SQLite connection needs the collation.
        connection_created.connect(register_sqlite_collation, dispatch_uid="sv-collation")

"""SQLite as the embedded database, with PostgreSQL's integer ranges.

Django gives an integer model field validators for the range of its column, and asks
the backend for it: on PostgreSQL an ``IntegerField`` holds ±2^31, a ``SmallIntegerField``
±2^15; SQLite answers 2^63 for all of them. So a number too large for production's column
passed every form on SQLite (and above 2^63 was a server error), while PostgreSQL's forms
refused it. With this backend each field refuses the same values on both databases, with
Django's own Swedish message, wherever the model is validated: model forms, admin, imports
and ``full_clean``. settings.py uses it for every ``sqlite://`` DATABASE_URL.
"""

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def integer_field_range(self, internal_type):
        # The base class's table is PostgreSQL's (which does not override it).
        return self.integer_field_ranges[internal_type]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

"""SQLite as the embedded database, with PostgreSQL's integer ranges.

Django gives an integer model field validators for the range of its column, and asks
the backend for it: on PostgreSQL an ``IntegerField`` holds ±2^31, a ``SmallIntegerField``
±2^15; SQLite answers 2^63 for all of them. So a number too large for production's column
passed every form on SQLite (and above 2^63 was a server error), while PostgreSQL's forms
refused it. With this backend each field refuses the same values on both databases, with
Django's own Swedish message, wherever the model is validated: model forms, admin, imports
and ``full_clean``. settings.py uses it for every ``sqlite://`` DATABASE_URL.

Lookups: Django leaves out of range values out of ``=``, ``<`` and ``>`` (no row can
match), but not out of ``__in``, and SQLite cannot even bind an integer above 2^63
(OverflowError, a server error where PostgreSQL finds no row): a multiple choice field
posted "99999999999999999999" looks its ids up so. ``IntegerFieldIn`` drops such values.
"""

from django.db.backends.sqlite3 import base, operations
from django.db.models import IntegerField
from django.db.models.lookups import In


class DatabaseOperations(operations.DatabaseOperations):
    def integer_field_range(self, internal_type):
        # The base class's table is PostgreSQL's (which does not override it).
        return self.integer_field_ranges[internal_type]


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            kind = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(kind)
            self.rhs = [v for v in self.rhs if not isinstance(v, int) or low <= v <= high]
        return super().process_rhs(compiler, connection)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

"""The report's dates as stored in the snapshot. Numbers use the filters every page uses
(``antal``, ``tal``, ``belopp``, ``andel``, ``forandring``: presentation/templatetags/tal.py)."""

import datetime

from django import template

register = template.Library()


@register.filter
def iso_date(value):
    if not value:
        return ""
    try:
        return datetime.datetime.fromisoformat(value).strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        return value

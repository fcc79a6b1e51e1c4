"""Number formatting for the report, Swedish style (space as thousands separator)."""

import datetime

from django import template

register = template.Library()


@register.filter
def kr(value):
    """12345 -> '12 345'; 2.5 -> '2,5'; None -> ''."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
    try:
        return f"{int(value):,}".replace(",", "\u00a0")
    except (TypeError, ValueError):
        return value


@register.filter
def percent(value):
    if value is None:
        return ""
    return f"{value * 100:.1f}\u00a0%".replace(".", ",")


@register.filter
def signed(value):
    if value is None:
        return ""
    text = kr(value)
    return f"+{text}" if value > 0 else text


@register.filter
def iso_date(value):
    if not value:
        return ""
    try:
        return datetime.datetime.fromisoformat(value).strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        return value

"""Numbers the Swedish way, one set for every page, e-mail and PDF (built into the template
engine, see TEMPLATES in settings): decimal comma, a space between thousands, no decimals
a value does not have. A missing value shows as the filter's argument ("–" unless given);
zero is a value and shows as 0.

    {{ 5.00|antal }} -> 5          {{ 30000|belopp }} -> 30 000 kr
    {{ 2.50|tal }} -> 2,5          {{ 0.123|andel }} -> 12,3 %
    {{ None|tal }} -> –            {{ None|antal:"saknas" }} -> saknas

Also ``{% scrollregion "Etikett" %}<table>…</table>{% endscrollregion %}``: the wrapper a
wide table scrolls in, reachable by keyboard (tabindex) and named for screen readers.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

register = template.Library()

NBSP = "\u00a0"  # between thousands and before units: a number never breaks over two lines
MISSING = "–"


def _decimal(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _grouped(number, places):
    """A Decimal rounded to at most `places` decimals, trailing zeros dropped."""
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


@register.filter
def tal(value, missing=MISSING):
    """A measured value (a target, an actual, a sum of them): up to two decimals."""
    number = _decimal(value)
    return missing if number is None else _grouped(number, 2)


@register.filter
def antal(value, missing=MISSING):
    """A count: whole numbers."""
    number = _decimal(value)
    return missing if number is None else _grouped(number, 0)


@register.filter
def belopp(value, missing=MISSING):
    """Whole kronor with their unit."""
    number = _decimal(value)
    return missing if number is None else f"{_grouped(number, 0)}{NBSP}kr"


@register.filter
def andel(value, missing=MISSING):
    """A share (0.123) as a percentage with one decimal: 12,3 %."""
    number = _decimal(value)
    return missing if number is None else f"{_grouped(number * 100, 1)}{NBSP}%"


@register.filter
def procent(value, missing=MISSING):
    """A whole percentage already computed (45): 45 %."""
    number = _decimal(value)
    return missing if number is None else f"{_grouped(number, 0)}{NBSP}%"


@register.filter
def forandring(value, missing=MISSING):
    """A change from last year, with its sign: +1 200, -3, 0."""
    number = _decimal(value)
    if number is None:
        return missing
    text = _grouped(number, 2)
    return f"+{text}" if number > 0 else text


class ScrollRegionNode(template.Node):
    def __init__(self, label, nodelist):
        self.label = label
        self.nodelist = nodelist

    def render(self, context):
        return format_html(
            '<div class="table-scroll" tabindex="0" role="region" aria-label="{}">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def scrollregion(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("scrollregion takes one argument: its label")
    nodelist = parser.parse(("endscrollregion",))
    parser.delete_first_token()
    return ScrollRegionNode(parser.compile_filter(bits[1]), nodelist)

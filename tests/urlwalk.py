"""Every URL pattern of the project (admin excluded), for tests that must cover them all."""

from django.urls import URLPattern, URLResolver, get_resolver


def all_patterns(resolver=None, prefix="", namespace=""):
    """Yield (route, name, converters) for every concrete pattern outside admin."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from all_patterns(p, route, ns)
        elif isinstance(p, URLPattern):
            yield route, f"{namespace}{p.name}" if p.name else None, p.pattern.converters


def sample_path(route, values):
    """Fill a route like 'avdelning/<int:pk>/' with values by parameter name."""
    import re

    def repl(match):
        name = match.group(2)
        return str(values[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", repl, route)

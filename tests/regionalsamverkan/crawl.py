"""Walking the app as a user does: GET only, following the links and GET forms a page shows.

``Crawler(client, label)`` starts from some pages and follows every same-site link, a few
pages of each kind of URL (its shape: the path with numbers as N, and the query's keys).
It records a ``Failure`` for every answer of 500 or more, every template that looked up a
variable that does not exist, and every link answering 4xx to the user it was shown to.

Template errors are caught with ``template_errors()``: while it is active, a variable
lookup that fails in one of the project's own templates (not Django's admin or form
templates, which rely on silent failures) is recorded with the template and the variable.
"""

import contextlib
import html
import re
import sys
from collections import deque
from dataclasses import dataclass
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlparse

from django.conf import settings
from django.core.signals import got_request_exception
from django.test.utils import override_settings

PROJECT_TEMPLATES = str(settings.BASE_DIR / "templates")

SKIP = re.compile(r"^/(static|media)/|logga-ut|/logout/")
HREF = re.compile(r"""<(?:a|link)\b[^>]*?\shref="([^"]*)\"""", re.I)
HX_GET = re.compile(r"""\shx-get="([^"]*)\"""", re.I)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)
ATTR = re.compile(r"""([\w-]+)="([^"]*)\"""")
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
FILES = ("application/pdf", "spreadsheet", "text/csv", "octet-stream")


@dataclass(frozen=True)
class Failure:
    user: str
    url: str
    source: str
    what: str

    def __str__(self):
        return f"{self.user}: {self.url} (from {self.source}): {self.what}"


def shape(url):
    """The kind of a URL: its path with numbers as N, and the names of its query keys."""
    p = urlparse(url)
    keys = sorted({k for k, _v in parse_qsl(p.query, keep_blank_values=True)})
    path = re.sub(r"\d+", "N", p.path)
    if p.path.startswith("/admin/"):
        # Admin's filter links combine every filter with every other; their kind is the list.
        return path + ("?" if keys else "")
    return path + ("?" + "&".join(keys) if keys else "")


class _Recorder(str):
    """string_if_invalid that records the lookups failing in the project's templates."""

    errors = None

    def __contains__(self, item):
        return item == "%s"

    def __mod__(self, var):
        frame = sys._getframe(1)
        while frame is not None:
            node = frame.f_locals.get("self")
            origin = getattr(node, "origin", None)
            if frame.f_code.co_name == "render_annotated" and origin is not None:
                name = str(origin.name)
                if self.errors is not None and name.startswith(PROJECT_TEMPLATES):
                    token = getattr(node, "token", None)
                    line = f":{token.lineno}" if token is not None else ""
                    self.errors.append(
                        f"template {name[len(PROJECT_TEMPLATES) + 1 :]}{line}: "
                        f"'{var}' does not exist"
                    )
                break
            frame = frame.f_back
        return ""


@contextlib.contextmanager
def template_errors():
    """Record failed variable lookups of the project's templates into the yielded list."""
    errors = []
    # Not empty: Django only formats a true string_if_invalid.
    recorder = _Recorder("%s")
    recorder.errors = errors
    templates = [
        {**t, "OPTIONS": {**t.get("OPTIONS", {}), "string_if_invalid": recorder}}
        for t in settings.TEMPLATES
    ]
    with override_settings(TEMPLATES=templates):
        yield errors


@contextlib.contextmanager
def server_exceptions():
    """The exception behind each 500, for the failure message."""
    seen = []

    def record(sender, request=None, **kwargs):
        seen.append(repr(sys.exc_info()[1])[:300])

    got_request_exception.connect(record)
    try:
        yield seen
    finally:
        got_request_exception.disconnect(record)


def links(url, body):
    """Same-site GET targets on a page: links, htmx GETs, and GET forms with their values."""
    found = [html.unescape(h) for h in HREF.findall(body) + HX_GET.findall(body)]
    for attrs, inner in FORM.findall(body):
        a = dict(ATTR.findall(attrs))
        if a.get("method", "get").lower() != "get":
            continue
        values = []
        for _tag, field_attrs in FIELD.findall(inner):
            f = dict(ATTR.findall(field_attrs))
            if "name" in f and f.get("type") not in ("submit", "checkbox", "radio", "file"):
                values.append((f["name"], html.unescape(f.get("value", ""))))
        action = html.unescape(a.get("action", "")) or url
        found.append(action.split("?")[0] + "?" + urlencode(values))
    out = []
    for href in found:
        href = urldefrag(urljoin(url, href))[0]
        p = urlparse(href)
        if p.scheme not in ("http", "https", "") or p.netloc not in ("", "testserver"):
            continue
        path = p.path + ("?" + p.query if p.query else "")
        if path.startswith("/") and not SKIP.search(p.path):
            out.append(path)
    return out


def query_keys(urls):
    """The query keys a set of URLs (and their GET forms) use, by shape."""
    keys = {}
    for url in urls:
        for k, _v in parse_qsl(urlparse(url).query, keep_blank_values=True):
            keys.setdefault(shape(url).split("?")[0], set()).add(k)
    return keys


class Crawler:
    def __init__(self, client, label, *, per_shape=2, errors, exceptions):
        self.client = client
        self.label = label
        self.per_shape = per_shape
        self.errors = errors
        self.exceptions = exceptions
        self.failures = []
        self.seen = set()
        self.shapes = {}
        self.pairs = set()
        self.urls_by_shape = {}
        self.found = set()

    def _fail(self, url, source, what):
        self.failures.append(Failure(self.label, url, source, what))

    def get(self, url, source="(start)"):
        """GET url and record what went wrong; returns the response."""
        n_errors, n_exc = len(self.errors), len(self.exceptions)
        response = self.client.get(url)
        status = response.status_code
        if status >= 500:
            detail = "; ".join(self.exceptions[n_exc:]) or ""
            self._fail(url, source, f"{status} {detail}".strip())
        for error in dict.fromkeys(self.errors[n_errors:]):
            self._fail(url, source, error)
        return response

    def crawl(self, starts):
        queue = deque((s, "(start)") for s in starts)
        while queue:
            url, source = queue.popleft()
            if url in self.seen:
                continue
            kind = shape(url)
            # A few of each kind of URL, and the first link to it from each kind of page:
            # where a link is shown decides whether the user may follow it. Admin is
            # Django's own: once per kind there.
            pair = (kind, urlparse(shape(source)).path)
            if url.startswith("/admin/"):
                if self.shapes.get(kind, 0) >= 1:
                    continue
            elif self.shapes.get(kind, 0) >= self.per_shape and pair in self.pairs:
                continue
            self.seen.add(url)
            self.pairs.add(pair)
            self.shapes[kind] = self.shapes.get(kind, 0) + 1
            self.urls_by_shape.setdefault(kind, url)
            response = self.get(url, source)
            status = response.status_code
            if 300 <= status < 400:
                target = urlparse(response["Location"])
                queue.appendleft(
                    (target.path + ("?" + target.query if target.query else ""), source)
                )
                continue
            if 400 <= status < 500 and source != "(start)":
                self._fail(url, source, f"{status}: a link the user may not follow")
            content_type = response.get("Content-Type", "")
            if status != 200 or "text/html" not in content_type:
                continue
            for link in links(url, response.content.decode("utf-8", "replace")):
                self.found.add(link)
                if link not in self.seen:
                    queue.append((link, url))
        return self.failures

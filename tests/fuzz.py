"""The property-based tests' one module: their budget (``fuzz(n)``), the Hypothesis
strategies for posted values (``text``, ``junk``, ``numbers``, ``dates``, ``ids``,
``some_ids``) and the checks on what a request left behind.

``state()`` is the database as far as a refused request is concerned: the row count of
every table of the project's apps (many-to-many tables included) and the trail's writing
events. ``send()`` posts, checks the status is an answer and not a crash, and that a
refusal (form shown again, 4xx, or a redirect with an error message) left ``state()``
as it was.
"""

import os

from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.db import connection
from hypothesis import settings
from hypothesis import strategies as st

from historik.models import Handelse

# Statuses that are an answer: shown again, done, refused, not found, wrong method, conflict.
ANSWERS = {200, 302, 303, 400, 403, 404, 405, 409}
WRITES = ["create", "update", "delete", "transition", "import"]
APPS = ["avdelningar", "aktiviteter", "mal", "rapporter"]


def fuzz(n):
    """A test's budget: n examples in `make test` (the derandomized "ci" profile, see
    tests/conftest.py), FUZZ_SCALE times n in `make fuzz` (the random "fuzz" profile)."""
    if settings.get_current_profile_name() == "fuzz":
        n *= int(os.environ.get("FUZZ_SCALE", "20"))
    return settings(max_examples=n)


text = st.text(max_size=150)
junk = st.one_of(text, st.integers(-(10**20), 10**20).map(str), st.just(""))
numbers = st.one_of(
    st.integers(-5, 10**4).map(str),
    st.sampled_from(["", "-1", "1.5", "1,5", "1e400", "NaN", "inf", "9" * 30, "0x10", "٣"]),
    st.decimals(allow_nan=True).map(str),
    text,
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()), st.sampled_from(["2024-02-30", "igår", ""]), text
)


def ids(*good):
    return st.one_of(
        st.sampled_from([*(str(g) for g in good), "", "0", "-1", "999999999", "9" * 20]), text
    )


def some_ids(*good):
    """A list of ids for a multiple choice field: mostly real ones, sometimes junk."""
    return st.one_of(
        st.lists(st.sampled_from([str(g) for g in good]), max_size=3, unique=True),
        st.lists(ids(*good), max_size=3),
    )


def _tables():
    names = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            names.append(model._meta.db_table)
    return sorted(set(names))


def state():
    tables = _tables()
    sql = ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {sql}")
        counts = dict(zip(tables, cur.fetchone(), strict=True))
    counts["trail"] = Handelse.objects.filter(action__in=WRITES).count()
    return counts


def error_messages(response):
    """Error messages added by this request (older unread ones wait in the cookie)."""
    storage = get_messages(response.wsgi_request)
    return [m for m in storage._queued_messages if m.level >= constants.ERROR]


def refused(response):
    if response.status_code != 302 and response.status_code != 303:
        return True
    return bool(error_messages(response))


def send(client, url, data=None, *, method="post", unchanged=()):
    """Post (or get) and check the properties; returns (response, accepted).

    unchanged: callables whose values a refusal must not change either (an edited row).
    """
    before = state()
    extra = [f() for f in unchanged]
    r = getattr(client, method)(url, data or {})
    assert r.status_code in ANSWERS, (r.status_code, url, data)
    if method == "get":
        return r, False
    if refused(r):
        assert state() == before, (url, data, r.status_code)
        assert [f() for f in unchanged] == extra, (url, data)
        return r, False
    return r, True


def recorded(obj, *actions):
    return Handelse.objects.filter(
        model=obj._meta.label, object_id=str(obj.pk), action__in=actions or WRITES
    ).exists()

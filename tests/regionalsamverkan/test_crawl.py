"""The demo walked as its users walk it: every demo login, GET only, every link they are shown.

The demo is seeded once for the module (``seed_demo`` with its reports). Each login starts
from the start page (and ``/admin/`` for staff) and follows every same-site link and GET
form, a few pages of each kind of URL from each kind of page (tests/regionalsamverkan/
crawl.py). Any 5xx, any variable a project template looks up that does not exist, and any
link that answers 4xx to the user it was shown to is a failure; all of them are reported
together, with the user, the URL and the page that showed the link.

Then each kind of page is opened with junk: numbers in the path replaced by zero and huge
values, and every query key the page uses (and the common ones) set to negative, zero,
huge, non-numeric, impossible-date and NUL values. Any 5xx or template error fails.
"""

import io
import re
from urllib.parse import urlencode, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from .crawl import Crawler, query_keys, server_exceptions, shape, template_errors

# Query keys the views read (request.GET) or a page may be given by hand.
COMMON_KEYS = ["ar", "page", "efter", "sort", "format", "q", "mal"]
# Negative, zero, a year past 9999, past a 64-bit integer, a word, an impossible date, NUL.
JUNK = ["-1", "0", "10000", str(2**64), "abc", "2026-02-30", "\x00"]
# Each key of the page on its own (the others absent, so they cannot fail first).
JUNK_PER_KEY = ["-1", "0", str(2**64), "abc"]
# Numbers in the path: zero, years past 9999, past a 32- and a 64-bit integer.
PATH_JUNK = ["0", "10000", "99999", "2147483648", str(2**63), str(2**64)]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded demo, rolled back after the module (each test runs in a savepoint)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield media
        transaction.set_rollback(True)


def _users():
    return list(get_user_model().objects.filter(is_active=True).order_by("username"))


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _report(failures, what):
    lines = [str(f) for f in failures]
    return f"{len(lines)} {what}:\n" + "\n".join(lines[:150])


def test_every_demo_login_follows_every_link_without_an_error(demo, db, settings):
    settings.MEDIA_ROOT = demo  # the compiled reports' files
    users = _users()
    assert len(users) >= 10, "the demo has a login for every role"
    failures, pages = [], {}
    with template_errors() as errors, server_exceptions() as exceptions:
        for user in users:
            crawler = Crawler(_client(user), user.username, errors=errors, exceptions=exceptions)
            crawler.crawl(["/"] + (["/admin/"] if user.is_staff else []))
            failures += crawler.failures
            pages[user.username] = crawler
    assert not failures, _report(failures, "failures on the demo walk")
    # The walk reached the product, not only the start page: each role opens the kinds
    # of page its work is about.
    kinds = {name: {shape(u) for u in c.seen} for name, c in pages.items()}
    assert "/mal/atagande/N/" in kinds["styrelse-gotland"]
    assert "/aktiviteter/N/" in kinds["samordnare-syd"]
    assert "/rapporter/N/" in kinds["forbundsstyrelse"]
    assert "/admin/aktiviteter/aktivitet/N/change/" in kinds["admin"]


def _swap_numbers(path):
    """Each number of the path replaced by each junk value, one at a time."""
    for m in re.finditer(r"\d+", path):
        for value in PATH_JUNK:
            yield path[: m.start()] + value + path[m.end() :]


def _junk(path, own):
    yield from _swap_numbers(path)
    for value in JUNK:
        yield path + "?" + urlencode(dict.fromkeys(own + COMMON_KEYS, value))
    for key in own:
        for value in JUNK_PER_KEY:
            yield path + "?" + urlencode({key: value})


def test_every_kind_of_page_takes_junk_without_an_error(demo, db, settings):
    settings.MEDIA_ROOT = demo
    leader = get_user_model().objects.get(username="projektledare")
    with template_errors() as errors, server_exceptions() as exceptions:
        crawler = Crawler(
            _client(leader), leader.username, per_shape=1, errors=errors, exceptions=exceptions
        )
        crawler.crawl(["/"])
        keys = query_keys(crawler.found)
        # One page of each kind of path (its query's kinds differ in keys, tried below).
        paths = {}
        for url in crawler.seen:
            path = urlparse(url).path
            if not path.startswith("/admin/"):
                paths.setdefault(shape(path), path)
        variants = {
            v: None
            for kind, path in sorted(paths.items())
            for v in _junk(path, sorted(keys.get(kind, ())))
        }
        for variant in variants:
            crawler.get(variant, "(junk)")
    assert not crawler.failures, _report(crawler.failures, "failures on junk input")
    assert len(paths) > 40 and len(variants) > 400

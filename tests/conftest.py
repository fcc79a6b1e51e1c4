"""Shared fixtures: the reference data, and a named cast of users.

The cast, each role once:
- ``board``: board member of department A1 in Småland med öarna (SE21): writes A1.
- ``neighbour``: board member of A2, the other department in SE21: must not see A1's rows.
- ``outsider``: board member of B1 in Sydsverige (SE22): another area entirely.
- ``changeleader``: change leader in A1: sees A1, logs activities, does not write commitments.
- ``coordinator``: regional coordinator of SE21: reads and writes A1 and A2.
- ``other_coordinator``: regional coordinator of SE22: must not see SE21.
- ``leader``: project leader: everything.
- ``steering``: steering-group member: reads everything, writes nothing.
- ``board_national``: national-board member: reads, and sees only approved reports.
- ``wlu``: staff of the working-life unit (arbetslivsenheten): reads everything, logs national
  activities and those of departments outside the pilot, nothing in the pilot's areas.
- ``nobody``: logged in, no current assignment: sees nothing.
- ``root`` (a fixture of its own): the superuser, Django's admin; ``admin_client`` is
  logged in as root.

``users`` is the cast by the access table's column names (tests/security/access_table.py).
"""

import importlib
import os

import pytest
from django.apps import apps as django_apps
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from avdelningar.models import NutsOmrade, Roll

from . import factories as f
from .security.access_table import ROLES

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hypothesis, two profiles (HYPOTHESIS_PROFILE, or pytest --hypothesis-profile):
# - "ci", the default (`make test`, CI): derandomized, so every run draws the same examples;
#   a green run stays green and a red one fails again, the same way, on the next run. No
#   example database (nothing written to the worktree); a failure prints its reproduction blob.
# - "fuzz" (`make fuzz`): new random examples each run, FUZZ_SCALE (default 20) times each
#   test's budget (tests/fuzz.py: fuzz(n)); failures are kept in .hypothesis/
#   and tried first next time. An input that finds a bug becomes an @example of its test.
# - "examples": only the @example inputs, the bugs found so far (seconds, for a quick check).
# None has a deadline: on a shared two-core machine a slow example is not a failure.
_SLOW_IS_FINE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    print_blob=True,
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
)
hypothesis_settings.register_profile(
    "fuzz",
    derandomize=False,
    print_blob=True,
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
)
hypothesis_settings.register_profile(
    "examples", parent=hypothesis_settings.get_profile("ci"), phases=[Phase.explicit]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _load_reference_data():
    for module in (
        "avdelningar.migrations.0002_reference_data",
        "mal.migrations.0002_reference_goals",
    ):
        importlib.import_module(module).load(django_apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Every database test starts with the reference data (idempotent). Each transactional
    test flushes the tables when it ends (Django's TransactionTestCase does, by design), so
    the next database test finds no NUTS areas. In pytest-django's order (transactional
    tests after the others) only transactional tests meet a flush: a full run logging every
    reload found them in transactional tests and nowhere else. A plain database test meets
    one when the order changes (a plugin that shuffles the run or splits it by file): one
    such run answered 295 setup errors for a single missing row set."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if (
        "transactional_db" in names
        or "live_server" in names
        or (marker and marker.kwargs.get("transaction"))
    ):
        request.getfixturevalue("transactional_db")
    elif marker or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    if not NutsOmrade.objects.exists():
        _load_reference_data()


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test asks for the real worker."""
    from regionalsamverkan.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached list totals and report pages are keyed
    on ids, and ids come again after a rollback."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads, compiled PDFs and workbooks go to a temporary directory, never the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _session_refresh_once(settings):
    """A session is saved again once a minute of activity (SESSION_REFRESH_SECONDS); on a
    loaded machine a test's setup can take that minute, and the write then lands in a
    request whose queries the test counts. Tests get the refresh at their first request
    only; tests/security/test_login.py moves the clock past it to test the refresh."""
    settings.SESSION_REFRESH_SECONDS = 10**9


_PDFS = {}


class _OncePerRun:
    """Stands in for weasyprint.HTML: write_pdf() renders a given HTML string once per run and
    returns the same bytes after that (WeasyPrint's output depends on its input alone)."""

    def __init__(self, real, args, kwargs):
        self.real, self.args, self.kwargs = real, args, kwargs

    def write_pdf(self, *args, **kwargs):
        if self.args or args or kwargs or "string" not in self.kwargs:
            return self.real(*self.args, **self.kwargs).write_pdf(*args, **kwargs)
        key = tuple(sorted(self.kwargs.items()))
        if key not in _PDFS:
            _PDFS[key] = self.real(**self.kwargs).write_pdf()
        return _PDFS[key]

    def __getattr__(self, name):
        # Anything but write_pdf() (render(), …) is WeasyPrint's own document.
        return getattr(self.real(*self.args, **self.kwargs), name)


@pytest.fixture(autouse=True)
def _pdf_once_per_run(monkeypatch):
    """The suite's own time: report tests compile the same reports over and over (four
    versions in each test of tests/rapporter/test_views.py, the demo's two), and WeasyPrint
    took most of it. The same HTML gives the same PDF, so each is rendered once per run;
    every test still gets the real PDF of its own report."""
    import weasyprint

    real = weasyprint.HTML
    monkeypatch.setattr(weasyprint, "HTML", lambda *a, **kw: _OncePerRun(real, a, kw))


class Cast:
    pass


@pytest.fixture
def cast(db):
    c = Cast()
    c.se21 = NutsOmrade.objects.get(code="SE21")
    c.se22 = NutsOmrade.objects.get(code="SE22")
    f.DeltagandeFactory(nuts_omrade=c.se21)
    f.DeltagandeFactory(nuts_omrade=c.se22, joined_on="2020-01-01")
    c.a1 = f.AvdelningFactory(name="Avdelning A1", nuts_omrade=c.se21)
    c.a2 = f.AvdelningFactory(name="Avdelning A2", nuts_omrade=c.se21)
    c.b1 = f.AvdelningFactory(name="Avdelning B1", nuts_omrade=c.se22)
    c.board = f.user_with_role("board", Roll.STYRELSELEDAMOT, avdelning=c.a1)
    c.neighbour = f.user_with_role("neighbour", Roll.STYRELSELEDAMOT, avdelning=c.a2)
    c.outsider = f.user_with_role("outsider", Roll.STYRELSELEDAMOT, avdelning=c.b1)
    c.changeleader = f.user_with_role("changeleader", Roll.FORANDRINGSLEDARE, avdelning=c.a1)
    c.coordinator = f.user_with_role("coordinator", Roll.SAMORDNARE, nuts=c.se21)
    c.other_coordinator = f.user_with_role("other_coordinator", Roll.SAMORDNARE, nuts=c.se22)
    c.leader = f.user_with_role("leader", Roll.PROJEKTLEDARE)
    c.steering = f.user_with_role("steering", Roll.STYRGRUPP)
    c.board_national = f.user_with_role("board_national", Roll.FORBUNDSSTYRELSE)
    c.wlu = f.user_with_role("wlu", Roll.ARBETSLIVSENHETEN)
    c.nobody = f.UserFactory(username="nobody")
    return c


@pytest.fixture
def root(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-123")


@pytest.fixture
def admin_client(client, root):
    """pytest-django's admin_client, logged in as ``root`` so a test can name its user."""
    client.force_login(root)
    return client


@pytest.fixture
def users(cast, root):
    """The access table's columns: each role's user, None for anonymous, root for admin."""
    found = {role: getattr(cast, role, None) for role in ROLES}
    found["anonymous"] = None
    found["admin"] = root
    return found

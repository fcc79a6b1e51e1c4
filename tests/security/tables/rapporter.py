"""The annual report: versions, downloads, approval, narrative, costs.

Report versions come in six tenants: an area edition of SE21 ("own") and of SE22
("foreign"), each unapproved and approved (":approved"), and the whole-project edition
("project", "project:approved"). Unapproved versions are for the project leader, the
steering group and the area's own coordinator; the national board, admins and the other
area get 404 for them, as for anything they may not see. Department roles have no report
pages at all.
"""

import itertools

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from rapporter.models import Berattelse, Rapportversion
from rapporter.snapshot import gather
from tests.security.access_table import Row

# A year per objects() call: approved versions are unique per (year, area, edition), and
# rows marked fresh make new versions for every role.
_YEARS = itertools.count(2030)
_FILES = {"pdf": b"%PDF-1.4 access table\n", "xlsx": b"PK access table"}


def _file(kind):
    """One small stand-in file per kind in the media storage, reused by every version."""
    name = f"rapporter/access-table/rapport.{kind}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(_FILES[kind]))
    return name


def _version(year, nuts, approved, approver, snapshot):
    v = Rapportversion.objects.create(
        year=year,
        nuts_omrade=nuts,
        edition=Rapportversion.Edition.STYRGRUPP,
        number=2 if approved else 1,
        status=Rapportversion.Status.DONE,
        snapshot=snapshot,
        pdf=_file("pdf"),
        xlsx=_file("xlsx"),
        approved_at=timezone.now() if approved else None,
        approved_by=approver if approved else None,
    )
    return {"pk": v.pk}


def versions(cast):
    """The six versions; one real (empty-year) snapshot shared by all, so pages render."""
    year = next(_YEARS)
    snap = gather(year=2024, edition=Rapportversion.Edition.STYRGRUPP)
    return {
        "own": _version(year, cast.se21, False, cast.steering, snap),
        "foreign": _version(year, cast.se22, False, cast.steering, snap),
        "own:approved": _version(year, cast.se21, True, cast.steering, snap),
        "foreign:approved": _version(year, cast.se22, True, cast.steering, snap),
        "project": _version(year, None, False, cast.steering, snap),
        "project:approved": _version(year, None, True, cast.steering, snap),
    }


# GET of a version's pages (they are read-only: POST gives 405).
#                   anon board neigh outsd coord ocoord leadr steer natbd admin
VERSION_PAGES = {
    "own": "302  404   404   404   200   404    200   200   404   404",
    "foreign": "302  404   404   404   404   200    200   200   404   404",
    "own:approved": "302  404   404   404   200   404    200   200   200   200",
    "foreign:approved": "302  404   404   404   404   200    200   200   200   200",
    "project": "302  404   404   404   404   404    200   200   404   404",
    "project:approved": "302  404   404   404   200   200    200   200   200   200",
}
# Only the steering group approves; a version someone may not see is 404 before that.
#                   anon board neigh outsd coord ocoord leadr steer natbd admin
APPROVE = {
    "own": "302  404   404   404   403   404    403   302   404   404",
    "foreign": "302  404   404   404   404   403    403   302   404   404",
    "own:approved": "302  404   404   404   403   404    403   302   403   403",
    "foreign:approved": "302  404   404   404   404   403    403   302   403   403",
    "project": "302  404   404   404   404   404    403   302   404   404",
    "project:approved": "302  404   404   404   403   403    403   302   403   403",
}
# Only the project leader withdraws, and only an unapproved version (an approved one is
# refused with a message, 302 back); readers who see it get 403, others 404.
#                   anon board neigh outsd coord ocoord leadr steer natbd admin
WITHDRAW = {
    "own": "302  404   404   404   403   404    302   403   404   404",
    "foreign": "302  404   404   404   404   403    302   403   404   404",
    "own:approved": "302  404   404   404   403   404    302   403   403   403",
    "foreign:approved": "302  404   404   404   404   403    302   403   403   403",
    "project": "302  404   404   404   404   404    302   403   404   404",
    "project:approved": "302  404   404   404   403   403    302   403   403   403",
}
#                      anon board neigh outsd coord ocoord leadr steer natbd admin
NOT_ALLOWED = "302  405   405   405   405   405    405   405   405   405"
REPORT_READERS = "302  403   403   403   200   200    200   200   200   200"
READ_ONLY = dict.fromkeys(VERSION_PAGES, NOT_ALLOWED)


def _narrative(cast):
    # Fresh: every role writes onto an empty year, so no one meets another's version.
    Berattelse.objects.filter(year=2024).delete()
    return {"own": {"year": 2024}, "foreign": {"year": 2024}, "overall": {"year": 2024}}


def _narrative_post(cast, tenant):
    code = {"own": "SE21", "foreign": "SE22", "overall": ""}[tenant]
    return {"text": "Vi har nått långt.", "omrade": code, "version": 0}


def _compile_post(cast, tenant):
    # The cast's year has gaps (no narrative, costs or members): confirmed, as it must be.
    return {"year": 2024, "edition": "styrgrupp", "omrade": cast.se21.pk, "sammanstall_anda": "on"}


def _decision_post(cast, tenant):
    return {"kind": "approve", "meeting_date": timezone.localdate().isoformat(), "paragraph": "7"}


def _costs_post(cast, tenant):
    return {"coordinators": 100, "project_leader": 50, "other": 1, "version": 0}


ROWS = [
    Row(name="rapporter:list", get={"-": REPORT_READERS}, post={"-": NOT_ALLOWED}),
    Row(
        name="rapporter:compile",
        # The project leader compiles; the version is made and the job queued (302 to it).
        get={"-": NOT_ALLOWED},
        post={"-": "302  403   403   403   403   403    302   403   403   403"},
        post_data=_compile_post,
        changes_state=True,
        post_only=True,
    ),
    Row(name="rapporter:detail", objects=versions, get=VERSION_PAGES, post=READ_ONLY),
    Row(name="rapporter:status", objects=versions, get=VERSION_PAGES, post=READ_ONLY),
    Row(name="rapporter:pdf", objects=versions, get=VERSION_PAGES, post=READ_ONLY),
    Row(name="rapporter:xlsx", objects=versions, get=VERSION_PAGES, post=READ_ONLY),
    Row(
        name="rapporter:approve",
        objects=versions,
        get=dict.fromkeys(VERSION_PAGES, NOT_ALLOWED),
        post=APPROVE,
        changes_state=True,
        post_only=True,
        fresh=True,
        note="An approved version stays approved: a second approval is refused (302 back).",
    ),
    Row(
        name="rapporter:decide",
        objects=versions,
        get=dict.fromkeys(VERSION_PAGES, NOT_ALLOWED),
        # The steering group's decision, as the approval: only the steering group; an
        # approved version is refused with a message (302 back).
        post=APPROVE,
        post_data=_decision_post,
        changes_state=True,
        post_only=True,
        fresh=True,
    ),
    Row(
        name="rapporter:withdraw",
        objects=versions,
        get=dict.fromkeys(VERSION_PAGES, NOT_ALLOWED),
        post=WITHDRAW,
        changes_state=True,
        post_only=True,
        fresh=True,
    ),
    Row(
        name="rapporter:berattelse",
        objects=_narrative,
        # The project leader writes the overall assessment, each coordinator their area's
        # text (the leader reads the areas' texts); the readers have no page.
        get=dict.fromkeys(
            ("own", "foreign", "overall"),
            #     anon board neigh outsd coord ocoord leadr steer natbd admin
            "302  403   403   403   200   200    200   403   403   403",
        ),
        post={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  403   403   403   302   404    403   403   403   403",
            "foreign": "302  403   403   403   404   302    403   403   403   403",
            "overall": "302  403   403   403   403   403    302   403   403   403",
        },
        post_data=_narrative_post,
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="rapporter:kostnad",
        objects=lambda cast: {"-": {"year": 2024}},
        get={"-": REPORT_READERS},
        # Only the project leader enters the costs.
        post={"-": "302  403   403   403   403   403    302   403   403   403"},
        post_data=_costs_post,
        changes_state=True,
    ),
    Row(
        name="rapporter:kostnad_export",
        objects=lambda cast: {
            "csv": {"year": 2024, "fmt": "csv"},
            "xlsx": {"year": 2024, "fmt": "xlsx"},
        },
        get={"csv": REPORT_READERS, "xlsx": REPORT_READERS},
        post={"csv": NOT_ALLOWED, "xlsx": NOT_ALLOWED},
    ),
]

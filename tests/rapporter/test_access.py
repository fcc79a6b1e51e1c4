"""Who sees which report version: Rapportversion.visible_to, from access.py's role predicates."""

import pytest
from django.utils import timezone

from avdelningar.access import scope_for
from rapporter.models import Rapportversion


def version(nuts=None, approved=False):
    return Rapportversion(
        year=2024,
        nuts_omrade=nuts,
        edition="styrgrupp",
        number=1,
        status="done",
        approved_at=timezone.now() if approved else None,
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # (whole unapproved, whole approved, SE21 unapproved, SE21 approved)
        ("leader", (True, True, True, True)),
        ("steering", (True, True, True, True)),
        ("board_national", (False, True, False, True)),
        ("coordinator", (False, True, True, True)),
        ("other_coordinator", (False, True, False, False)),
        ("board", (False, False, False, False)),
        ("nobody", (False, False, False, False)),
    ],
)
def test_version_and_queryset_visibility_agree(cast, who, expected):
    scope = scope_for(getattr(cast, who))
    cases = [(None, False), (None, True), (cast.se21, False), (cast.se21, True)]
    assert tuple(version(n, a).visible_to(scope) for n, a in cases) == expected
    saved = []
    for i, (n, a) in enumerate(cases):
        v = version(n, a)
        v.number = i + 1
        if a:
            v.year = 2020 + i  # one approved version per report
        v.save()
        saved.append(v.pk)
    visible = set(Rapportversion.objects.visible_to(scope).values_list("pk", flat=True))
    assert visible == {pk for pk, ok in zip(saved, expected, strict=True) if ok}


def test_rights(cast):
    assert scope_for(cast.leader).can_compile_reports
    assert not scope_for(cast.steering).can_compile_reports
    assert scope_for(cast.steering).can_approve_reports
    assert not scope_for(cast.board_national).can_approve_reports
    assert not scope_for(cast.leader).can_approve_reports
    assert scope_for(cast.leader).can_edit_narrative(None)
    assert not scope_for(cast.leader).can_edit_narrative(cast.se21.pk)
    assert scope_for(cast.coordinator).can_edit_narrative(cast.se21.pk)
    assert not scope_for(cast.coordinator).can_edit_narrative(cast.se22.pk)
    assert not scope_for(cast.coordinator).can_edit_narrative(None)


def test_access_table_grants_no_version_that_access_py_refuses(cast, django_user_model):
    """The guard for tests/security/tables/rapporter.py: the generic guard knows areas and
    departments, not report versions, so the version rows are cross-checked here against
    ``Rapportversion.visible_to``: a 2xx in the table needs access.py's consent."""
    from tests.security.access_table import ROLES
    from tests.security.tables.rapporter import ROWS, versions

    users = {role: getattr(cast, role, None) for role in ROLES}
    users["admin"] = django_user_model.objects.create_superuser("admin", "a@example.org", "x")
    objects = versions(cast)
    rows = [r for r in ROWS if r.objects is versions]
    assert {r.name for r in rows} >= {"rapporter:detail", "rapporter:pdf", "rapporter:approve"}
    for row in rows:
        for tenant, kwargs in objects.items():
            v = Rapportversion.objects.get(pk=kwargs["pk"])
            for method in ("get", "post"):
                for role, status in row.expected(method, tenant).items():
                    if role == "anonymous":
                        continue
                    sees = v.visible_to(scope_for(users[role]))
                    if 200 <= status < 300:
                        assert sees, (row.name, tenant, method, role)
                    if not sees:
                        # Nothing reveals that a version exists to someone who may not see it.
                        assert status in (403, 404, 405), (row.name, tenant, method, role)

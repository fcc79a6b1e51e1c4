"""The report rules added to avdelningar.access.Scope."""

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
def test_can_see_report_and_filter_agree(cast, who, expected):
    scope = scope_for(getattr(cast, who))
    cases = [(None, False), (None, True), (cast.se21, False), (cast.se21, True)]
    assert tuple(scope.can_see_report(version(n, a)) for n, a in cases) == expected
    saved = []
    for i, (n, a) in enumerate(cases):
        v = version(n, a)
        v.number = i + 1
        if a:
            v.year = 2020 + i  # one approved version per report
        v.save()
        saved.append(v.pk)
    visible = set(scope.filter_reports(Rapportversion.objects.all()).values_list("pk", flat=True))
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

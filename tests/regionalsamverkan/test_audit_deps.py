"""scripts/audit_deps.py: the CI step that reads pip-audit's report."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_deps.py"


def run(tmp_path, dependencies):
    report = tmp_path / "audit.json"
    report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(report)], capture_output=True, text=True
    )


def test_a_known_vulnerability_fails_the_run(tmp_path):
    result = run(
        tmp_path,
        [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}],
            },
            {"name": "celery", "version": "5.7.0", "vulns": []},
        ],
    )
    assert result.returncode == 1
    assert "VULNERABLE: django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in result.stdout
    assert "2 of 2 packages audited, 1 vulnerable" in result.stdout


def test_packages_that_could_not_be_looked_up_are_named_not_passed_off_as_clean(tmp_path):
    result = run(
        tmp_path,
        [
            {"name": "amqp", "skip_reason": "Dependency not found on PyPI: amqp (5.4.2)"},
            {"name": "celery", "version": "5.7.0", "vulns": []},
        ],
    )
    assert result.returncode == 0
    assert "1 of 2 packages audited, 0 vulnerable" in result.stdout
    assert "NOT AUDITED: 1 packages" in result.stdout


def test_a_missing_report_fails(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "none.json")], capture_output=True
    )
    assert result.returncode != 0

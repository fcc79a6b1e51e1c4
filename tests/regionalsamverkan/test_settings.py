import pytest

from tests.helpers import PRODUCTION_ENV, run_manage


def test_check_deploy_is_clean_with_production_settings():
    r = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "kanske"),
        ("DATABASE_URL", "mysql://nope/db"),
        ("AXES_FAILURE_LIMIT", "fem"),
        ("ATAGANDE_REMINDER_DATE", "15 februari"),
        ("TRUSTED_PROXY_COUNT", "en"),
        ("TRUSTED_PROXY_COUNT", "-1"),
    ],
)
def test_bad_environment_value_fails_loudly_naming_the_variable(name, value):
    r = run_manage("check", env={**PRODUCTION_ENV, name: value})
    assert r.returncode != 0
    assert name in r.stderr


def test_commitment_escalation_before_the_reminder_stops_the_start_up():
    env = {"ATAGANDE_REMINDER_DATE": "3-1", "ATAGANDE_ESCALATION_DATE": "02-15"}
    r = run_manage("check", env={**PRODUCTION_ENV, **env})
    assert r.returncode != 0
    assert "ATAGANDE_ESCALATION_DATE=02-15 is before ATAGANDE_REMINDER_DATE=03-01" in r.stderr


def test_missing_secret_key_in_production_fails():
    env = dict(PRODUCTION_ENV)
    env["SECRET_KEY"] = ""
    r = run_manage("check", env=env)
    assert r.returncode != 0
    assert "SECRET_KEY" in r.stderr


def test_celery_is_eager_without_broker_and_real_with_one():
    code = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    r = run_manage("shell", "-c", code, env={**PRODUCTION_ENV, "CELERY_BROKER_URL": ""})
    assert r.stdout.strip().endswith("True"), r.stderr
    r = run_manage(
        "shell", "-c", code, env={**PRODUCTION_ENV, "CELERY_BROKER_URL": "redis://127.0.0.1:1/0"}
    )
    assert r.stdout.strip().endswith("False"), r.stderr

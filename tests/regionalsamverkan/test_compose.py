import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_docker_compose_file_is_valid_against_the_compose_schema():
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(ROOT / "docker-compose.yml"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_compose_has_every_service_with_health_checks():
    from ruamel.yaml import YAML

    compose = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, name
    # Worker and beat reuse the web service's image, as in cookiecutter-django.
    assert services["worker"]["image"] == services["web"]["image"]
    assert services["beat"]["image"] == services["web"]["image"]
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "volumes" in compose

"""Issue 13 #8: production 500s were logged nowhere (no handler for django.request with
DEBUG off). Now: one JSON line on stderr per error, with the request id that the 500 page
and the response show."""

import json

import pytest
from django.urls import reverse

from tests.helpers import PRODUCTION_ENV, run_manage

# In a production-like process: a view that fails, behind the real middleware and handler500.
PROBE = """
import sys, types
from django.contrib.auth.decorators import login_not_required
from django.test import Client, override_settings
from django.urls import path
from regionalsamverkan import urls

@login_not_required
def boom(request):
    raise RuntimeError("boom in the view")

mod = types.ModuleType("probe_urls")
mod.urlpatterns = [path("boom/", boom)]
mod.handler500 = urls.handler500
sys.modules["probe_urls"] = mod
with override_settings(ROOT_URLCONF="probe_urls"):
    client = Client(raise_request_exception=False)
    host = "regionalsamverkan.example.org"
    given = client.get("/boom/", secure=True, HTTP_HOST=host, HTTP_X_REQUEST_ID="proxy-id-42")
    made = client.get("/boom/", secure=True, HTTP_HOST=host, HTTP_X_REQUEST_ID="<script>")
sys.stderr.flush()
import json
print(json.dumps({
    "status": [given.status_code, made.status_code],
    "ids": [given["X-Request-ID"], made["X-Request-ID"]],
    "bodies": [given.content.decode(), made.content.decode()],
}))
"""


def test_a_server_error_is_one_json_line_on_stderr_with_its_request_id():
    r = run_manage("shell", "-c", PROBE, env=PRODUCTION_ENV)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["status"] == [500, 500]
    given, made = out["ids"]
    assert given == "proxy-id-42"
    assert made != "<script>" and len(made) == 32  # not sane: a new one
    assert "proxy-id-42" in out["bodies"][0] and made in out["bodies"][1]
    lines = [json.loads(line) for line in r.stderr.splitlines() if line.startswith("{")]
    errors = [line for line in lines if line["logger"] == "django.request"]
    assert [e["request_id"] for e in errors] == [given, made]
    first = errors[0]
    assert first["level"] == "ERROR" and first["status"] == 500 and first["path"] == "/boom/"
    assert "RuntimeError: boom in the view" in first["exception"]
    # The traceback stays inside its line.
    assert sum("boom in the view" in line for line in r.stderr.splitlines()) == 2


@pytest.mark.django_db
def test_every_answer_has_a_request_id(client):
    a = client.get(reverse("login"))
    b = client.get(reverse("login"))
    assert len(a["X-Request-ID"]) == 32 and a["X-Request-ID"] != b["X-Request-ID"]
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="abc.DEF-1")["X-Request-ID"] == (
        "abc.DEF-1"
    )
    assert len(client.get(reverse("login"), HTTP_X_REQUEST_ID="x" * 500)["X-Request-ID"]) == 32

"""Production settings, checked in a subprocess with a production-like environment."""

import json

from tests.helpers import PRODUCTION_ENV, run_manage

PROBE = """
import json
from django.test import Client, override_settings
with override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}):
    r = Client().get("/logga-in/", secure=True, HTTP_HOST="regionalsamverkan.example.org")
    plain = Client().get("/logga-in/", HTTP_HOST="regionalsamverkan.example.org")
from django.conf import settings as s
print(json.dumps({
    "status": r.status_code,
    "headers": dict(r.headers),
    "cookies": {k: dict(v) for k, v in r.cookies.items()},
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "session_cookie": s.SESSION_COOKIE_NAME,
    "session_secure": s.SESSION_COOKIE_SECURE,
    "otp_required": s.OTP_REQUIRED,
}))
"""


def probe():
    r = run_manage("shell", "-c", PROBE, env=PRODUCTION_ENV)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_production_headers_cookies_and_redirect():
    p = probe()
    assert p["status"] == 200
    h = {k.lower(): v for k, v in p["headers"].items()}
    hsts = dict(
        part.strip().partition("=")[::2] for part in h["strict-transport-security"].split(";")
    )
    assert int(hsts["max-age"]) >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts
    assert h["x-content-type-options"] == "nosniff"
    assert "unsafe-inline" not in h["content-security-policy"].split("script-src")[1].split(";")[0]
    # Cookies carry the __Host- prefix: Secure, no Domain, Path=/.
    csrf = p["cookies"]["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    assert p["session_cookie"] == "__Host-sessionid" and p["session_secure"]
    # Plain HTTP is sent to HTTPS.
    assert p["plain_status"] == 301
    assert p["plain_location"].startswith("https://")
    # The second factor is on by default in production.
    assert p["otp_required"] is True

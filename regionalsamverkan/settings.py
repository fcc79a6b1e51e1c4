"""Settings for Regionalsamverkan, all read from environment variables.

One file, like healthchecks: every knob is an environment variable with a safe
default for a developer's machine (SQLite, tasks run in-process). A value that
cannot be understood stops the start-up with a message naming the variable,
instead of silently running with something else.
"""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true/false (1/0, yes/no, on/off).")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number.") from None


def envmonthday(name, default):
    """A yearly date as MM-DD (e.g. 02-15), checked at start-up and returned zero-padded."""
    value = os.environ.get(name) or default
    try:
        month, day = (int(p) for p in value.split("-"))
        datetime.date(2000, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected MM-DD, e.g. 02-15.") from None
    return f"{month:02d}-{day:02d}"


def envlist(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# The test runner imports pytest before Django; production processes never do.
TESTING = envbool("TESTING", "pytest" in sys.modules)
# CI sets this so a missing PostgreSQL, Redis or Chromium fails the run instead of skipping.
REQUIRE_SERVICES = envbool("REQUIRE_SERVICES", False)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in production; for local work set DEBUG=true "
            "(make run does this)."
        )
    SECRET_KEY = "dev-only-insecure-key-not-for-production-use-0123456789abcdef"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
# `make bench` only: adds the constant-page floor view (/bench/bare/). Never in production.
BENCH_ENDPOINTS = envbool("BENCH_ENDPOINTS", False)
# Relations (actors, forums) not touched by an activity for this many months are flagged.
RELATION_STALE_MONTHS = envint("RELATION_STALE_MONTHS", 6)

INSTALLED_APPS = [
    # The wiring: its ready() sets the text limit on forms (regionalsamverkan.limits).
    "regionalsamverkan.apps.RegionalsamverkanConfig",
    "regionalsamverkan.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "regionalsamverkan.apps.AxesConfig",
    "django_otp",
    "regionalsamverkan.apps.TotpConfig",
    "avdelningar",
    "mal",
    "aktiviteter",
    "rapporter",
    "nyckeltal",
    "utveckling",
    "enkater",
    "larande",
    "natverk",
    "historik",
    "filer",
    "presentation",
    "konton",
    "start",
]

MIDDLEWARE = [
    # Outermost: every answer below, redirects, refusals and error pages included, has an id
    # and the security headers (issue 13: the trailing-slash 301 and the second factor's 302
    # were made below the headers and went out without them).
    "regionalsamverkan.middleware.RequestIdMiddleware",
    "regionalsamverkan.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything reads the body (CSRF reads the form): too large is refused unread.
    "regionalsamverkan.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the login check: a logged-in user who needs a second factor is sent to it.
    "konton.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "konton.middleware.AccessGuardMiddleware",
    # Last, so a lockout answer is rendered after everything else has run.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regionalsamverkan.urls"
WSGI_APPLICATION = "regionalsamverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "avdelningar.context_processors.access",
            ],
            # Number filters and the scroll region, on every template without a load.
            "builtins": ["presentation.templatetags.tal"],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://user@127.0.0.1:5432/regionalsamverkan.
# Unset means an SQLite file next to manage.py (the embedded default for `make run`).
_database_url = envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
except Exception as exc:  # dj_database_url raises several types for bad URLs
    raise ImproperlyConfigured(f"DATABASE_URL={_database_url!r}: {exc}") from None
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured(
        f"DATABASE_URL={_database_url!r}: only postgres:// and sqlite:// are supported."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite with PostgreSQL's integer ranges: a number too large for production's column
    # is a form error on both (regionalsamverkan/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "regionalsamverkan.sqlite3"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: our queries are short, and a high cost estimate (an OR over a subquery)
    # made PostgreSQL spend 100-170 ms compiling a 40 ms query (make bench, docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A write transaction takes SQLite's write lock when it begins, and others wait for
    # it (up to 20 s) instead of failing: a deferred one that read first and then wrote
    # answered "database is locked" at once when two requests wrote together (issue 13
    # #19: concurrent follow-ups gave a 500).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DATABASES["default"]["TEST"] = {"NAME": envstr("TEST_DATABASE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if TESTING:
    # The tests create many users; PBKDF2 makes that seconds per test on two cores.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
# Swedish for the third-party apps that have none (django-axes' admin).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Tests run with DEBUG off but without collectstatic.
if TESTING:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    WHITENOISE_AUTOREFRESH = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions: expire after inactivity, and never live longer than a working day.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 60 * 60 * 2)
# The idle timeout is pushed forward by activity, but at most once a minute
# (SESSION_REFRESH_SECONDS, konton.middleware): saving the session on every
# request cost three statements on every page.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 60 * 60 * 10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE = envbool("SECURE_COOKIES", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
if SECURE:
    # The __Host- prefix pins the cookie to this exact host over HTTPS.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# django-axes: lock a username+address pair after repeated failures, with a cool-off.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)
# The address behind the trusted proxies (TRUSTED_PROXY_COUNT), as in the audit trail:
# behind a TLS proxy every client had the proxy's address, so five wrong passwords from
# anyone locked the user out for everyone.
AXES_CLIENT_IP_CALLABLE = "historik.services.client_ip"

# Second factor (TOTP with django-otp). Required for staff, superusers and the project
# leader when OTP_REQUIRED is on (the default in production; off for `make run` and tests,
# so the demo logins work without an authenticator app); OTP_REQUIRED_FOR_ALL extends it
# to every user. Anyone may enrol a device at /konto/tvastegs/.
OTP_REQUIRED = envbool("OTP_REQUIRED", not DEBUG and not TESTING)
OTP_REQUIRED_FOR_ALL = envbool("OTP_REQUIRED_FOR_ALL", False)
OTP_TOTP_ISSUER = "Regionalsamverkan IF Metall"
# Admin never shows a device's secret or QR code: whoever reads it can make the codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# After each wrong code, refuse codes for 1, 2, 4, ... seconds (guessing 10^6 codes).
OTP_TOTP_THROTTLE_FACTOR = 1

# Retention of free text: notes older than this many days are cleared by
# `manage.py purge_notes`. Each app lists its free-text fields as "app.Model.field";
# labels whose model does not exist (yet) are skipped. 0 disables the purge.
RETENTION_NOTES_DAYS = envint("RETENTION_NOTES_DAYS", 365 * 5)
RETENTION_TEXT_FIELDS = [
    "aktiviteter.Aktivitet.notes",
]
# Contact persons at actors (personal data) not contacted for this many days are deleted
# by `manage.py purge_kontaktpersoner` (run with purge_notes). 0 disables it.
RETENTION_CONTACT_DAYS = envint("RETENTION_CONTACT_DAYS", 365 * 2)

# E-mail: console backend unless an SMTP host is given.
EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "regionalsamverkan@localhost")
# A mail server that does not answer must not hang a reminder task (which holds its claim
# on the reminder open until the send returns) or a report's notification.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = envstr("CELERY_RESULT_BACKEND", CELERY_BROKER_URL) or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Mid-January: last year's report, both editions, ready for the steering group.
    "rapport-previous-year": {
        "task": "rapporter.tasks.compile_previous_year",
        "schedule": crontab(minute=0, hour=6, day_of_month=15, month_of_year=1),
    },
    # Daily: remind boards whose commitments are not submitted (and escalate later).
    "atagande-reminders": {
        "task": "mal.tasks.send_atagande_reminders",
        "schedule": crontab(minute=0, hour=7),
    },
    # Daily: remind boards whose approved commitments lack a follow-up for a closing period.
    "uppfoljning-reminders": {
        "task": "mal.tasks.send_uppfoljning_reminders",
        "schedule": crontab(minute=10, hour=7),
    },
    # Daily: remind questionnaire recipients that have not submitted, before the deadline.
    "enkat-reminders": {
        "task": "enkater.tasks.send_enkat_reminders",
        "schedule": crontab(minute=20, hour=7),
    },
    # Re-queue report compilations whose worker vanished (stale heartbeat).
    "rapport-sweep": {
        "task": "rapporter.tasks.sweep_stale_reports",
        "schedule": envint("REPORT_SWEEP_SECONDS", 180),
    },
    # Hourly: delete import previews (uploaded files) older than a day, never confirmed.
    "import-previews-purge": {
        "task": "filer.tasks.purge_import_previews",
        "schedule": crontab(minute=20),
    },
}

# The annual report: a running compilation without a heartbeat for this long is presumed
# dead and re-queued by the sweep, at most REPORT_MAX_ATTEMPTS times in all.
REPORT_HEARTBEAT_STALE_SECONDS = envint("REPORT_HEARTBEAT_STALE_SECONDS", 300)
REPORT_MAX_ATTEMPTS = envint("REPORT_MAX_ATTEMPTS", 3)
# Test-only (honoured only when TESTING): pause after gathering, so a test can kill the worker.
REPORT_TEST_PAUSE_SECONDS = envint("REPORT_TEST_PAUSE_SECONDS", 0)
# Without a broker the compile job runs in a thread of the web process, so the request
# answers at once and the page shows the progress (rapporter/tasks.py); tests keep it inline.
REPORT_COMPILE_IN_THREAD = envbool(
    "REPORT_COMPILE_IN_THREAD", not CELERY_BROKER_URL and not TESTING
)

# Request and text limits (SECURITY.md, "Gränser").
# A body larger than this is refused with 413 before it is read
# (regionalsamverkan.middleware.RequestBodyLimitMiddleware): a 5 MB attachment or import
# file and the form around it fit.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", 6 * 1024 * 1024)
# Form fields other than files: Django answers 400 past this (a form's text is far less).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Uploads larger than this are streamed to a temporary file instead of held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Every form's text field without a max_length of its own (comments, notes, narratives)
# takes at most this many characters (regionalsamverkan.limits).
TEXT_MAX_LENGTH = envint("TEXT_MAX_LENGTH", 10_000)

# The client's address, for the lockout (django-axes) and the audit trail: with N trusted
# proxies in front (a TLS proxy: 1), the Nth address from the right of X-Forwarded-For,
# the one the outermost trusted proxy saw; with 0, REMOTE_ADDR and the header is ignored.
# Set it to exactly the number of proxies that append to the header: more lets a client
# choose its own address by sending the header, fewer makes every client the proxy.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT}: expected 0 or more.")

# Logs go to stderr as one JSON object a line (regionalsamverkan.logs), with the request id:
# a server error is one line with its traceback, as container platforms collect them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "regionalsamverkan.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        # Server errors (500) and refused requests Django logs as errors, DEBUG or not.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "regionalsamverkan.security": {"handlers": ["console"], "level": "INFO"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Commitment reminders (mal.reminders): "MM-DD" in the commitment year. After the first,
# departments that have not submitted are e-mailed; after the second, their coordinator.
ATAGANDE_REMINDER_DATE = envmonthday("ATAGANDE_REMINDER_DATE", "02-15")
ATAGANDE_ESCALATION_DATE = envmonthday("ATAGANDE_ESCALATION_DATE", "03-15")
# Zero-padded "MM-DD" strings compare as the dates do.
if ATAGANDE_ESCALATION_DATE < ATAGANDE_REMINDER_DATE:
    raise ImproperlyConfigured(
        f"ATAGANDE_ESCALATION_DATE={ATAGANDE_ESCALATION_DATE} is before ATAGANDE_REMINDER_DATE="
        f"{ATAGANDE_REMINDER_DATE}: the coordinator would be told before the board is reminded."
    )
# Follow-up reminders: days before a follow-up period closes for a department (its closing
# date, or the end of a reopening for it). The board is e-mailed from REMINDER_DAYS before;
# the coordinator from ESCALATION_DAYS before, while the department can still act (0 = on
# the closing day). 0 <= escalation <= reminder, else the coordinator would hear first.
UPPFOLJNING_REMINDER_DAYS = envint("UPPFOLJNING_REMINDER_DAYS", 14)
UPPFOLJNING_ESCALATION_DAYS = envint("UPPFOLJNING_ESCALATION_DAYS", 7)
if not 0 <= UPPFOLJNING_ESCALATION_DAYS <= UPPFOLJNING_REMINDER_DAYS:
    raise ImproperlyConfigured(
        f"UPPFOLJNING_REMINDER_DAYS={UPPFOLJNING_REMINDER_DAYS}, UPPFOLJNING_ESCALATION_DAYS="
        f"{UPPFOLJNING_ESCALATION_DAYS}: expected 0 <= escalation days <= reminder days."
    )

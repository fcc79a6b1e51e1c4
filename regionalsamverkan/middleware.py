import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils.http import urlencode
from django.views.defaults import bad_request

from .logs import request_id_var

# Scripts only from our own origin: no inline script, no CDN.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # admin and widgets set style attributes
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def has_nul(request):
    if "\x00" in request.path:
        return True
    return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists())


# An id from the proxy in front is kept if it looks like one: letters, digits, . _ : -
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class RequestIdMiddleware:
    """Gives every request an id: the proxy's X-Request-ID if it is sane, else a new one.

    The id is on the response (X-Request-ID), in every log line written while the request
    runs (regionalsamverkan.logs) and on the 500 page, so a user's "it broke" can be
    matched to its log line. Outermost, so even a refused body or a redirect has one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class SecurityHeadersMiddleware:
    """Headers every answer needs, redirects and error pages included.

    Near the top of MIDDLEWARE, so answers made by the middleware below it (the
    trailing-slash 301 of CommonMiddleware, the second factor's 302, a lockout, a refused
    body) carry them too, not just the views' pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not request.path.startswith(settings.STATIC_URL):
            # Pages hold personal data, and a redirect says where it leads: no copies in
            # shared caches or the browser's history. Static files keep WhiteNoise's caching.
            response["Cache-Control"] = "no-store"
        return response


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body is larger than MAX_REQUEST_BYTES with 413,
    before anything reads it. Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE) stop form
    fields but not files: a 300 MB attachment was received whole before the form said
    "högst 5 MB". A body without Content-Length is read as empty by Django's WSGI handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            body = loader.get_template("413.html").render(
                {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)}
            )
            response = HttpResponse(body, status=413)
            # The body is not read: the connection cannot be reused for another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class AccessGuardMiddleware:
    """The absolute session lifetime, NUL in the address, and refused access in the trail.

    The idle timeout is Django's SESSION_COOKIE_AGE, counted from the session's last save;
    activity saves it again once SESSION_REFRESH_SECONDS have passed (so the timeout is
    exact to a minute, without a write on every page). This adds a hard cap from the moment
    of login, so a session kept alive by activity still ends after a working day.

    It also records refused access: the access helpers (avdelningar.access) raise Http404
    for a foreign id and PermissionDenied for read-only; both land in the audit trail, at
    most once a minute per user and kind of address (historik.services.handelse_denied).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault("login_started_at", int(time.time()))
            now = int(time.time())
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if now - request.session.get("seen_at", 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session["seen_at"] = now  # modified: saved, expiry pushed forward

        if has_nul(request):
            # PostgreSQL cannot hold NUL in text; a lookup with one is a server error.
            return bad_request(request, SuspiciousOperation("NUL i adressen"))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Http404 | PermissionDenied):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        from historik.services import handelse_denied

        status = 404 if isinstance(exception, Http404) else 403
        handelse_denied(user=user, status=status, request=request)
        return None  # Django renders the 403/404 page as usual


def needs_second_factor(user):
    """Must this user pass a TOTP check before using the app (and admin)?"""
    if settings.OTP_REQUIRED_FOR_ALL:
        return True
    if user.is_staff or user.is_superuser:
        return True
    from avdelningar.access import scope_for

    return scope_for(user).is_project_leader


class SecondFactorMiddleware:
    """Sends a logged-in user who has not passed the second factor to verify or enrol.

    Required (settings.OTP_REQUIRED) for staff, superusers and the project leader, or for
    everyone with OTP_REQUIRED_FOR_ALL. Anyone who enrolled a device of their own accord is
    asked for it at every login as well, whatever the settings say.
    """

    EXEMPT = ("otp_enrol", "otp_verify", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(settings.STATIC_URL)
            and request.path not in {reverse(name) for name in self.EXEMPT}
        ):
            target = self._target(request, user)
            if target:
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _target(self, request, user):
        from django_otp import user_has_device

        # Remember "no device" for the session, so ordinary users pay one query per login.
        has_device = request.session.get("otp_has_device")
        if has_device is None:
            has_device = user_has_device(user, confirmed=True)
            request.session["otp_has_device"] = has_device
        if has_device:
            return "otp_verify"
        if settings.OTP_REQUIRED and needs_second_factor(user):
            return "otp_enrol"
        return None

"""The accounts' middleware: the session's absolute lifetime, refused access in the trail, and
the second factor."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.defaults import bad_request


def has_nul(request):
    if "\x00" in request.path:
        return True
    return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists())


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

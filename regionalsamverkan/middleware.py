import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

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


class SecurityHeadersMiddleware:
    """Headers every answer needs, and the absolute session lifetime.

    Django's SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST gives the idle timeout;
    this adds a hard cap from the moment of login, so a session kept alive by
    activity still ends after a working day.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault("login_started_at", int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)

        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            # Pages behind the login hold personal data: no copies in shared caches or history.
            response["Cache-Control"] = "no-store"
        return response

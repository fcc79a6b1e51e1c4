import re
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.template import loader

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

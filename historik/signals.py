"""Login, logout and failed logins into the audit trail.

Django's auth signals are framework machinery (they fire inside ``login``/``logout``/
``authenticate``), so listening to them is the one place to catch every login path:
the login page, admin's login and anything added later.
"""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import Handelse
from .services import handelse_record


@receiver(user_logged_in, dispatch_uid="historik-login")
def record_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The absolute session lifetime counts from here (konton.middleware).
        request.session["login_started_at"] = int(time.time())
    handelse_record(user=user, action=Handelse.Action.LOGIN, obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="historik-logout")
def record_logout(sender, request, user, **kwargs):
    if user is None:
        return
    handelse_record(user=user, action=Handelse.Action.LOGOUT, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="historik-login-failed")
def record_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username is kept; the password never reaches the trail.
    username = str(credentials.get("username", ""))[:150]
    handelse_record(
        user=None,
        action=Handelse.Action.LOGIN_FAILED,
        model="auth.User",
        object_repr=username,
        note=f"Misslyckad inloggning som {username!r}",
        request=request,
    )

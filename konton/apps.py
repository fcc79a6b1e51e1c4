from django.apps import AppConfig


class KontonConfig(AppConfig):
    """Accounts: logging in, the second factor, and the middleware that guards a session.
    Above the organisation (it asks access.py who must use a second factor), below the
    wiring. No models: users are Django's, devices django-otp's."""

    name = "konton"
    verbose_name = "Konton"

"""The audit trail: who changed, exported or opened what, and when.

Rows are only ever inserted (by ``historik.services``); the app offers no way to change
or delete them, and admin shows them read-only.

``Versioned`` is here too: the columns every app's editable rows share for optimistic
locking, on the bottom floor so every app may build on it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Versioned(models.Model):
    """A row that two people may edit at once: each save bumps ``version``, and a save made
    from a form loaded at an older version is refused (``services.save_versioned``, which
    checks and bumps in one UPDATE and raises ConflictError).

    A form for a row that does not exist yet carries version 0. Where a service creates
    such a row while someone may have that form open (a follow-up, a year's costs), it
    creates it at version 1, so the other form meets a conflict instead of overwriting.

    Who saved last is ``updated_by``, declared by the models whose services set it: the
    trail says who for every change, and a column left empty would say nothing.
    ``save_versioned`` runs an UPDATE, which skips ``auto_now``: a service that wants
    ``updated_at`` to move sets it and names it in update_fields.
    """

    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField("ändrad", auto_now=True)

    class Meta:
        abstract = True


class Handelse(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Skapad"
        UPDATE = "update", "Ändrad"
        DELETE = "delete", "Borttagen"
        TRANSITION = "transition", "Status ändrad"
        EXPORT = "export", "Exporterad"
        DOWNLOAD = "download", "Nedladdad"
        VIEW = "view", "Visad"
        IMPORT = "import", "Importerad"
        LOGIN = "login", "Inloggning"
        LOGOUT = "logout", "Utloggning"
        LOGIN_FAILED = "login_failed", "Misslyckad inloggning"
        DENIED = "denied", "Nekad åtkomst"

    at = models.DateTimeField("tidpunkt", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="användare",
    )
    # Kept as text too: the trail must still say who it was if the user is removed.
    username = models.CharField("användarnamn", max_length=150, blank=True)
    action = models.CharField("händelse", max_length=16, choices=Action.choices)
    model = models.CharField("typ", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("objekt-id", max_length=64, blank=True)
    object_repr = models.CharField("objekt", max_length=200, blank=True)
    changes = models.JSONField("ändringar", default=dict, blank=True)
    note = models.TextField("anteckning", blank=True)
    # The tenant the row belongs to, so the trail itself can be scoped.
    nuts_omrade_id = models.BigIntegerField(null=True, blank=True)
    avdelning_id = models.BigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField("adress", null=True, blank=True)
    # Refused requests are recorded once a minute per user and kind of path: this names the
    # minute's slot, and its uniqueness keeps a second row out (services.handelse_denied).
    bucket = models.CharField("spärrnyckel", max_length=255, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "händelse"
        verbose_name_plural = "händelser"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="handelse_object_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=[
                        "create",
                        "update",
                        "delete",
                        "transition",
                        "export",
                        "download",
                        "view",
                        "import",
                        "login",
                        "logout",
                        "login_failed",
                        "denied",
                    ]
                ),
                name="handelse_action_valid",
                violation_error_message="Okänd händelse.",
            ),
            models.UniqueConstraint(
                fields=["bucket"],
                condition=Q(bucket__isnull=False),
                name="handelse_bucket_unique",
                violation_error_message="Nekandet är redan registrerat den här minuten.",
            ),
        ]

    def __str__(self):
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.username} {self.get_action_display()} {self.object_repr}"

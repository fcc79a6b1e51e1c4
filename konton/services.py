"""The accounts' workflows: what changes when a second factor is confirmed or refused, and
its record in the trail. The views keep the session (login, the enrolment's key)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from historik.models import Handelse
from historik.services import handelse_record


def totp_confirm(
    *, device: TOTPDevice, user: AbstractBaseUser, request: HttpRequest | None = None
) -> None:
    """The user's new device answered with a right code: it counts from now on."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE,
            obj=device,
            note="Tvåstegsverifiering aktiverad",
            request=request,
        )


def totp_refused_record(*, user: AbstractBaseUser, request: HttpRequest | None = None) -> None:
    """A wrong one-time code at the login's second step: in the trail like a wrong password."""
    handelse_record(
        user=user,
        action=Handelse.Action.LOGIN_FAILED,
        obj=user,
        note="Fel engångskod",
        request=request,
    )

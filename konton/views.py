"""Logging in and the second factor (TOTP): enrolment and the check at every login."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .forms import LoginForm, TokenForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "start"


def _qr_data_uri(url):
    # Drawn here as SVG and inlined as a data: URI: the secret never leaves the server.
    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


ENROL_SESSION_KEY = "otp_enrol_device"


def _enrolment_device(request):
    """This session's unconfirmed device, made on its first visit to the enrolment page.

    Each enrolment gets a new secret, held by the session that started it: the secret of
    an unconfirmed device used to be reused and shown on every visit, so anyone who knew
    the password could read it first and keep valid codes once the owner confirmed it.
    Starting an enrolment deletes the user's other unconfirmed devices (stale, or another
    session's), so a secret read elsewhere is never confirmed later."""
    user = request.user
    device_id = request.session.get(ENROL_SESSION_KEY)
    device = None
    if device_id is not None:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        if request.method == "POST":
            return None  # a code for a secret this session never showed
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)
        request.session[ENROL_SESSION_KEY] = device.pk
    return device


def otp_enrol(request):
    """Set up an authenticator app: scan the QR code, confirm with a code from the app."""
    user = request.user
    if any(devices_for_user(user, confirmed=True)):
        messages.info(request, "Du har redan tvåstegsverifiering.")
        return redirect("start")
    device = _enrolment_device(request)
    if device is None:
        messages.error(
            request,
            "Aktiveringen har gått ut eller påbörjades någon annanstans. Skanna den nya "
            "QR-koden och försök igen.",
        )
        return redirect(request.get_full_path())
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            services.totp_confirm(device=device, user=user, request=request)
            request.session.pop(ENROL_SESSION_KEY, None)
            otp_login(request, device)
            request.session["otp_has_device"] = True
            messages.success(request, "Tvåstegsverifieringen är aktiverad.")
            return redirect(_next(request))
        form.add_error(
            "token", "Koden stämmer inte. Kontrollera klockan i telefonen och försök igen."
        )
    ctx = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": _next(request) if _next(request) != "start" else "",
    }
    return render(request, "registration/otp_enrol.html", ctx)


def otp_verify(request):
    """The second step of the login, for users with a device."""
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect("otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in devices:
            if device.verify_is_allowed()[0] and device.verify_token(token):
                otp_login(request, device)
                return redirect(_next(request))
        services.totp_refused_record(user=request.user, request=request)
        form.add_error("token", "Koden stämmer inte eller har redan använts. Vänta på nästa kod.")
    next_url = _next(request)
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": next_url if next_url != "start" else ""},
    )

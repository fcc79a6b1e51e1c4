"""The wiring as an app: the text limit on forms, and Swedish section names in admin for the
third-party apps (their own are English)."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as AdminAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig


class RegionalsamverkanConfig(AppConfig):
    """The wiring project as an app: no models, only what must be set up once at start."""

    name = "regionalsamverkan"
    verbose_name = "Regionalsamverkan"

    def ready(self):
        from . import limits

        limits.install()


class AxesConfig(AxesAppConfig):
    verbose_name = "Inloggningsspärrar"


class TotpConfig(TotpAppConfig):
    verbose_name = "Tvåstegsverifiering"


class AdminSite(admin.AdminSite):
    """Admin, with Swedish names for the third-party models whose names cannot be
    translated (django-otp's are plain English strings)."""

    site_header = "Regionalsamverkan IF Metall – administration"
    site_title = "Regionalsamverkan"
    index_title = "Administration"
    model_names = {"otp_totp.totpdevice": "Tvåstegsenheter (TOTP)"}

    def _build_app_dict(self, request, label=None):
        app_dict = super()._build_app_dict(request, label)
        apps = [app_dict] if label else app_dict.values()
        for app in apps:
            for model in app.get("models", []):
                name = self.model_names.get(model["model"]._meta.label_lower)
                if name:
                    model["name"] = name
        return app_dict


class AdminConfig(AdminAppConfig):
    default_site = "regionalsamverkan.apps.AdminSite"

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "Regionalsamverkan IF Metall – administration"
admin.site.site_title = "Regionalsamverkan"
admin.site.index_title = "Administration"

urlpatterns = [
    path(
        "logga-in/",
        views.LoginView.as_view(),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/tvastegs/", views.otp_enrol, name="otp_enrol"),
    path("konto/verifiera/", views.otp_verify, name="otp_verify"),
    path("admin/", admin.site.urls),
    path("", include("avdelningar.urls")),
    path("mal/", include("mal.urls")),
    path("aktiviteter/", include("aktiviteter.urls")),
    path("rapporter/", include("rapporter.urls")),
    path("historik/", include("historik.urls")),
]

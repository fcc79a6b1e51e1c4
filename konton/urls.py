from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/tvastegs/", views.otp_enrol, name="otp_enrol"),
    path("konto/verifiera/", views.otp_verify, name="otp_verify"),
]

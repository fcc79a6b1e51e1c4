from django.urls import path

from . import views

urlpatterns = [
    path("", views.start, name="start"),
    path("omrade/<str:code>/", views.omrade, name="omrade"),
    path("avdelning/<int:pk>/", views.avdelning, name="avdelning"),
    path("konto/epost/", views.epost, name="epost"),
]

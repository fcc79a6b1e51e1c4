from django.urls import path

from . import trail, views

urlpatterns = [
    path("omrade/<str:code>/", views.omrade, name="omrade"),
    path("avdelning/<int:pk>/", views.avdelning, name="avdelning"),
    path("konto/epost/", views.epost, name="epost"),
    path("historik/", trail.handelser, name="historik"),
]

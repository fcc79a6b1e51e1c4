from django.urls import path

from . import beslutslogg, trail, views

urlpatterns = [
    path("omrade/<str:code>/", views.omrade, name="omrade"),
    path("avdelning/<int:pk>/", views.avdelning, name="avdelning"),
    path("konto/epost/", views.epost, name="epost"),
    path("historik/", trail.handelser, name="historik"),
    path("beslut/", beslutslogg.lista, name="beslutslogg"),
    path("beslut/ny/", beslutslogg.ny, name="beslut_ny"),
    path("beslut/<int:pk>/", beslutslogg.detalj, name="beslut"),
    path("beslut/<int:pk>/andra/", beslutslogg.andra, name="beslut_andra"),
]

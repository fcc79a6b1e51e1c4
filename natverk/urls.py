from django.urls import path

from . import views

app_name = "natverk"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.karta, name="karta"),
    path("<slug:slug>/data.json", views.data, name="data"),
]

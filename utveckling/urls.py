from django.urls import path

from . import views

app_name = "utveckling"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("kravprofil/", views.kravprofil, name="kravprofil"),
    path("jamfor/<int:year>/", views.jamfor, name="jamfor"),
    path("<int:pk>/", views.kandidat, name="kandidat"),
    path("<int:pk>/bedom/", views.bedom, name="bedom"),
    path("<int:pk>/foresla/", views.foresla, name="foresla"),
    path("<int:pk>/styrgruppen/", views.styrgrupp, name="styrgrupp"),
    path("<int:pk>/forbundsstyrelsen/", views.forbundsstyrelsen, name="forbundsstyrelsen"),
    path("<int:pk>/samordnare/", views.samordnare, name="samordnare"),
]

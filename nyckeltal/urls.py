from django.urls import path

from . import views, views_jamforelse

app_name = "nyckeltal"

urlpatterns = [
    path("avdelning/<int:pk>/", views.avdelning, name="avdelning"),
    path("avdelning/<int:pk>/<int:year>/", views.ar, name="ar"),
    path("import/", views.importera, name="import"),
    path("import/mall.xlsx", views.import_mall, name="import_mall"),
    path("jamforelse/", views_jamforelse.jamforelse, name="jamforelse"),
    path(
        "jamforelse/export.<str:fmt>", views_jamforelse.jamforelse_export, name="jamforelse_export"
    ),
]

from django.urls import path

from . import views

app_name = "mal"

urlpatterns = [
    path("", views.start_redirect, name="start"),
    path("avdelning/<int:pk>/<int:year>/", views.avdelning_ar, name="avdelning_ar"),
    path("avdelning/<int:pk>/<int:year>/nytt/", views.atagande_ny_avdelning, name="ny_avdelning"),
    path(
        "avdelning/<int:pk>/<int:year>/fran-forra-aret/",
        views.atagande_kopiera,
        name="kopiera",
    ),
    path("omrade/<str:code>/<int:year>/", views.omrade_ar, name="omrade_ar"),
    path("omrade/<str:code>/<int:year>/nytt/", views.atagande_ny_omrade, name="ny_omrade"),
    path("nationellt/<int:year>/", views.nationellt, name="nationellt"),
    path("nationellt/<int:year>/nytt/", views.atagande_ny_nationellt, name="ny_nationellt"),
    path("indikatorer/", views.indikatorer, name="indikatorer"),
    path("import/", views.import_page, name="import"),
    path("import/mall.xlsx", views.import_mall, name="import_mall"),
    path("granskning/", views.granskning, name="granskning"),
    path("atagande/<int:pk>/", views.atagande, name="atagande"),
    path("atagande/<int:pk>/andra/", views.atagande_andra, name="andra"),
    path("atagande/<int:pk>/skicka-in/", views.atagande_skicka, name="skicka"),
    path("atagande/<int:pk>/godkann/", views.atagande_godkann, name="godkann"),
    path("atagande/<int:pk>/returnera/", views.atagande_returnera, name="returnera"),
    path("atagande/<int:pk>/oppna/", views.atagande_oppna, name="oppna"),
    path("atagande/<int:pk>/kommentar/", views.kommentar, name="kommentar"),
    path("atagande/<int:pk>/bilaga/", views.bilaga_ny, name="bilaga_ny"),
    path("atagande/<int:pk>/bilaga/<int:bid>/", views.bilaga, name="bilaga"),
    path("atagande/<int:pk>/bilaga/<int:bid>/ta-bort/", views.bilaga_bort, name="bilaga_bort"),
    path(
        "atagande/<int:pk>/uppfoljning/<int:period_pk>/",
        views.uppfoljning,
        name="uppfoljning",
    ),
    path(
        "atagande/<int:pk>/period/<int:period_pk>/oppna/",
        views.period_oppna,
        name="period_oppna",
    ),
    path("riktlinjer/", views.riktlinjer, name="riktlinjer"),
    path("atagande/<int:pk>/historik/", views.historik, name="historik"),
]

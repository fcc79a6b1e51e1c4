from django.urls import path

from .views import atagande, importera, oversikter, riktlinjer

app_name = "mal"

urlpatterns = [
    path("", oversikter.start, name="start"),
    path("avdelning/<int:pk>/<int:year>/", oversikter.avdelning_ar, name="avdelning_ar"),
    path(
        "avdelning/<int:pk>/<int:year>/nytt/",
        atagande.atagande_ny_avdelning,
        name="ny_avdelning",
    ),
    path(
        "avdelning/<int:pk>/<int:year>/fran-forra-aret/",
        atagande.atagande_kopiera,
        name="kopiera",
    ),
    path("omrade/<str:code>/<int:year>/", oversikter.omrade_ar, name="omrade_ar"),
    path("omrade/<str:code>/<int:year>/nytt/", atagande.atagande_ny_omrade, name="ny_omrade"),
    path("nationellt/<int:year>/", oversikter.nationellt, name="nationellt"),
    path("nationellt/<int:year>/nytt/", atagande.atagande_ny_nationellt, name="ny_nationellt"),
    path("indikatorer/", oversikter.indikatorer, name="indikatorer"),
    path("import/", importera.importera, name="import"),
    path("import/mall.xlsx", importera.import_mall, name="import_mall"),
    path("granskning/", oversikter.granskning, name="granskning"),
    path("atagande/<int:pk>/", atagande.atagande, name="atagande"),
    path("atagande/<int:pk>/andra/", atagande.atagande_andra, name="andra"),
    path("atagande/<int:pk>/skicka-in/", atagande.atagande_skicka, name="skicka"),
    path("atagande/<int:pk>/godkann/", atagande.atagande_godkann, name="godkann"),
    path("atagande/<int:pk>/returnera/", atagande.atagande_returnera, name="returnera"),
    path("atagande/<int:pk>/oppna/", atagande.atagande_oppna, name="oppna"),
    path("atagande/<int:pk>/kommentar/", atagande.kommentar, name="kommentar"),
    path("atagande/<int:pk>/bilaga/", atagande.bilaga_ny, name="bilaga_ny"),
    path("atagande/<int:pk>/bilaga/<int:bid>/", atagande.bilaga, name="bilaga"),
    path("atagande/<int:pk>/bilaga/<int:bid>/ta-bort/", atagande.bilaga_bort, name="bilaga_bort"),
    path(
        "atagande/<int:pk>/uppfoljning/<int:period_pk>/",
        atagande.uppfoljning,
        name="uppfoljning",
    ),
    path(
        "atagande/<int:pk>/period/<int:period_pk>/oppna/",
        atagande.period_oppna,
        name="period_oppna",
    ),
    path("riktlinjer/", riktlinjer.riktlinjer, name="riktlinjer"),
    path("atagande/<int:pk>/historik/", atagande.historik, name="historik"),
]

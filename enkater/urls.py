from django.urls import path

from . import views

app_name = "enkater"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("ny/", views.ny, name="ny"),
    path("<int:pk>/", views.enkat, name="enkat"),
    path("<int:pk>/andra/", views.andra, name="andra"),
    path("<int:pk>/avsnitt/", views.avsnitt, name="avsnitt"),
    path("<int:pk>/avsnitt/<int:avsnitt_pk>/", views.fragor, name="fragor"),
    path("<int:pk>/skicka/", views.skicka, name="skicka"),
    path("<int:pk>/kopiera/", views.kopiera, name="kopiera"),
    path("<int:pk>/resultat/", views.resultat, name="resultat"),
    path("<int:pk>/resultat.pdf", views.resultat_pdf, name="resultat_pdf"),
    path("<int:pk>/resultat/<str:code>/", views.resultat, name="resultat_omrade"),
    path("<int:pk>/resultat/<str:code>.pdf", views.resultat_pdf, name="resultat_omrade_pdf"),
    path("<int:pk>/jamforelse/", views.jamforelse, name="jamforelse"),
    path("svar/<int:pk>/", views.svar, name="svar"),
]

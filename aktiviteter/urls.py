from django.urls import path

from . import views

app_name = "aktiviteter"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("ny/", views.ny, name="ny"),
    path("<int:pk>/", views.detalj, name="detalj"),
    path("<int:pk>/andra/", views.andra, name="andra"),
    path("<int:pk>/ta-bort/", views.ta_bort, name="ta_bort"),
    path("<int:pk>/nasta-steg-klart/", views.nasta_steg_klart, name="nasta_steg_klart"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("import/", views.import_page, name="import"),
    path("import/spara/", views.import_run, name="import_run"),
    path("import/mall.<str:fmt>", views.import_mall, name="import_mall"),
    path("aktorer/", views.aktorer, name="aktorer"),
    path("aktorer/<int:pk>/", views.aktor, name="aktor"),
    path("aktorer/ny/", views.register_edit, {"kind": "aktor"}, name="aktor_ny"),
    path("aktorer/<int:pk>/andra/", views.register_edit, {"kind": "aktor"}, name="aktor_andra"),
    path("aktorer/<int:pk>/kontaktpersoner/ny/", views.kontaktperson_ny, name="kontaktperson_ny"),
    path(
        "aktorer/<int:pk>/kontaktpersoner/<int:kpk>/andra/",
        views.kontaktperson_andra,
        name="kontaktperson_andra",
    ),
    path(
        "aktorer/<int:pk>/kontaktpersoner/<int:kpk>/ta-bort/",
        views.kontaktperson_ta_bort,
        name="kontaktperson_ta_bort",
    ),
    path("forum/", views.forum_lista, name="forum_lista"),
    path("forum/<int:pk>/", views.forum, name="forum"),
    path("forum/ny/", views.register_edit, {"kind": "forum"}, name="forum_ny"),
    path("forum/<int:pk>/andra/", views.register_edit, {"kind": "forum"}, name="forum_andra"),
    path("projekt/", views.projekt_lista, name="projekt_lista"),
    path("projekt/<int:pk>/", views.projekt, name="projekt"),
    path("projekt/ny/", views.register_edit, {"kind": "projekt"}, name="projekt_ny"),
    path("projekt/<int:pk>/andra/", views.register_edit, {"kind": "projekt"}, name="projekt_andra"),
]

from django.urls import path

from . import views

app_name = "rapporter"

urlpatterns = [
    path("", views.rapport_lista, name="list"),
    path("sammanstall/", views.rapport_sammanstall, name="compile"),
    path("<int:pk>/", views.rapport_detalj, name="detail"),
    path("<int:pk>/status/", views.rapport_status, name="status"),
    path("<int:pk>/pdf/", views.rapport_pdf, name="pdf"),
    path("<int:pk>/xlsx/", views.rapport_xlsx, name="xlsx"),
    path("<int:pk>/godkann/", views.rapport_godkann, name="approve"),
    path("<int:pk>/beslut/", views.rapport_beslut, name="decide"),
    path("<int:pk>/aterkalla/", views.rapport_aterkalla, name="withdraw"),
    path("berattelse/<int:year>/", views.berattelse, name="berattelse"),
    path("kostnad/<int:year>/", views.kostnad, name="kostnad"),
    path("kostnad/<int:year>/export.<str:fmt>", views.kostnad_export, name="kostnad_export"),
]

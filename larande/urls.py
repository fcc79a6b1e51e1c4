from django.urls import path

from . import views

app_name = "larande"

urlpatterns = [
    path("mote/<int:pk>/", views.mote, name="mote"),
    path("mote/<int:pk>/underlag/", views.mote_underlag, name="mote_underlag"),
    path("mote/<int:pk>/atgard/ny/", views.atgard_ny, name="atgard_ny"),
    path("atgard/<int:pk>/", views.atgard, name="atgard"),
    path("atgard/<int:pk>/klar/", views.atgard_klar, name="atgard_klar"),
    path("atgarder/", views.atgarder, name="atgarder"),
    path("lardomar/", views.lardomar, name="lardomar"),
    path("lardomar/<str:code>/<int:year>/", views.lardom, name="lardom"),
]

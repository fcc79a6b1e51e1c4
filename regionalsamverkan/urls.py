from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

handler500 = "regionalsamverkan.views.server_error"

urlpatterns = [
    path("", include("konton.urls")),
    path("admin/", admin.site.urls),
    path("", include("start.urls")),
    path("", include("avdelningar.urls")),
    path("mal/", include("mal.urls")),
    path("aktiviteter/", include("aktiviteter.urls")),
    path("rapporter/", include("rapporter.urls")),
    path("natverk/", include("natverk.urls")),
    path("nyckeltal/", include("nyckeltal.urls")),
    path("enkater/", include("enkater.urls")),
    path("larande/", include("larande.urls")),
    path("utveckling/", include("utveckling.urls")),
]

if settings.BENCH_ENDPOINTS:
    # The benchmark's floor: a constant page through the same middleware and gunicorn.
    # Only when BENCH_ENDPOINTS is set, so normal runs (and the access matrix) never see it.
    urlpatterns.append(path("bench/bare/", views.bench_bare, name="bench_bare"))

handler404 = "regionalsamverkan.views.page_not_found"

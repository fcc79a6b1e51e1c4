from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from avdelningar.models import Uppdrag


def page_not_found(request, exception):
    """404, and for a user whose assignment has not begun, when it does: their pages
    answer 404 until then, which otherwise reads as a fault."""
    return render(
        request,
        "404.html",
        {"upcoming": Uppdrag.objects.upcoming_for(getattr(request, "user", None))},
        status=404,
    )


def server_error(request):
    """The 500 page with the request's id, which is also on the error's log line.

    Like Django's own, it renders without context processors or the database: whatever
    broke may be what they need."""
    body = loader.get_template("500.html").render(
        {"request_id": getattr(request, "request_id", "")}
    )
    return HttpResponseServerError(body)


@login_not_required
def bench_bare(request):
    """A constant page: what Django and gunicorn cost before any app code (make bench)."""
    return HttpResponse(BENCH_PAGE)


BENCH_PAGE = "<!doctype html><title>bench</title><p>" + "Regionalsamverkan " * 200 + "</p>"

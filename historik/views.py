from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from avdelningar.access import scope_for

from .forms import HandelseFilterForm
from .models import Handelse


def can_read_trail(user):
    return user.is_superuser or scope_for(user).is_project_leader


@require_safe
def handelser(request):
    """The audit trail, read-only, for the project leader and admins."""
    if not can_read_trail(request.user):
        raise PermissionDenied("Bara projektledaren och administratörer kan läsa historiken.")
    form = HandelseFilterForm(request.GET or None)
    qs = Handelse.objects.all()
    if form.is_bound and form.is_valid():
        qs = form.filter(qs)
    elif form.is_bound:
        qs = qs.none()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "historik/handelser.html", ctx)

import pytest
from django.contrib import admin
from django.urls import reverse

from .helpers import make_aktivitet, make_forum, make_projekt

pytestmark = pytest.mark.django_db


def test_admin_pages_render_and_activities_are_read_only(client, django_user_model, cast):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-x-123456")
    client.force_login(root)
    a = make_aktivitet(cast.se21)
    forum = make_forum(cast.se21)
    make_projekt([cast.se21])
    for model in admin.site._registry:
        if model._meta.app_label != "aktiviteter":
            continue
        url = reverse(f"admin:aktiviteter_{model._meta.model_name}_changelist")
        assert client.get(url + "?q=a").status_code == 200, url
    assert client.get(reverse("admin:aktiviteter_forum_change", args=[forum.pk])).status_code == 200
    assert client.get(reverse("admin:aktiviteter_aktivitet_add")).status_code == 403
    r = client.post(reverse("admin:aktiviteter_aktivitet_change", args=[a.pk]), {"title": "x"})
    assert r.status_code == 403

"""A form submitted twice (a double click, two tabs) logs one activity (issue 13 #6): the
form's one-time token is stored on the row under a unique constraint."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from aktiviteter.models import Aktivitet, Aktor
from tests.helpers import require_service

from .helpers import post_data as activity_post


def post_data(cast, token, **kw):
    return activity_post(cast, **{"title": "Träff med IUC", "form_token": token, **kw})


@pytest.mark.django_db
def test_second_submit_redirects_to_the_first_activity(client, cast):
    client.force_login(cast.coordinator)
    token = client.get(reverse("aktiviteter:ny")).context["form"]["form_token"].value()
    assert token and len(token) >= 16
    posted = post_data(cast, token, new_aktor_name="IUC Småland", new_aktor_typ="iuc")
    first = client.post(reverse("aktiviteter:ny"), posted)
    second = client.post(reverse("aktiviteter:ny"), posted, follow=True)
    a = Aktivitet.objects.get()
    assert first.status_code == 302 and first.url == a.get_absolute_url()
    assert second.redirect_chain[-1][0] == a.get_absolute_url()
    assert "redan sparad" in second.content.decode()
    assert Aktor.objects.filter(name="IUC Småland").count() == 1


@pytest.mark.django_db
def test_each_form_has_its_own_token(client, cast):
    client.force_login(cast.coordinator)
    t1 = client.get(reverse("aktiviteter:ny")).context["form"]["form_token"].value()
    t2 = client.get(reverse("aktiviteter:ny")).context["form"]["form_token"].value()
    assert t1 != t2
    client.post(reverse("aktiviteter:ny"), post_data(cast, t1))
    client.post(reverse("aktiviteter:ny"), post_data(cast, t2))
    assert Aktivitet.objects.count() == 2


@pytest.mark.django_db
def test_someone_elses_token_is_refused(client, cast):
    token = "x" * 32
    client.force_login(cast.coordinator)
    client.post(reverse("aktiviteter:ny"), post_data(cast, token))
    client.force_login(cast.leader)
    r = client.post(reverse("aktiviteter:ny"), post_data(cast, token, title="Annat"))
    assert r.status_code == 200 and "redan skickats" in r.content.decode()
    assert Aktivitet.objects.count() == 1


@pytest.mark.django_db
def test_a_malformed_token_is_a_form_error(client, cast):
    client.force_login(cast.coordinator)
    r = client.post(reverse("aktiviteter:ny"), post_data(cast, "<script>"))
    assert r.status_code == 200 and "ladda om sidan" in r.content.decode()
    assert not Aktivitet.objects.exists()


def test_two_submits_at_the_same_moment_log_one_activity(transactional_db, cast):
    """PostgreSQL: the second INSERT waits on the unique index, then finds the first."""
    require_service("PostgreSQL", connection.vendor == "postgresql")
    token = "t" * 32
    barrier = threading.Barrier(4)
    answers, errors = [], []

    def submit():
        try:
            client = Client()
            client.force_login(cast.coordinator)
            barrier.wait()
            answers.append(client.post(reverse("aktiviteter:ny"), post_data(cast, token)))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    a = Aktivitet.objects.get()
    assert [r.status_code for r in answers] == [302] * 4
    assert {r.url for r in answers} == {a.get_absolute_url()}

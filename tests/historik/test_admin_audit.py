"""Changes made in admin land in the audit trail with field diffs."""

import datetime

import pytest
from django.urls import reverse

from avdelningar.models import Kommitte, Lan, Medlemsantal, Person, Roll, Uppdrag
from historik.models import Handelse
from tests import factories as f
from tests.helpers import management, page_data

pytestmark = pytest.mark.django_db


def person_post(person, uppdrag=(), extra=()):
    data = {"name": person.name, "email": person.email, "phone": person.phone, "user": ""}
    rows = list(uppdrag) + list(extra)
    data.update(management("uppdrag", len(rows), len(uppdrag)))
    for i, u in enumerate(rows):
        data.update({f"uppdrag-{i}-{k}": v for k, v in u.items()})
        data[f"uppdrag-{i}-person"] = person.pk
    return data


def test_person_change_is_recorded_with_field_diff(admin_client, root):
    person = f.PersonFactory(name="Greta Gammal", user=None)
    data = person_post(person)
    data["name"] = "Greta Ny"
    r = admin_client.post(reverse("admin:avdelningar_person_change", args=[person.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    row = Handelse.objects.get(action=Handelse.Action.UPDATE, model="avdelningar.Person")
    assert row.changes == {"name": ["Greta Gammal", "Greta Ny"]}
    assert row.user == root and row.object_id == str(person.pk)


def test_inline_assignment_create_and_delete_are_recorded_with_tenant(admin_client, cast):
    person = f.PersonFactory(name="Nils", user=None)
    new = {"role": Roll.STYRELSELEDAMOT, "avdelning": cast.b1.pk, "start": "2024-01-01"}
    url = reverse("admin:avdelningar_person_change", args=[person.pk])
    r = admin_client.post(url, person_post(person, extra=[new]))
    assert r.status_code == 302
    uppdrag = Uppdrag.objects.get(person=person)
    row = Handelse.objects.get(action=Handelse.Action.CREATE, model="avdelningar.Uppdrag")
    assert row.avdelning_id == cast.b1.pk and row.nuts_omrade_id == cast.se22.pk
    assert row.changes["role"] == [None, "styrelseledamot"]

    existing = {
        "id": uppdrag.pk,
        "role": uppdrag.role,
        "avdelning": cast.b1.pk,
        "start": "2024-01-01",
        "DELETE": "on",
    }
    r = admin_client.post(url, person_post(person, uppdrag=[existing]))
    assert r.status_code == 302
    assert not Uppdrag.objects.filter(person=person).exists()
    row = Handelse.objects.get(action=Handelse.Action.DELETE, model="avdelningar.Uppdrag")
    assert row.object_id == str(uppdrag.pk)
    assert row.changes["role"] == ["styrelseledamot", None]


def test_committee_and_inline_members_are_recorded(admin_client, cast):
    person = f.PersonFactory(name="Bo", user=None)
    data = {"name": "AMK A1", "typ": "arbetsmarknadskommitte", "avdelning": cast.a1.pk}
    data.update(management("ledamoter", 1))
    data.update(
        {
            "ledamoter-0-person": person.pk,
            "ledamoter-0-role": "ledamot",
            "ledamoter-0-start": "2024-02-01",
        }
    )
    r = admin_client.post(reverse("admin:avdelningar_kommitte_add"), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    k = Kommitte.objects.get(name="AMK A1")
    assert Handelse.objects.filter(
        action=Handelse.Action.CREATE, model="avdelningar.Kommitte", object_id=str(k.pk)
    ).exists()
    member = Handelse.objects.get(model="avdelningar.KommitteLedamot")
    assert member.action == Handelse.Action.CREATE and member.avdelning_id == cast.a1.pk


def test_department_county_change_shows_in_diff(admin_client, cast):
    lan = Lan.objects.get(code="06")
    data = {"name": cast.a1.name, "number": "", "nuts_omrade": cast.se21.pk, "lan": [lan.pk]}
    data.update(management("medlemsantal", 0))
    data.update(management("arbetsplatser", 0))
    r = admin_client.post(reverse("admin:avdelningar_avdelning_change", args=[cast.a1.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    row = Handelse.objects.get(action=Handelse.Action.UPDATE, model="avdelningar.Avdelning")
    assert row.changes == {"lan": [[], [str(lan.pk)]]}


def test_member_count_change_and_bulk_delete_are_recorded(admin_client, cast):
    counts = [
        f.MedlemsantalFactory(avdelning=cast.a1, year=y, active_members=100) for y in (2022, 2023)
    ]
    url = reverse("admin:avdelningar_medlemsantal_change", args=[counts[0].pk])
    r = admin_client.post(url, {"avdelning": cast.a1.pk, "year": 2022, "active_members": 120})
    assert r.status_code == 302
    row = Handelse.objects.get(action=Handelse.Action.UPDATE)
    assert row.changes == {"active_members": [100, 120]}

    r = admin_client.post(
        reverse("admin:avdelningar_medlemsantal_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in counts], "post": "yes"},
    )
    assert r.status_code == 302
    assert not Medlemsantal.objects.exists()
    deleted = Handelse.objects.filter(
        action=Handelse.Action.DELETE, model="avdelningar.Medlemsantal"
    )
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(c.pk) for c in counts)
    assert all(d.avdelning_id == cast.a1.pk for d in deleted)


def test_single_delete_is_recorded(admin_client):
    person = f.PersonFactory(name="Borttagen", user=None)
    url = reverse("admin:avdelningar_person_delete", args=[person.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    row = Handelse.objects.get(action=Handelse.Action.DELETE)
    assert row.object_repr == "Borttagen" and row.changes["name"] == ["Borttagen", None]


def test_opening_a_persons_page_is_recorded(admin_client, root):
    person = f.PersonFactory(name="Sedd", user=None)
    r = admin_client.get(reverse("admin:avdelningar_person_change", args=[person.pk]))
    assert r.status_code == 200
    row = Handelse.objects.get(action=Handelse.Action.VIEW)
    assert row.user == root and row.object_id == str(person.pk)


def test_a_failed_admin_save_records_nothing(admin_client):
    person = f.PersonFactory(name="Kvar", user=None)
    data = person_post(person)
    data["email"] = "inte en adress"
    r = admin_client.post(reverse("admin:avdelningar_person_change", args=[person.pk]), data)
    assert r.status_code == 200
    assert not Handelse.objects.filter(model="avdelningar.Person").exclude(action="view").exists()
    assert Person.objects.get(pk=person.pk).email == ""


def test_the_trail_cannot_be_edited_in_admin(admin_client, root):
    row = Handelse.objects.create(action=Handelse.Action.LOGIN, username="x")
    assert admin_client.get(reverse("admin:historik_handelse_add")).status_code == 403
    url = reverse("admin:historik_handelse_change", args=[row.pk])
    r = admin_client.post(url, {"username": "y", "action": "login"})
    assert r.status_code == 403 or Handelse.objects.get(pk=row.pk).username == "x"
    assert (
        admin_client.post(
            reverse("admin:historik_handelse_delete", args=[row.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Handelse.objects.get(pk=row.pk).username == "x"


def test_uppdrag_dates_are_plain_strings_in_diff(admin_client, cast):
    u = Uppdrag.objects.get(person__user=cast.board)
    data = {
        "person": u.person_id,
        "role": u.role,
        "avdelning": u.avdelning_id,
        "start": "2019-01-01",
        "end": "2025-12-31",
    }
    r = admin_client.post(reverse("admin:avdelningar_uppdrag_change", args=[u.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    row = Handelse.objects.get(action=Handelse.Action.UPDATE)
    assert row.changes == {"end": [None, str(datetime.date(2025, 12, 31))]}


# Logins' own machinery in admin: groups, second factors and lockouts.


def test_a_group_and_its_permissions_are_recorded(admin_client, root):
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(codename="view_handelse")
    r = admin_client.post(
        reverse("admin:auth_group_add"), {"name": "Läsare", "permissions": [perm.pk]}
    )
    assert r.status_code == 302
    row = Handelse.objects.get(model="auth.Group", action="create")
    assert row.user == root and row.changes["permissions"] == [None, [str(perm.pk)]]


def test_a_second_factor_changed_in_admin_is_recorded_and_its_secret_never_shown(
    admin_client, root, django_user_model
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    someone = django_user_model.objects.create_user("someone", password="pw-someone-123")
    device = TOTPDevice.objects.create(user=someone, name="App", confirmed=True)
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and device.key not in page.content.decode()
    # Nor through the device's configuration page or its QR code.
    for view in ("config", "qrcode"):
        r = admin_client.get(url.replace("/change/", f"/{view}/"))
        assert r.status_code == 403, view
    data = page_data(page)
    data.pop("confirmed")  # the admin turns the factor off
    r = admin_client.post(url, data)
    assert r.status_code == 302
    row = Handelse.objects.get(model="otp_totp.TOTPDevice", action="update")
    assert row.user == root and row.changes == {"confirmed": [True, False]}
    r = admin_client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert r.status_code == 302
    deleted = Handelse.objects.get(model="otp_totp.TOTPDevice", action="delete")
    assert deleted.changes["key"] == ["(dolt)", "(dolt)"]
    assert device.key not in str(list(Handelse.objects.values_list("changes", "note")))


def test_lifting_a_lockout_in_admin_is_recorded(admin_client, root):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username="styrelse-gotland", ip_address="192.0.2.7", failures_since_start=5
    )
    r = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert r.status_code == 302 and not AccessAttempt.objects.exists()
    row = Handelse.objects.get(model="axes.AccessAttempt", action="delete")
    assert row.user == root and row.changes["username"] == ["styrelse-gotland", None]

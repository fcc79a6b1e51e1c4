"""Every admin of the domain models, walked: add, change, delete and bulk delete, each
compared row by row against the trail (tests/historik/trail.py).

The forms are submitted as a browser would (the fields read from the rendered page), so a
new admin, field or inline is walked without writing its data here; a new model only needs
a maker in ``MAKERS`` (the test says so).
"""

import datetime
import itertools

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from aktiviteter.models import Kontaktperson
from avdelningar.models import (
    AfRegion,
    Deltagande,
    Klubb,
    Kommitte,
    KommitteLedamot,
    Lan,
    NutsOmrade,
    Projektbeslut,
    Roll,
    Uppdrag,
)
from historik.admin import AuditedAdmin
from historik.models import Handelse
from mal.models import (
    Indikator,
    Mognadsriktlinje,
    Periodoppning,
    Projektmal,
    Uppfoljningsperiod,
    Verksamhetsmal,
)
from rapporter.models import Berattelse, Kostnad, Rapportversion
from tests import factories as f
from tests.aktiviteter.helpers import make_aktivitet, make_aktor, make_forum, make_projekt
from tests.helpers import page_data
from tests.historik.trail import DOMAIN_APPS, Watch

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


def _area():
    n = next(_n)
    return NutsOmrade.objects.create(code=f"XX{n}", name=f"Provområde {n}")


def _person(cast):
    """A person with an assignment, a committee seat and an area to coordinate, so that
    deleting them takes rows along (cascade) and unlinks one (SET_NULL)."""
    p = f.PersonFactory(name=f"Prov Person {next(_n)}", user=None)
    f.UppdragFactory(person=p, avdelning=cast.a1)
    kommitte = Kommitte.objects.create(name=f"K {next(_n)}", typ="arbetsgrupp", avdelning=cast.a1)
    KommitteLedamot.objects.create(kommitte=kommitte, person=p, start="2024-01-01")
    Deltagande.objects.create(nuts_omrade=_area(), joined_on="2024-01-01", samordnare=p)
    return p


def _kommitte(cast):
    k = Kommitte.objects.create(name=f"K {next(_n)}", typ="arbetsgrupp", avdelning=cast.a1)
    KommitteLedamot.objects.create(
        kommitte=k, person=f.PersonFactory(user=None), start="2024-01-01"
    )
    return k


def _lan(cast):
    n = next(_n)
    return Lan.objects.create(
        code=str(26 + n % 74),  # the real counties are 01–25
        name=f"Provlän {n}",
        region_name=f"Region {n}",
        nuts_omrade=cast.se21,
        af_region=AfRegion.objects.first(),
    )


def _avdelning(cast):
    avdelning = f.AvdelningFactory(nuts_omrade=cast.se21)
    avdelning.lan.set(Lan.objects.filter(nuts_omrade=cast.se21)[:1])
    return avdelning


def _version(cast):
    return Rapportversion.objects.create(
        year=_year(), edition="styrgrupp", number=next(_n), status="done", snapshot={"a": 1}
    )


_years = itertools.count()


def _year():
    # Years are checked (2000–2100 for costs): cycle within them, fresh per test.
    return 2041 + next(_years) % 59


MAKERS = {
    "avdelningar.NutsOmrade": lambda cast: _area(),
    "avdelningar.AfRegion": lambda cast: AfRegion.objects.create(name=f"AF {next(_n)}"),
    "avdelningar.Lan": _lan,
    "avdelningar.Deltagande": lambda cast: Deltagande.objects.create(
        nuts_omrade=_area(), joined_on="2024-01-01"
    ),
    "avdelningar.Avdelning": _avdelning,
    "avdelningar.Medlemsantal": lambda cast: f.MedlemsantalFactory(avdelning=cast.a1, year=_year()),
    "avdelningar.Arbetsplats": lambda cast: f.ArbetsplatsFactory(avdelning=cast.a1),
    "avdelningar.Klubb": lambda cast: Klubb.objects.create(
        avdelning=cast.a1, name=f"Klubb {next(_n)}"
    ),
    "avdelningar.Kommitte": _kommitte,
    "avdelningar.Person": _person,
    "avdelningar.Uppdrag": lambda cast: f.UppdragFactory(
        person=f.PersonFactory(user=None), role=Roll.STYRELSELEDAMOT, avdelning=cast.a1
    ),
    "mal.Projektmal": lambda cast: Projektmal.objects.order_by("pk").first(),
    "mal.Verksamhetsmal": lambda cast: Verksamhetsmal.objects.order_by("pk").first(),
    "mal.Indikator": lambda cast: Indikator.objects.create(
        verksamhetsmal=Verksamhetsmal.objects.order_by("pk").first(),
        name=f"Indikator {next(_n)}",
        unit="st",
    ),
    "mal.Uppfoljningsperiod": lambda cast: Uppfoljningsperiod.objects.create(
        year=_year(), kind="halvar", closes_on="2050-01-31"
    ),
    "mal.Mognadsriktlinje": lambda cast: Mognadsriktlinje.objects.create(
        maturity=next(_n) + 10,
        projektmal=Projektmal.objects.order_by("pk").first(),
        min_commitments=1,
    ),
    "mal.Periodoppning": lambda cast: Periodoppning.objects.create(
        period=Uppfoljningsperiod.objects.create(
            year=_year(), kind="halvar", closes_on="2050-01-31"
        ),
        avdelning=cast.a1,
        open_until="2050-02-28",
        reason="Prov",
    ),
    "aktiviteter.Aktor": lambda cast: make_aktor(name=f"Aktör {next(_n)}", nuts=cast.se21),
    "aktiviteter.Forum": lambda cast: make_forum(cast.se21, name=f"Forum {next(_n)}"),
    "aktiviteter.Strukturfondsprojekt": lambda cast: make_projekt(
        [cast.se21], name=f"Projekt {next(_n)}"
    ),
    "aktiviteter.Aktivitet": lambda cast: make_aktivitet(cast.se21, avdelningar=[cast.a1]),
    "aktiviteter.Kontaktperson": lambda cast: Kontaktperson.objects.create(
        aktor=make_aktor(name=f"Aktör {next(_n)}", nuts=cast.se21),
        nuts_omrade=cast.se21,
        name=f"Kontakt {next(_n)}",
    ),
    "avdelningar.Projektbeslut": lambda cast: Projektbeslut.objects.create(
        kind="start", body="styrgrupp", decided_on="2024-01-01", title=f"Beslut {next(_n)}"
    ),
    "rapporter.Kostnad": lambda cast: Kostnad.objects.create(year=_year(), other=5),
    "rapporter.Berattelse": lambda cast: Berattelse.objects.create(year=_year(), text="Text"),
    "rapporter.Rapportversion": _version,
}

ADMINS = {
    m._meta.label: a for m, a in admin.site._registry.items() if m._meta.app_label in DOMAIN_APPS
}


def mutations(response, data):
    """Changed copies of data, one field each: text, numbers, dates, booleans."""
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if name in response.context["adminform"].readonly_fields or field.disabled:
            continue
        current = (data.get(key) or [""])[0]
        if isinstance(field, forms.BooleanField):
            new = dict(data)
            if key in new:
                new.pop(key)
            else:
                new[key] = ["on"]
            yield name, new
            continue
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.EmailField):
            continue
        if isinstance(field, forms.DateField):
            day = datetime.date.fromisoformat(current) if current else datetime.date(2049, 1, 1)
            value = (day + datetime.timedelta(days=1)).isoformat()
        elif isinstance(field, forms.IntegerField | forms.DecimalField):
            value = str(int(float(current or 0)) + 1)
        elif isinstance(field, forms.CharField) and not isinstance(field, forms.URLField):
            limit = field.max_length or 1000
            value = (current + "x")[-limit:] if len(current) < limit else current[:-1] + "y"
        else:
            continue
        yield name, {**data, key: [value]}


def _errors(response):
    ctx = response.context
    if not ctx or "adminform" not in ctx:
        return response.status_code
    out = dict(ctx["adminform"].form.errors)
    for inline in ctx.get("inline_admin_formsets", []):
        out.update({inline.formset.prefix: inline.formset.errors})
    return out


def _url(label, view, *args):
    app, model = label.lower().split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def test_every_domain_model_is_walked_and_every_admin_is_audited():
    assert set(ADMINS) == set(MAKERS), "add (or drop) a maker in MAKERS for: " + ", ".join(
        set(ADMINS) ^ set(MAKERS)
    )
    plain = [label for label, a in ADMINS.items() if not isinstance(a, AuditedAdmin)]
    assert not plain, f"admins that do not record their changes: {plain}"


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_admin_change_is_recorded(label, cast, root, admin_client, rf):
    model_admin = ADMINS[label]
    obj = MAKERS[label](cast)
    request = rf.get("/")
    request.user = root
    if not model_admin.has_change_permission(request, obj):
        # Read-only here: a forged POST must change nothing.
        with Watch() as w:
            r = admin_client.post(_url(label, "change", obj.pk), {"_save": "1"})
        assert r.status_code == 403 and not w.changed
        return
    url = _url(label, "change", obj.pk)
    page = admin_client.get(url)
    assert page.status_code == 200
    data = page_data(page)
    tried = {}
    for name, changed in mutations(page, data):
        with Watch() as w:
            r = admin_client.post(url, changed)
        if r.status_code != 302:
            tried[name] = _errors(r)
            continue
        assert w.changed, f"{label}: changing {name} changed nothing"
        assert not w.missing(user=root), w.missing(user=root)
        row = Handelse.objects.filter(
            model=label, object_id=str(obj.pk), action=Handelse.Action.UPDATE
        ).latest("id")
        assert row.changes, row
        return
    pytest.fail(f"{label}: no field could be changed: {tried}")


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_admin_add_is_recorded(label, cast, root, admin_client, rf):
    model_admin = ADMINS[label]
    request = rf.get("/")
    request.user = root
    if not model_admin.has_add_permission(request):
        with Watch() as w:
            r = admin_client.post(_url(label, "add"), {"_save": "1"})
        assert r.status_code == 403 and not w.changed
        return
    # The form of an existing row, submitted as a new one once that row is gone.
    template = MAKERS[label](cast)
    data = page_data(admin_client.get(_url(label, "change", template.pk)))
    for key in [k for k in data if k.endswith("-TOTAL_FORMS") or k.endswith("-INITIAL_FORMS")]:
        data[key] = ["0"]
    type(template).objects.filter(pk=template.pk).delete()
    with Watch() as w:
        r = admin_client.post(_url(label, "add"), data)
    assert r.status_code == 302, _errors(r)
    created = [key for kind, key in w.changed if kind == "create" and key[0] == label]
    assert created, f"{label}: the add created nothing"
    assert not w.missing(user=root), w.missing(user=root)


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_admin_delete_and_bulk_delete_are_recorded(label, cast, root, admin_client, rf):
    model_admin = ADMINS[label]
    objs = [MAKERS[label](cast) for _ in range(3)]
    request = rf.get("/")
    request.user = root
    if not model_admin.has_delete_permission(request, objs[0]):
        with Watch() as w:
            r = admin_client.post(_url(label, "delete", objs[0].pk), {"post": "yes"})
        assert r.status_code == 403 and not w.changed
        return
    with Watch() as w:
        r = admin_client.post(_url(label, "delete", objs[0].pk), {"post": "yes"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert ("delete", (label, str(objs[0].pk))) in w.changed
    assert not w.missing(user=root), w.missing(user=root)

    with Watch() as w:
        r = admin_client.post(
            _url(label, "changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [o.pk for o in objs[1:]],
                "post": "yes",
            },
        )
    assert r.status_code == 302, r.content.decode()[:2000]
    gone = {key for kind, key in w.changed if kind == "delete" and key[0] == label}
    assert gone == {(label, str(o.pk)) for o in objs[1:]}
    assert not w.missing(user=root), w.missing(user=root)


def test_deleting_a_person_records_what_goes_with_them(cast, root, admin_client):
    person = _person(cast)
    uppdrag = Uppdrag.objects.get(person=person)
    seat = KommitteLedamot.objects.get(person=person)
    area = Deltagande.objects.get(samordnare=person)
    r = admin_client.post(_url("avdelningar.Person", "delete", person.pk), {"post": "yes"})
    assert r.status_code == 302
    rows = Handelse.objects.filter(user=root)
    assert rows.get(model="avdelningar.Uppdrag", object_id=str(uppdrag.pk)).action == "delete"
    seat_row = rows.get(model="avdelningar.KommitteLedamot", object_id=str(seat.pk))
    assert seat_row.action == "delete" and seat_row.avdelning_id == cast.a1.pk
    assert person.name in seat_row.note
    cleared = rows.get(model="avdelningar.Deltagande", object_id=str(area.pk))
    assert cleared.action == "update"
    assert cleared.changes == {"samordnare_id": [person.pk, None]}


def test_an_approved_report_version_cannot_be_deleted(cast, admin_client):
    done = _version(cast)
    approved = _version(cast)
    Rapportversion.objects.filter(pk=approved.pk).update(
        approved_at=datetime.datetime.now(datetime.UTC)
    )
    r = admin_client.post(_url("rapporter.Rapportversion", "delete", approved.pk), {"post": "yes"})
    assert r.status_code == 403
    r = admin_client.post(
        _url("rapporter.Rapportversion", "changelist"),
        {"action": "delete_selected", "_selected_action": [done.pk, approved.pk], "post": "yes"},
    )
    assert Rapportversion.objects.filter(pk__in=[done.pk, approved.pk]).count() == 2
    assert not Handelse.objects.filter(action="delete").exists()
    # Nor changed: the change page shows it read-only.
    page = admin_client.get(_url("rapporter.Rapportversion", "change", done.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_a_report_version_with_files_is_deleted_and_recorded(
    cast, root, admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    v = _version(cast)
    v.pdf.save("prov.pdf", ContentFile(b"%PDF-1.4"), save=True)
    v.xlsx.save("prov.xlsx", ContentFile(b"PK"), save=True)
    files = [tmp_path / v.pdf.name, tmp_path / v.xlsx.name]
    kept = _version(cast)
    kept.pdf.save("kvar.pdf", ContentFile(b"%PDF-1.4"), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        r = admin_client.post(_url("rapporter.Rapportversion", "delete", v.pk), {"post": "yes"})
    assert r.status_code == 302
    row = Handelse.objects.get(model="rapporter.Rapportversion", action="delete")
    assert row.changes["pdf"] == [v.pdf.name, None]
    # The files went with the row; another version's stayed.
    assert not any(p.exists() for p in files)
    assert (tmp_path / kept.pdf.name).exists()


def test_bulk_deleted_report_versions_take_their_files_refused_ones_keep_them(
    cast, admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    first, second, approved = _version(cast), _version(cast), _version(cast)
    for v in (first, second, approved):
        v.pdf.save(f"v{v.pk}.pdf", ContentFile(b"%PDF-1.4"), save=True)
    changelist = _url("rapporter.Rapportversion", "changelist")
    Rapportversion.objects.filter(pk=approved.pk).update(
        approved_at=datetime.datetime.now(datetime.UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        # A selection with an approved version is refused whole: every file stays.
        admin_client.post(
            changelist,
            {
                "action": "delete_selected",
                "_selected_action": [first.pk, approved.pk],
                "post": "yes",
            },
        )
    assert all((tmp_path / v.pdf.name).exists() for v in (first, second, approved))
    with django_capture_on_commit_callbacks(execute=True):
        r = admin_client.post(
            changelist,
            {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
        )
    assert r.status_code == 302
    assert not Rapportversion.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert not (tmp_path / first.pdf.name).exists() and not (tmp_path / second.pdf.name).exists()
    assert (tmp_path / approved.pdf.name).exists()


def test_admin_cost_change_bumps_version_and_names_the_editor(cast, root, admin_client):
    k = Kostnad.objects.create(year=2031, other=5)
    data = {"year": 2031, "coordinators": 0, "project_leader": 0, "other": 7}
    r = admin_client.post(_url("rapporter.Kostnad", "change", k.pk), data)
    assert r.status_code == 302, _errors(r)
    k.refresh_from_db()
    assert k.version == 1 and k.updated_by == root
    row = Handelse.objects.get(model="rapporter.Kostnad", action="update")
    assert row.changes["other"] == [5, 7] and row.user == root

"""A test oracle for the audit trail: read the whole domain database before and after an
action, and name every row that changed without a ``Handelse`` saying so.

It knows nothing of how a path records (admin, a service, a command): it only compares
rows. So a new path that writes (a bulk ``update()``, a cascade, a forgotten service call)
shows up here as soon as a test drives it.
"""

from django.apps import apps
from django.db import models
from django.db.models.functions import MD5, Cast

from historik.models import Handelse
from historik.services import snapshot

DOMAIN_APPS = ("avdelningar", "mal", "aktiviteter", "rapporter")

# Rows whose history is kept on another row's: the chain of links from the row to it.
# A commitment's history holds its targets, follow-ups, outcomes, comments and evidence.
OWNER = {
    "mal.Malvarde": [("atagande_id", "mal.Atagande")],
    "mal.Uppfoljning": [("atagande_id", "mal.Atagande")],
    "mal.Utfall": [("uppfoljning_id", "mal.Uppfoljning"), ("atagande_id", "mal.Atagande")],
    "mal.Kommentar": [("atagande_id", "mal.Atagande")],
    "mal.Bilaga": [("atagande_id", "mal.Atagande")],
    # The kinds of mail a person turned off: on the person's history.
    "avdelningar.Epostval": [("person_id", "avdelningar.Person")],
}

# Rows that are machinery, not history, and why.
EXEMPT = {
    # Which reminder went out when: the reminder job's own claim rows (mal/reminders.py).
    "mal.Paminnelse": {"create", "change", "delete"},
    # Which workflow mail went to whom: the mail tasks' claim rows (avdelningar/mail.py).
    "avdelningar.Utskick": {"create", "change", "delete"},
    # The calendar: a year's follow-up periods are made from settings on first use (when a
    # commitment of that year is approved, which is recorded). Changing one is recorded.
    "mal.Uppfoljningsperiod": {"create"},
}

WRITES = {
    "create": {Handelse.Action.CREATE, Handelse.Action.IMPORT},
    "delete": {Handelse.Action.DELETE},
    "change": {Handelse.Action.UPDATE, Handelse.Action.TRANSITION},
}
ANY_WRITE = set().union(*WRITES.values())


def domain_models():
    return [m for m in apps.get_models() if m._meta.app_label in DOMAIN_APPS]


def db_state():
    """{(model label, pk as text): field values, many-to-many ids included} of every row.

    JSON columns (a report's snapshot) are compared by their md5, read in the database.
    """
    state = {}
    for model in domain_models():
        m2m = [f.name for f in model._meta.many_to_many]
        fields = model._meta.concrete_fields
        big = [f.name for f in fields if isinstance(f, models.JSONField)]
        plain = [f.attname for f in fields if f.name not in big]
        qs = model._default_manager.prefetch_related(*m2m).defer(*big)
        qs = qs.annotate(**{f"md5_{n}": MD5(Cast(n, models.TextField())) for n in big})
        for obj in qs:
            values = snapshot(obj, plain)
            values.update({n: getattr(obj, f"md5_{n}") for n in big})
            for name in m2m:
                values[name] = sorted(str(o.pk) for o in getattr(obj, name).all())
            state[(model._meta.label, str(obj.pk))] = values
    return state


def last_handelse_id():
    return Handelse.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _owner(key, before, after):
    label, pk = key
    row = after.get(key) or before.get(key)
    for attname, target in OWNER.get(label, []):
        pk = str(row[attname])
        label = target
        row = after.get((label, pk)) or before.get((label, pk))
        if row is None:
            break
    return label, pk


def changed_rows(before, after):
    """[(kind, key)] for every row created, deleted or changed."""
    out = []
    for key in sorted(before.keys() | after.keys()):
        if key not in before:
            out.append(("create", key))
        elif key not in after:
            out.append(("delete", key))
        elif before[key] != after[key]:
            out.append(("change", key))
    return out


def unrecorded(before, after, rows, *, user=None):
    """Changed rows no Handelse in ``rows`` accounts for (by ``user``, if given)."""
    rows = [h for h in rows if user is None or h.user_id == user.pk]
    recorded = {}
    for h in rows:
        recorded.setdefault((h.model, h.object_id), set()).add(h.action)
    missing = []
    for kind, key in changed_rows(before, after):
        if kind in EXEMPT.get(key[0], ()):
            continue
        if key[0] in OWNER:
            owner = _owner(key, before, after)
            if recorded.get(owner, set()) & ANY_WRITE:
                continue
            missing.append(f"{kind} {key[0]} {key[1]} (on {owner[0]} {owner[1]})")
        elif not recorded.get(key, set()) & WRITES[kind]:
            missing.append(f"{kind} {key[0]} {key[1]}")
    return missing


class Watch:
    """Around an action: ``with Watch() as w: ...`` then ``w.missing(user=...)``."""

    def __enter__(self):
        self.before = db_state()
        self.since = last_handelse_id()
        return self

    def __exit__(self, *exc):
        self.after = db_state()
        self.rows = list(Handelse.objects.filter(id__gt=self.since))
        return False

    @property
    def changed(self):
        return changed_rows(self.before, self.after)

    def missing(self, user=None):
        return unrecorded(self.before, self.after, self.rows, user=user)

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import router, transaction
from django.db.models import F
from django.db.models.deletion import Collector
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Handelse
from .services import diff, handelse_record, snapshot, tenant_of

HIDDEN = "(dolt)"


def full_snapshot(obj):
    """Concrete fields plus many-to-many ids, so a changed county list shows in the diff."""
    data = snapshot(obj)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(
                str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True)
            )
    return data


def cascade_of(objs):
    """What deleting objs takes along: the rows deleted with them (an assignment with its
    person, a seat with its committee) and the rows whose link to them is cleared
    (SET_NULL), as (deleted, [(obj, field, new value)]). Django's own collector, so the
    list is exactly what the delete will do. Many-to-many link rows are left out: they
    show in the main object's own diff."""
    if not objs:
        return [], []
    collector = Collector(using=router.db_for_write(type(objs[0])), origin=objs)
    collector.collect(objs)
    main = {(type(o), o.pk) for o in objs}
    deleted = [o for instances in collector.data.values() for o in instances]
    for qs in collector.fast_deletes:
        deleted.extend(qs)
    deleted = [
        o
        for o in deleted
        if (type(o), o.pk) not in main
        and not o._meta.auto_created
        and o._meta.model is not Handelse
    ]
    cleared = []
    for (field, value), groups in collector.field_updates.items():
        if field.model._meta.auto_created or field.model is Handelse:
            continue
        for group in groups:
            cleared.extend((o, field, value) for o in group)
    return deleted, cleared


def _accepted(widget, values):
    """The submitted values the target field can even be compared with."""
    remote = widget.field.remote_field
    name = getattr(remote, "field_name", None)
    opts = remote.model._meta
    target = opts.get_field(name) if name else opts.pk
    kept = []
    for value in values:
        try:
            # Out of the column's range is dropped too: SQLite cannot even compare an id
            # above 2^63 (OverflowError), where PostgreSQL found no row.
            target.run_validators(target.to_python(value))
        except (TypeError, ValueError, ValidationError):
            continue
        kept.append(value)
    return kept


class SafeAutocompleteSelect(AutocompleteSelect):
    # Django's autocomplete widget, re-rendering a refused form, filters its queryset by
    # the submitted value as is: "abc" for an id field gave a server error (found by the
    # Hypothesis tests). Values the field cannot hold are dropped; the form error stays.
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _accepted(self, value), attr)


class SafeAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _accepted(self, value), attr)


NOT_NEGATIVE = "Värdet kan inte vara negativt."


class SafeAutocomplete:
    """Swaps admin's autocomplete widgets for the safe ones (for ModelAdmin and inlines),
    and says "kan inte vara negativt" where Django would say "större än eller lika med
    0", as the app's own forms do."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and any(
            isinstance(v, MinValueValidator) and v.limit_value == 0 for v in field.validators
        ):
            field.error_messages["min_value"] = NOT_NEGATIVE
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and type(field.widget) is AutocompleteSelect:
            field.widget.__class__ = SafeAutocompleteSelect
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and type(field.widget) is AutocompleteSelectMultiple:
            field.widget.__class__ = SafeAutocompleteSelectMultiple
        return field


class SafeTabularInline(SafeAutocomplete, admin.TabularInline):
    pass


class AuditedAdmin(SafeAutocomplete, admin.ModelAdmin):
    """Every change made in admin lands in the audit trail with its field diff.

    Covers the form save (with many-to-many fields), each inline row (created, changed,
    deleted), deletion one by one and the bulk "delete selected" action, with the rows a
    deletion takes along (cascade) or unlinks (SET_NULL). With
    ``audit_views = True`` opening an object's page is recorded as well (people's pages).
    Domain code never changes these models behind admin's back: it goes through the
    services in ``<app>/services.py``, which record the change themselves.
    """

    audit_views = False
    # Fields whose values never enter the trail (a password hash): only that they changed.
    audit_hidden_fields = ()

    def _record(self, request, action, obj, changes, *, object_id="", tenant=None, note=""):
        nuts_id, avdelning_id = tenant or tenant_of(obj)
        for name in self.audit_hidden_fields:
            if name in changes:
                changes[name] = [HIDDEN, HIDDEN]
        handelse_record(
            user=request.user,
            action=action,
            obj=obj,
            object_id=object_id,
            changes=changes,
            note=note,
            nuts_omrade_id=nuts_id,
            avdelning_id=avdelning_id,
            request=request,
        )

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            current = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = full_snapshot(current) if current else {}
        request._audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # After the inlines and many-to-many fields are saved, so the diff is complete.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_audit_before", {})
        changes = diff(before, full_snapshot(obj))
        if change and not changes:
            return
        action = Handelse.Action.UPDATE if change else Handelse.Action.CREATE
        self._record(request, action, obj, changes)

    def save_formset(self, request, form, formset, change):
        befores = {}
        for inline_form in formset.initial_forms:
            instance = inline_form.instance
            if instance.pk is not None:
                current = type(instance)._default_manager.filter(pk=instance.pk).first()
                if current is not None:
                    befores[id(instance)] = full_snapshot(current)
        super().save_formset(request, form, formset, change)
        parent_tenant = tenant_of(form.instance)

        def tenant(obj):
            # An inline row's own department/area (an assignment's) wins over its parent's.
            own = tenant_of(obj)
            return own if any(own) else parent_tenant

        for obj in formset.new_objects:
            changes = diff({}, full_snapshot(obj))
            self._record(request, Handelse.Action.CREATE, obj, changes, tenant=tenant(obj))
        for obj, _fields in formset.changed_objects:
            changes = diff(befores.get(id(obj), {}), full_snapshot(obj))
            self._record(request, Handelse.Action.UPDATE, obj, changes, tenant=tenant(obj))
        for obj in formset.deleted_objects:
            before = befores.get(id(obj), {})
            self._record(
                request,
                Handelse.Action.DELETE,
                obj,
                diff(before, {}),
                object_id=str(before.get("id", "")),
                tenant=tenant(obj),
            )

    def _record_deletion(self, request, objs):
        """One row per deleted object, one per row deleted along with it (cascade), one per
        row whose link to it is cleared; recorded before the delete, which runs in the
        same transaction."""
        deleted, cleared = cascade_of(objs)
        for obj in objs:
            self._record(request, Handelse.Action.DELETE, obj, diff(full_snapshot(obj), {}))
        note = "Följd av att " + ", ".join(f"{o._meta.verbose_name} {o}" for o in objs)
        note = note[:500] + " togs bort"
        for obj in deleted:
            changes = diff(full_snapshot(obj), {})
            self._record(request, Handelse.Action.DELETE, obj, changes, note=note)
        for obj, field, value in cleared:
            old = snapshot(obj, [field.attname])[field.attname]
            changes = {field.attname: [old, getattr(value, "pk", value)]}
            self._record(request, Handelse.Action.UPDATE, obj, changes, note=note)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record_deletion(request, [obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk action: one row per deleted object, in the same transaction as the delete.
        with transaction.atomic():
            self._record_deletion(request, list(queryset))
            super().delete_queryset(request, queryset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.audit_views and request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                self._record(request, Handelse.Action.VIEW, obj, {})
        return super().change_view(request, object_id, form_url, extra_context)


class VersionedAdmin(AuditedAdmin):
    """A row with a version for the app's optimistic locking (models.Versioned): a change
    made in admin bumps it, and says who made it where the model keeps that, so someone
    editing the same row in the app gets a conflict instead of silently overwriting the
    admin's correction."""

    def save_model(self, request, obj, form, change):
        if any(f.name == "updated_by" for f in obj._meta.concrete_fields):
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if change:
            type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
            obj.refresh_from_db(fields=["version"])


class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Logins: who made whom staff or superuser, deactivated a login, gave permissions or
    set a password (that it was set, never the hash)."""

    audit_hidden_fields = ("password",)

    def get_readonly_fields(self, request, obj=None):
        # A login linked to a person gets its name and e-mail from the person (typed once,
        # on the person's page, and copied on save), so they are not edited here.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and hasattr(obj, "person"):
            fields += ["first_name", "last_name", "email"]
        return fields

    def user_change_password(self, request, id, form_url=""):
        # Admin's own password form saves without save_model: record it here.
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            self._record(request, Handelse.Action.UPDATE, user, {"password": [None, None]})
        return response


class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    """Groups: which permissions a group gives (its permission list is in the diff)."""


class AuditedTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):
    """Second factors: who added, confirmed or removed someone's authenticator. The
    secret never enters the trail, and admin never shows it (OTP_ADMIN_HIDE_SENSITIVE_DATA):
    an admin who could read it could sign in as that person."""

    audit_hidden_fields = ("key",)


class AuditedAccessAttemptAdmin(AuditedAdmin, AccessAttemptAdmin):
    """Deleting a failed-login record lifts a lockout: the trail says who lifted whose."""

    # axes' own action deletes records and declares no permission: anyone who could see
    # the list could run it. Here it needs the right to delete them.
    @admin.action(description="Rensa utgångna inloggningsförsök", permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        return AccessAttemptAdmin.cleanup_expired_attempts(self, request, queryset)


class AuditedAccessLogAdmin(AuditedAdmin, AccessLogAdmin):
    """The login log: who deleted entries of it."""


class AuditedAccessFailureLogAdmin(AuditedAdmin, AccessFailureLogAdmin):
    """The failed-login log: who deleted entries of it."""


for model, model_admin in [
    (User, AuditedUserAdmin),
    (Group, AuditedGroupAdmin),
    (TOTPDevice, AuditedTOTPDeviceAdmin),
    (AccessAttempt, AuditedAccessAttemptAdmin),
    (AccessLog, AuditedAccessLogAdmin),
    (AccessFailureLog, AuditedAccessFailureLogAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)

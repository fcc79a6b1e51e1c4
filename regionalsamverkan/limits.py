"""One length limit for every free-text form field that has none of its own.

A model's CharField brings its max_length to the form, but a TextField or a form's own
CharField (a review comment, an activity's notes, a narrative) took any length: a 2 MB
comment was accepted and stored twice, as the comment and as the trail's note. Rather
than a max_length on each field in each app, every ``forms.CharField`` without one is
held to settings.TEXT_MAX_LENGTH here: validated with Django's own (Swedish) message and
rendered with a ``maxlength`` attribute, so the browser stops the typing too. Installed
once from the app's ready(); the patch is on the class, so fields created before it
(Django's own forms) are covered as well. A field that needs more sets its own max_length.
"""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator


def text_limit(field):
    """The limit the central default gives this field, or None (its own, or not text)."""
    if field.max_length is not None or isinstance(field, forms.JSONField):
        return None
    return settings.TEXT_MAX_LENGTH or None


def _validate(self, value):
    forms.Field.validate(self, value)
    limit = text_limit(self)
    if limit and isinstance(value, str):
        MaxLengthValidator(limit)(value)


_widget_attrs = forms.CharField.widget_attrs


def _widget_attrs_with_limit(self, widget):
    attrs = _widget_attrs(self, widget)
    limit = text_limit(self)
    if limit and not widget.is_hidden:
        attrs.setdefault("maxlength", str(limit))
    return attrs


def install():
    if getattr(forms.CharField, "_central_text_limit", False):
        return
    forms.CharField.validate = _validate
    forms.CharField.widget_attrs = _widget_attrs_with_limit
    forms.CharField._central_text_limit = True

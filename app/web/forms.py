"""What every form that saves a record sends besides its fields.

``version``: the version of the record the form was loaded from, so a save based on an older
one is refused rather than silently overwriting. ``form_complete``: the last input of the
form, so a body cut short in transit is refused instead of blanking the fields it lost.
"""

from flask import abort
from flask_babel import gettext as _

from .params import DIGITS_RE

COMPLETE = "form_complete"


def require_complete_form(form):
    if form.get(COMPLETE) != "1":
        abort(400, description=_("The form arrived incomplete, so nothing was saved. Reload the page and try again."))


def form_version(form):
    value = form.get("version") or ""
    if not DIGITS_RE.fullmatch(value):
        abort(400, description=_("The form does not say which version of the record it edits. Reload the page and try again."))
    return int(value)

"""What every form that saves a record sends besides its fields, and how a record's fields
become controls a person can fill in.

``version``: the version of the record the form was loaded from, so a save based on an older
one is refused rather than silently overwriting. ``form_complete``: the last input of the
form, so a body cut short in transit is refused instead of blanking the fields it lost.

Controls follow the importer's field table: a date is a date picker, a count a number box,
a choice among a few terms a set of radio buttons showing their labels (never their slugs).
What is sent back is the text the importer reads, so both go through the same validation.
"""

from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...catalog.validation import DEFAULTS, NUMBER_RANGES
from .params import DIGITS_RE

COMPLETE = "form_complete"
INPUT_TYPES = {"date": "date", "age": "number", "count": "number", "url": "url", "email": "email", "phone": "tel"}
# A choice among this many terms or fewer shows them all as radio buttons; more, as a list.
MOST_RADIOS = 5
# Choices that are not a vocabulary file: the importer's own words, shown as people say them.
KIND_CHOICES = {
    "intake": (("continuous", _l("Continuous intake: people can start at any time")),
               ("cohort", _l("Cohorts (set start dates)"))),
    "verification": (("compiled", _l("Compiled from public sources")),
                     ("confirmed", _l("Confirmed by the organization"))),
}


@dataclass(frozen=True)
class Control:
    """One thing to fill in: ``name`` is what the form sends and the id of its input (or of
    the group of its boxes), which the error summary links to."""

    name: str
    label: str
    widget: str  # input, textarea, select, radios, checkboxes, or a page's own (service_area, sites)
    input_type: str = "text"
    choices: tuple = ()  # (value, label) in the order shown
    required: bool = False
    hint: str = ""
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    filterable: bool = False  # a long list of boxes with a box to type in that narrows it


def require_complete_form(form):
    if form.get(COMPLETE) != "1":
        abort(400, description=_("The form arrived incomplete, so nothing was saved. Reload the page and try again."))


def form_version(form):
    value = form.get("version") or ""
    if not DIGITS_RE.fullmatch(value):
        abort(400, description=_("The form does not say which version of the record it edits. Reload the page and try again."))
    return int(value)


def control(field, vocabularies, hint="", first=(), chosen=()):
    """The control for one field of the importer's table. ``first`` and ``chosen`` put some
    terms of a long list at its top (the common ones, and those already ticked)."""
    choices = _choices(field, vocabularies)
    common = dict(name=field.name, label=field.label, required=field.required, hint=hint)
    if field.kind == "slugs":
        ordered = _ordered(choices, first, chosen) if first else choices
        return Control(widget="checkboxes", choices=ordered, filterable=bool(first), **common)
    if choices:
        return _single_choice(field, choices, common)
    if field.multiline:
        return Control(widget="textarea", max_length=field.max_length, **common)
    low, high = NUMBER_RANGES.get(field.kind, (None, None))
    return Control(widget="input", input_type=INPUT_TYPES.get(field.kind, "text"), minimum=low, maximum=high,
                   max_length=field.max_length, **common)


def _choices(field, vocabularies):
    if field.vocabulary:
        return tuple((term.slug, term.label) for term in vocabularies[field.vocabulary].terms)
    return KIND_CHOICES.get(field.kind, ())


def _single_choice(field, choices, common):
    """Radio buttons for a few terms, a list for more; "Not stated" unless a value is needed."""
    if not (field.required or field.name in DEFAULTS):
        choices = (("", _("Not stated")), *choices)
    widget = "radios" if len(choices) <= MOST_RADIOS + 1 else "select"
    return Control(widget=widget, choices=choices, **common)


def _ordered(choices, first, chosen):
    """``first``, then the ticked ones, then the rest, each in the list's own order."""
    rank = {value: 0 for value in first}
    rank.update({value: 1 for value in chosen if value not in rank})
    return tuple(sorted(choices, key=lambda choice: rank.get(choice[0], 2)))


def submitted_text(form, controls):
    """The form's values as the importer reads cells: several ticked terms joined with ';'."""
    return {c.name: ";".join(v for v in form.getlist(c.name) if v) if c.widget == "checkboxes" else form.get(c.name, "")
            for c in controls}


@dataclass(frozen=True)
class SummaryEntry:
    anchor: str
    message: str


def error_summary(problems, labels, order=()):
    """What the "There is a problem" box lists: each problem, naming its field in words,
    linking to it; in the order of ``order`` (the form's), then the rest."""
    position = {name: n for n, name in enumerate(order)}
    names = sorted(problems, key=lambda name: position.get(name, len(position)))
    return [SummaryEntry(name, problem_message(labels.get(name, name), problems[name])) for name in names]


def problem_message(label, reason):
    if reason == "is required":
        return _("%(field)s is required.", field=label)
    return _("%(field)s: %(problem)s", field=label, problem=reason)


def field_problems(problems):
    """The message shown beside each field: "is required" alone reads badly there."""
    return {name: _("This is required.") if reason == "is required" else reason for name, reason in problems.items()}

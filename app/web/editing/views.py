"""Organizations keep their own listings true: edit, confirm still accurate, see the history.

Every form carries the version of the record it was loaded from. A save based on an older
version is refused (409) with a page that keeps what the person typed, shows the current value
of everything they did not touch, and lists what changed meanwhile: nothing is overwritten
silently. Every save writes only what changed, with its audit entry, in one transaction.
"""

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ... import search
from ...accounts.permissions import (editable_fields, may_edit_organization, may_edit_program,
                                    may_view_history)
from ...catalog import changes as listing_changes
from ...catalog import editing
from ...catalog import organizations as organization_records
from ...catalog.fields import BY_NAME, FIELD_NAMES
from ...catalog.saving import save_listing
from ...catalog.validation import CONTROL_RE
from ...db import VersionConflict
from ...db.audit import user_actor
from ...geo.codes import NEIGHBOURHOODS, WARDS
from ...geo.postcodes import locate
from ..shared import context
from ..shared.auth import requires
from ..shared.context import get_db, place_names, today, vocabularies
from ..shared.formatting import local_date, local_time
from ..shared.listing import area_label
from ..shared.forms import (KIND_CHOICES, Control, control, error_summary, field_problems, form_version,
                    require_complete_form, submitted_text)

bp = Blueprint("editing", __name__)

SCOPE = "service_area_scope"  # the form's choice: all of Toronto, or particular places
SITE_BLOCKS = "site_blocks"  # sent by a form that lists every site as a block of its own
COMMON_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    fields: tuple


# The edit form, in the order people think about a program: "address" stands for the sites,
# and fields in a tuple of their own sit side by side.
SECTIONS = (
    Section("about", _l("About"), ("name", "organization", "listing_type", "status", "end_date", "description",
                                   "sectors", "occupations", "interventions", "streams", "funders")),
    Section("who", _l("Who it serves"), ("populations", ("age_min", "age_max"), "requires_populations", "residency",
                                         "immigration_status", "income_support", "eligibility",
                                         "other_requirements", "fee")),
    Section("where", _l("Where"), ("service_area", "address", "delivery_mode", "languages")),
    Section("apply", _l("When and how to apply"), ("intake", ("next_intake_date", "application_deadline"),
                                                   ("seats", "duration_weeks"), "how_to_apply", "referral_method",
                                                   "referral_contact", "capacity_status", "capacity_updated")),
    Section("contact", _l("Contact"), ("website", "phone", "email")),
    Section("provenance", _l("Provenance"), ("source_url", "source_date", "verification", "last_verified")),
)
READ_ONLY = ("organization",)  # shown for context; the organization's own profile renames it


def _names(entries):
    for entry in entries:
        yield from (entry if isinstance(entry, tuple) else (entry,))


FORM_FIELDS = tuple(name for s in SECTIONS for name in _names(s.fields) if name not in READ_ONLY) + ("postal_code",)
HINTS = {
    "end_date": _l("Only for a program that ends or has ended."),
    "occupations": _l("Separate several with a semicolon (;)."),
    "age_min": _l("In years. Leave empty if there is no limit."),
    "age_max": _l("In years. Leave empty if there is no limit."),
    "next_intake_date": _l("For programs that start in cohorts."),
    "application_deadline": _l("On or before the next intake date."),
    "capacity_updated": _l("The day the room was last reported; not a date in the future."),
    "website": _l("The full address, starting with https://"),
    "source_url": _l("The full address, starting with https://"),
    "phone": _l("For example 416-555-0100."),
    "postal_code": _l("For example M5V 3L9."),
}


# Ids and coordinates: internal, or following from the address and postal code shown beside them.
HIDDEN_IN_HISTORY = ("id", "organization_id", *editing.COORDINATES)
READ_ONLY_HINTS = {
    "organization": _l("Its name is changed on the organization's profile."),
    "last_verified": _l("To record that the listing is still accurate, use “Confirm it is still accurate” "
                        "on its page."),
}


def _program(program_id):
    return get_db().catalog.get_program(program_id)


@bp.route("/programs/<program_id>/edit", methods=["GET", "POST"])
@requires(may_edit_program, load=_program)
def edit(program, program_id):
    """Edit a listing with the importer's own validation; the change shows in search at once."""
    fields = _form_fields(g.user)
    if request.method == "GET":
        return _edit_page(program, fields, listing_changes.as_text(program))
    require_complete_form(request.form)
    base_version = form_version(request.form)
    typed, sites = _submitted(request.form, fields)
    if base_version != program["version"]:
        return _conflict_page(program, fields, typed, base_version)
    boundaries = context.boundaries()
    record, changes, problems = editing.edit_program(
        program, dict(typed, **sites), editable=fields, vocabularies=vocabularies(), locate=locate,
        today=today(), place=boundaries.place if boundaries else None,
        misplaced=boundaries.misplaced if boundaries else None,
    )
    if problems:
        values = dict(listing_changes.as_text(program), **typed)
        return _edit_page(program, fields, values, problems={p.field: p.reason for p in problems}, status=400)
    try:
        _save(record, changes, base_version, "edit")
    except VersionConflict:
        return _conflict_page(_program(program_id), fields, typed, base_version)
    flash(_saved_message(changes))
    return redirect(url_for("pages.program", program_id=program_id))


def _saved_message(changes):
    return _("Your changes are saved.") if changes else _("Nothing had changed, so nothing was saved.")


def _form_fields(user):
    """The fields this person's form offers and sends: those they may edit that it shows."""
    return [name for name in editable_fields(user, FIELD_NAMES) if name in FORM_FIELDS]


def _submitted(form, fields):
    """(typed, sites): the form's values as the importer reads cells, and the sites as its
    blocks gave them (empty when it sent them as text lines, as scripts and older pages do)."""
    plain = [name for name in fields if name not in ("service_area", "address", "postal_code")]
    typed = submitted_text(form, [control(BY_NAME[name], vocabularies()) for name in plain])
    if "service_area" in fields:
        typed["service_area"] = editing.service_area_text(form.get(SCOPE), form.getlist("service_area"))
        typed[SCOPE] = form.get(SCOPE, "")
    if "address" not in fields:
        return typed, {}
    if SITE_BLOCKS in form and listing_changes.FURTHER_SITES not in form:
        pairs = list(zip(form.getlist("address"), form.getlist("postal_code")))
        return dict(typed, **editing.sites_as_text(pairs)), {editing.SITES: pairs}
    typed.update(address=form.get("address", ""), postal_code=form.get("postal_code", ""))
    if listing_changes.FURTHER_SITES in form:
        typed[listing_changes.FURTHER_SITES] = form[listing_changes.FURTHER_SITES]
    return typed, {}


def _edit_page(program, fields, values, problems=None, status=200, conflict=None):
    problems = _placed(problems or {})
    form = _listing_form(fields, values)
    return render_template(
        "editing/edit.html", program=program, form=form, values=values, problems=field_problems(problems),
        summary=error_summary(problems, form.labels, form.order), conflict=conflict,
    ), status


@dataclass(frozen=True)
class ReadOnly:
    """A fact shown on the form for context that this person does not change here."""

    name: str
    label: str
    text: str
    hint: str = ""
    widget: str = "read_only"


@dataclass(frozen=True)
class ListingForm:
    sections: list  # [(Section, [Control or ReadOnly])]
    area: dict  # the service-area choice: scope, codes ticked, wards and neighbourhoods offered
    sites: list  # [SiteBlock]: every site, then one empty block
    labels: dict  # control name -> its label, for the error summary
    order: list  # control names in page order


@dataclass(frozen=True)
class SiteBlock:
    number: int
    address: str
    postal_code: str

    @property
    def address_id(self):
        return editing.site_field(self.number, "address")

    @property
    def postal_code_id(self):
        return editing.site_field(self.number, "postal_code")


def _listing_form(fields, values):
    sections = [(section, [_entry(entry, fields, values) for entry in section.fields]) for section in SECTIONS]
    sites = [SiteBlock(n, *pair) for n, pair in enumerate(editing.site_pairs(values), 1)]
    sites.append(SiteBlock(len(sites) + 1, "", ""))
    labels, order = _labels_and_order(sections, sites)
    return ListingForm(sections, _area_choice(values), sites, labels, order)


@dataclass(frozen=True)
class Pair:
    """Two short fields side by side (ages, dates, counts)."""

    items: tuple
    widget: str = "pair"


def _entry(entry, fields, values):
    if isinstance(entry, tuple):
        return Pair(tuple(_item(name, fields, values) for name in entry))
    return _item(entry, fields, values)


def _item(name, fields, values):
    field = BY_NAME[name]
    if name not in fields:
        return ReadOnly(name, field.label, describe(name, values.get(name) or "") or _("Not stated"),
                        READ_ONLY_HINTS.get(name, ""))
    if name in ("service_area", "address"):
        return Control(name=name, label=field.label if name == "service_area" else _("Sites"), widget=name)
    chosen = (values.get(name) or "").split(";")
    first = COMMON_LANGUAGES if name == "languages" else ()
    return control(field, vocabularies(), hint=HINTS.get(name, ""), first=first, chosen=chosen)


def _labels_and_order(sections, sites):
    labels, order = {}, []
    for _section, entries in sections:
        for item in (i for entry in entries for i in (entry.items if entry.widget == "pair" else (entry,))):
            if item.widget == "address":
                for site in sites:
                    labels[site.address_id] = _("Site %(number)s, address", number=site.number)
                    labels[site.postal_code_id] = _("Site %(number)s, postal code", number=site.number)
                    order += [site.address_id, site.postal_code_id]
                labels["sites"] = _("Sites")
                order.append("sites")
            else:
                labels[item.name] = item.label
                order.append(item.name)
    return labels, order


def _placed(problems):
    """Problems keyed by the control that shows them: the first site's columns are block 1,
    and sites sent as text lines are the sites as a whole."""
    moved = {name: editing.site_field(1, name) for name in editing.SITE_TEXT_FIELDS}
    moved.update({name: editing.site_field(1, "postal_code") for name in editing.COORDINATES})
    moved[listing_changes.FURTHER_SITES] = "sites"
    placed = {}
    for name, reason in problems.items():
        placed.setdefault(moved.get(name, name), reason)
    return placed


def _area_choice(values):
    """What the service-area control shows: which choice is made and which places are ticked."""
    codes = {code for code in (values.get("service_area") or "").split(";") if code}
    scope = values.get(SCOPE) or (editing.CITY_WIDE if editing.CITY_WIDE in codes else "places" if codes else "")
    names = place_names()
    return {"scope": scope, "codes": codes, "wards": _wards(names), "neighbourhoods": _neighbourhoods(names)}


def _wards(names):
    codes = [f"ward:{WARDS.code(n)}" for n in range(1, WARDS.highest + 1)]
    return [(code, area_label(code, names)) for code in codes]


def _neighbourhoods(names):
    """Every neighbourhood by name when the boundaries are loaded, else by number."""
    known = names.get("neighbourhood") or {}
    numbers = sorted(known, key=lambda code: known[code]) if known else \
        [NEIGHBOURHOODS.code(n) for n in range(1, NEIGHBOURHOODS.highest + 1)]
    return [(f"neighbourhood:{code}", area_label(f"neighbourhood:{code}", names)) for code in numbers]


def listing_describer():
    """``describe`` with the place names looked up once for a whole page."""
    names = place_names()
    return lambda name, text: describe(name, text, names)


def describe(name, text, names=None):
    """A stored value in words: labels for terms, places by name, dates for people."""
    field = BY_NAME.get(name)
    if name == listing_changes.FURTHER_SITES:
        return "\n".join(", ".join(part for part in pair if part) for pair in editing.site_pairs({name: text}))
    if not text or field is None:
        return text
    parts = [part.strip() for part in text.split(";") if part.strip()]
    if field.kind == "service_area":
        return ", ".join(area_label(code, names) for code in parts)
    if field.vocabulary:
        return ", ".join(vocabularies()[field.vocabulary].label(slug) for slug in parts)
    return _described_single(field.kind, text)


def _described_single(kind, text):
    if kind in KIND_CHOICES:
        return str(dict(KIND_CHOICES[kind]).get(text, text))
    if kind == "date":
        return local_date(text)
    return text


def _conflict_page(program, fields, typed, base_version):
    """The form again, after someone else saved first: theirs kept, the person's typing kept."""
    values, conflict = _review(
        "program", program, listing_changes.as_text(program), typed, [*fields, listing_changes.FURTHER_SITES],
        base_version, _listing_labels(), listing_describer(), HIDDEN_IN_HISTORY,
    )
    return _edit_page(program, fields, values, conflict=conflict, status=409)


def _review(entity, record, current, typed, editable, base_version, labels, describer, hidden=()):
    """(form values, conflict) after a refused save, for listings and organizations alike: the
    saves made since ``base_version`` are shown and kept, and so is every field the person
    changed from the version they started from."""
    entries = get_db().audit.history(entity, record["id"], after_version=base_version)
    base = listing_changes.values_at(current, entries)
    values, collisions = listing_changes.review(base, current, typed, editable)
    rows = history_rows(entries, labels, describer, hidden)
    return values, {"rows": rows, "collisions": ", ".join(labels.get(n, n) for n in collisions)}


@dataclass(frozen=True)
class HistoryRow:
    when: str
    who: str
    field: str
    was: str
    now: str


def history_rows(entries, labels, describer, hidden=()):
    """One row per field changed, newest first, in words (``describer(name, text)``); lists
    merely saved in another order are left out, and so are the ``hidden`` fields."""
    rows = []
    for entry in entries:
        for name, (old, new) in listing_changes.meaningful(entry["changes"]).items():
            if name in hidden:
                continue
            rows.append(HistoryRow(local_time(entry["at"]), _who(entry), labels.get(name, name),
                                   describer(name, _text(old)), describer(name, _text(new))))
    return rows


def _text(value):
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _who(entry):
    if entry.get("user_id"):
        return entry.get("user_name") or entry.get("user_email") or _("a former account")
    if entry["who"].startswith("import:"):
        return _("Import of %(file)s", file=entry["who"][len("import:"):])
    return entry["who"]


def _listing_labels():
    labels = {field.name: field.label for field in BY_NAME.values()}
    labels[listing_changes.FURTHER_SITES] = _("Further sites")
    return labels


def _save(record, changes, base_version, action):
    save_listing(current_app, get_db(), user_actor(g.user), record, changes, base_version, action)


@bp.route("/programs/<program_id>/confirm", methods=["POST"])
@requires(may_edit_program, load=_program)
def confirm(program, program_id):
    """The organization confirms the listing is still accurate: verified today.

    The button carries the version the person read, so a listing changed since is not
    confirmed unseen.
    """
    record, changes = editing.confirm(program, today())
    try:
        _save(record, changes, form_version(request.form), "confirm")
    except VersionConflict:
        flash(_("Someone changed this listing since you opened it. Check it, then confirm again."), "error")
    else:
        flash(_("The listing is confirmed as accurate today."))
    return redirect(url_for("pages.program", program_id=program_id))


@bp.route("/programs/<program_id>/history")
@requires(may_view_history, load=_program)
def history(program, program_id):
    """Every change to a listing: who, when, which field, what it was and became, in words."""
    entries = get_db().audit.history("program", program_id)
    rows = history_rows(entries, _listing_labels(), listing_describer(), HIDDEN_IN_HISTORY)
    return render_template("editing/history.html", program=program, rows=rows)


def _organization(organization_id):
    return get_db().catalog.get_organization(organization_id)


@bp.route("/organizations/<organization_id>/edit", methods=["GET", "POST"])
@requires(may_edit_organization, load=_organization)
def edit_organization(organization, organization_id):
    """The organization's profile: name (as shown on all its listings), what it does, contact."""
    current = organization_records.as_text(organization)
    if request.method == "GET":
        return _organization_page(organization, current)
    require_complete_form(request.form)
    base_version = form_version(request.form)
    typed = _organization_form(request.form)
    if base_version != organization["version"]:
        return _organization_conflict(organization, typed, base_version)
    values = dict(current, **typed, id=organization_id)
    values["name"] = " ".join(values["name"].split()) if not CONTROL_RE.search(values["name"]) else values["name"]
    record, problems = organization_records.validate_organization(values, vocabularies(), locate, today())
    if problems:
        return _organization_page(organization, values, {p.field: p.reason for p in problems}, 400)
    changes = {n: [current[n], v] for n, v in organization_records.as_text(record).items() if current[n] != v}
    db = get_db()
    try:
        with db.write():
            _save_organization(db, record, changes, base_version)
    except VersionConflict:
        return _organization_conflict(_organization(organization_id), typed, base_version)
    search.after_commit(current_app, db)
    flash(_saved_message(changes))
    return redirect(url_for("pages.organization", organization_id=organization_id))


def _organization_controls(values):
    chosen = (values.get("languages") or "").split(";")
    return [control(field, vocabularies(), hint=HINTS.get(field.name, ""),
                    first=COMMON_LANGUAGES if field.name == "languages" else (), chosen=chosen)
            for field in organization_records.ORGANIZATION_FIELDS[1:]]


def _organization_form(form):
    """The profile fields the form sent: several languages joined with ';' as in the CSV."""
    return submitted_text(form, [c for c in _organization_controls({}) if c.name in form])


def _organization_labels():
    return {field.name: field.label for field in organization_records.ORGANIZATION_FIELDS}


def _organization_conflict(organization, typed, base_version):
    """The profile form again after someone else saved first: their changes shown and kept,
    the fields this person changed kept as typed (as for listings)."""
    labels = _organization_labels()
    editable = [field.name for field in organization_records.ORGANIZATION_FIELDS[1:]]
    values, conflict = _review("organization", organization, organization_records.as_text(organization), typed,
                               editable, base_version, labels, describer=_organization_value)
    return _organization_page(organization, values, status=409, conflict=conflict)


def _organization_value(name, text):
    field = organization_records.ORGANIZATION_BY_NAME.get(name)
    if field is None or not text:
        return text
    if field.vocabulary:
        return ", ".join(vocabularies()[field.vocabulary].label(slug) for slug in text.split(";") if slug)
    return local_date(text) if field.kind == "date" else text


def _save_organization(db, record, changes, base_version):
    """Rename first (its listings too, with their own history), then write the other fields."""
    stored = db.catalog.get_organization(record["id"])["version"]
    if stored != base_version:
        raise VersionConflict("organization", record["id"], base_version, stored)
    actor = user_actor(g.user)
    db.rename_organization(record["id"], record["name"], actor, expected_version=base_version)
    rest = {name: change for name, change in changes.items() if name != "name"}
    if rest:
        version = db.catalog.save_organization(record)
        db.audit.record(actor, "edit", "organization", record["id"], rest, version=version)


def _organization_page(organization, values, problems=None, status=200, conflict=None):
    problems = problems or {}
    controls = _organization_controls(values)
    labels = {c.name: c.label for c in controls}
    return render_template(
        "editing/organization.html", organization=organization, values=values, controls=controls,
        problems=field_problems(problems), summary=error_summary(problems, labels, [c.name for c in controls]),
        conflict=conflict,
    ), status

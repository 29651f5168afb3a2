"""Organizations keep their own listings true: edit, confirm still accurate, see the history.

Every form carries the version of the record it was loaded from. A save based on an older
version is refused (409) with a page that keeps what the person typed, shows the current value
of everything they did not touch, and lists what changed meanwhile: nothing is overwritten
silently. Every save writes only what changed, with its audit entry, in one transaction.
"""

import datetime as dt

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from .. import search
from ..accounts.permissions import editable_fields, may_edit_organization, may_edit_program, may_view_history
from ..catalog import changes as listing_changes
from ..catalog import editing
from ..catalog import organizations as organization_records
from ..catalog.fields import BY_NAME, FIELD_NAMES
from ..catalog.validation import CONTROL_RE
from ..db import VersionConflict
from ..db.audit import user_actor
from ..geo import places
from ..geo.postcodes import locate
from .auth import requires
from .context import get_db, today, vocabularies
from .forms import form_version, require_complete_form

bp = Blueprint("editing", __name__)


def _program(program_id):
    return get_db().catalog.get_program(program_id)


@bp.route("/programs/<program_id>/edit", methods=["GET", "POST"])
@requires(may_edit_program, load=_program)
def edit(program, program_id):
    """Edit a listing with the importer's own validation; the change shows in search at once."""
    fields = editable_fields(g.user, FIELD_NAMES)
    if request.method == "GET":
        return _edit_page(program, fields, listing_changes.as_text(program))
    require_complete_form(request.form)
    base_version = form_version(request.form)
    typed = _submitted(request.form, fields)
    if base_version != program["version"]:
        return _conflict_page(program, fields, typed, base_version)
    boundaries = places.load(current_app.instance_path)
    record, changes, problems = editing.edit_program(
        program, typed, editable=fields, vocabularies=vocabularies(), locate=locate,
        today=today(), place=boundaries.place if boundaries else None,
        misplaced=boundaries.misplaced if boundaries else None,
    )
    if problems:
        values = dict(listing_changes.as_text(program), **typed)
        return _edit_page(program, fields, values, problems={p.field: p.reason for p in problems}, status=400)
    try:
        save_listing(record, changes, base_version, "edit")
    except VersionConflict:
        return _conflict_page(_program(program_id), fields, typed, base_version)
    flash(_("Your changes are saved.") if changes else _("Nothing had changed, so nothing was saved."))
    return redirect(url_for("pages.program", program_id=program_id))


def _edit_page(program, fields, values, problems=None, status=200, conflict=None):
    return render_template(
        "editing/edit.html", program=program, fields=[BY_NAME[name] for name in fields],
        values=values, problems=problems or {}, conflict=conflict, labels=_labels(),
    ), status


def changed_since(program, base_version):
    """The audit entries of the saves made since ``base_version``, newest first."""
    return get_db().audit.history("program", program["id"], after_version=base_version)


def _conflict_page(program, fields, typed, base_version):
    """The form again, after someone else saved first: theirs kept, the person's typing kept."""
    values, conflict = _review(
        "program", program, listing_changes.as_text(program), typed, [*fields, listing_changes.FURTHER_SITES],
        base_version, _labels(),
    )
    return _edit_page(program, fields, values, conflict=conflict, status=409)


def _review(entity, record, current, typed, editable, base_version, labels):
    """(form values, conflict) after a refused save, for listings and organizations alike: the
    saves made since ``base_version`` are shown and kept, and so is every field the person
    changed from the version they started from."""
    entries = get_db().audit.history(entity, record["id"], after_version=base_version)
    base = listing_changes.values_at(current, entries)
    values, collisions = listing_changes.review(base, current, typed, editable)
    return values, {"entries": entries, "collisions": ", ".join(labels.get(n, n) for n in collisions)}


@bp.app_template_filter("local_time")
def local_time(stamp):
    """An audit timestamp (UTC, ISO) as people in Toronto read it: "30 Nov 2026, 13:54", with
    the month in the reader's language."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return format_datetime(moment, "d MMM y, HH:mm")


def _labels():
    labels = {field.name: field.label for field in BY_NAME.values()}
    labels[listing_changes.FURTHER_SITES] = _("Further sites")
    return labels


def _submitted(form, fields):
    """Form values as the importer reads cells: several checked slugs joined with ';'."""
    submitted = {}
    for name in fields:
        if BY_NAME[name].kind == "slugs":
            submitted[name] = ";".join(form.getlist(name))
        else:
            submitted[name] = form.get(name, "")
    if listing_changes.FURTHER_SITES in form:
        submitted[listing_changes.FURTHER_SITES] = form[listing_changes.FURTHER_SITES]
    return submitted


def save_listing(record, changes, base_version, action):
    """Write the listing and its audit entry together, then let the index catch up.

    Raises VersionConflict when the listing is no longer at ``base_version``.
    """
    if not changes:
        return
    db = get_db()
    with db.write():
        version = db.catalog.save_program(record, expected_version=base_version)
        db.audit.record(user_actor(g.user), action, "program", record["id"], changes, version=version)
        db.rename_organization(record["organization_id"], record["organization"], user_actor(g.user))
    search.after_commit(current_app, db)


@bp.route("/programs/<program_id>/confirm", methods=["POST"])
@requires(may_edit_program, load=_program)
def confirm(program, program_id):
    """The organization confirms the listing is still accurate: verified today.

    The button carries the version the person read, so a listing changed since is not
    confirmed unseen.
    """
    record, changes = editing.confirm(program, today())
    try:
        save_listing(record, changes, form_version(request.form), "confirm")
    except VersionConflict:
        flash(_("Someone changed this listing since you opened it. Check it, then confirm again."))
    else:
        flash(_("The listing is confirmed as accurate today."))
    return redirect(url_for("pages.program", program_id=program_id))


@bp.route("/programs/<program_id>/history")
@requires(may_view_history, load=_program)
def history(program, program_id):
    """Every change to a listing: who, when, which field, old and new value."""
    entries = get_db().audit.history("program", program_id)
    return render_template("editing/history.html", program=program, entries=entries, labels=_labels())


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
    flash(_("The organization's profile is saved.") if changes else _("Nothing had changed, so nothing was saved."))
    return redirect(url_for("pages.organization", organization_id=organization_id))


def _organization_form(form):
    """The profile fields the form sent: several languages joined with ';' as in the CSV."""
    typed = {}
    for field in organization_records.ORGANIZATION_FIELDS[1:]:
        if field.name not in form:
            continue
        typed[field.name] = ";".join(v for v in form.getlist(field.name) if v) if field.kind == "slugs" \
            else form.get(field.name, "")
    return typed


def _organization_conflict(organization, typed, base_version):
    """The profile form again after someone else saved first: their changes shown and kept,
    the fields this person changed kept as typed (as for listings)."""
    labels = {field.name: field.label for field in organization_records.ORGANIZATION_FIELDS}
    editable = [field.name for field in organization_records.ORGANIZATION_FIELDS[1:]]
    values, conflict = _review("organization", organization, organization_records.as_text(organization), typed,
                               editable, base_version, labels)
    return _organization_page(organization, values, status=409, conflict=conflict, labels=labels)


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


def _organization_page(organization, values, problems=None, status=200, conflict=None, labels=None):
    return render_template(
        "editing/organization.html", organization=organization, values=values, problems=problems or {},
        fields=organization_records.ORGANIZATION_FIELDS[1:], conflict=conflict, labels=labels or {},
    ), status

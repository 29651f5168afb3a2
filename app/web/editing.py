"""Organizations keep their own listings true: edit, confirm still accurate, see the history."""

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from .. import search
from ..accounts.permissions import editable_fields, may_edit_organization, may_edit_program, may_view_history
from ..catalog import editing
from ..catalog.export import program_rows
from ..catalog.fields import BY_NAME, FIELD_NAMES
from ..geo import places
from ..geo.postcodes import locate
from .auth import requires
from .context import get_store, today, vocabularies

bp = Blueprint("editing", __name__)


def _program(program_id):
    return get_store().get_program(program_id)


@bp.route("/programs/<program_id>/edit", methods=["GET", "POST"])
@requires(may_edit_program, load=_program)
def edit(program, program_id):
    """Edit a listing with the importer's own validation; the change shows in search at once."""
    fields = editable_fields(g.user, FIELD_NAMES)
    values, problems = next(program_rows([program])), []
    values["further_sites"] = editing.further_sites_text(program)
    if request.method == "POST":
        submitted = _submitted(request.form, fields)
        values.update(submitted)
        boundaries = places.load(current_app.instance_path)
        further = request.form.get("further_sites")
        values["further_sites"] = further
        record, changes, problems = editing.edit_program(
            program, submitted, editable=fields, vocabularies=vocabularies(), locate=locate,
            today=today(), place=boundaries.place if boundaries else None, further_sites=further,
        )
        if not problems:
            _save(record, changes)
            return redirect(url_for("pages.program", program_id=program_id))
    return render_template(
        "editing/edit.html", program=program, fields=[BY_NAME[name] for name in fields],
        values=values, problems={p.field: p.reason for p in problems},
    ), (400 if problems else 200)


def _submitted(form, fields):
    """Form values as the importer reads cells: several checked slugs joined with ';'."""
    submitted = {}
    for name in fields:
        if BY_NAME[name].kind == "slugs":
            submitted[name] = ";".join(form.getlist(name))
        else:
            submitted[name] = form.get(name, "")
    return submitted


def _save(record, changes):
    store = get_store()
    with store.write():
        store.save_program(record)
        store.add_changes(editing.stamped(changes, record["id"], g.user["id"]))
    search.sync(current_app, store, [record["id"]])


@bp.route("/programs/<program_id>/confirm", methods=["POST"])
@requires(may_edit_program, load=_program)
def confirm(program, program_id):
    """The organization confirms the listing is still accurate: verified today."""
    record, changes = editing.confirm(program, today())
    _save(record, changes)
    return redirect(url_for("pages.program", program_id=program_id))


@bp.route("/programs/<program_id>/history")
@requires(may_view_history, load=_program)
def history(program, program_id):
    """Every change to a listing: who, when, which field, old and new value."""
    return render_template("editing/history.html", program=program, changes=get_store().history(program_id))


def _organization(organization_id):
    return get_store().get_organization(organization_id)


@bp.route("/organizations/<organization_id>/edit", methods=["GET", "POST"])
@requires(may_edit_organization, load=_organization)
def edit_organization(organization, organization_id):
    """The organization's profile: its name, as shown on every one of its listings."""
    problem = None
    if request.method == "POST":
        name = " ".join((request.form.get("name") or "").split())
        if not name or len(name) > 200:
            problem = "enter the organization's name (at most 200 characters)"
        else:
            store = get_store()
            with store.write():
                program_ids = store.rename_organization(organization_id, name)
                changes = [{"field": "organization", "old": organization["name"], "new": name}]
                for program_id in program_ids:
                    store.add_changes(editing.stamped(changes, program_id, g.user["id"]))
            search.sync(current_app, store, program_ids)
            return redirect(url_for("pages.organization", organization_id=organization_id))
    return render_template("editing/organization.html", organization=organization, problem=problem), (400 if problem else 200)

"""Organizations keep their own listings true: edit, confirm still accurate, see the history."""

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from .. import search
from ..accounts.permissions import editable_fields, may_edit_program, may_view_history
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
    if request.method == "POST":
        submitted = _submitted(request.form, fields)
        values.update(submitted)
        boundaries = places.load(current_app.instance_path)
        record, changes, problems = editing.edit_program(
            program, submitted, editable=fields, vocabularies=vocabularies(), locate=locate,
            today=today(), place=boundaries.place if boundaries else None,
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

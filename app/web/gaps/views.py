"""The convenor dashboard: coverage, continuum, place and need, overlaps and data health.

Listings that are not programs (funders, networks) are left out unless ``type=`` says
otherwise, so a count is of programs people join.
"""

from flask import Blueprint, abort, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...gaps import dimensions
from ..shared.auth import may_see_gaps
from ..shared.errors import json_error
from .export import csv_response
from .figures import VIEW_FUNCTIONS, coverage_view, programs_catalogue
from .page import page_helpers, place_map
from .params import VIEWS, choice, search_request

bp = Blueprint("gaps", __name__)


def _refusal():
    """None when the dashboard may be shown, else the site's usual answer for who is asking."""
    if may_see_gaps():
        return None
    api = request.path.startswith("/api/")
    if g.get("user") is None:
        if api:
            return json_error(401, "unauthorized", _("Sign in as a convenor or an administrator to see the gaps."))
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if api:
        return json_error(403, "forbidden", _("Your account does not allow this."))
    abort(403, description=_("The gaps dashboard is for convenors and administrators."))


@bp.route("/gaps")
def dashboard():
    """The convenor dashboard: one view at a time, the current filters applied, CSV on request."""
    refused = _refusal()
    if refused is not None:
        return refused
    view = choice(request.args, "view", VIEWS, "coverage")
    export = choice(request.args, "format", ("html", "csv"), "html")
    request_ = search_request(request.args)
    data = VIEW_FUNCTIONS[view](programs_catalogue(), request_, request.args)
    if export == "csv":
        return csv_response(view, request_, request.args, data)
    if view == "place":
        data.update(place_map(data, request.args))
    return render_template("gaps/dashboard.html", view=view, views=VIEWS, search_request=request_,
                           dimensions=dimensions.DIMENSIONS, args=request.args,
                           **page_helpers(view, request_, request.args, data), **data)


@bp.route("/api/gaps")
def api_gaps():
    """The coverage matrix as JSON: each cell's count is the /api/programs total for its link."""
    refused = _refusal()
    if refused is not None:
        return refused
    request_ = search_request(request.args)
    data = coverage_view(programs_catalogue(), request_, request.args)
    result = data["matrix"]
    return jsonify(
        rows=result["rows"], cols=result["cols"],
        cells=[{key: cell[key] for key in ("row", "col", "count", "level", "seats", "seats_known", "programs_url")}
               for cell in result["cells"]],
        row_totals=result["row_totals"], col_totals=result["col_totals"], total=result["total"],
        dimensions={"rows": data["row_dim"].name, "cols": data["col_dim"].name},
    )

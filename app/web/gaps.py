"""The convenor dashboard: coverage, continuum, place and need, overlaps and data health."""

from flask import Blueprint, current_app, g

from ..accounts.permissions import may_see_gaps as _may_see_gaps

bp = Blueprint("gaps", __name__)


def may_see_gaps():
    return bool(current_app.config.get("ATLAS_PUBLIC_GAPS")) or _may_see_gaps(g.get("user"))


@bp.app_context_processor
def _template_helpers():
    return {"may_see_gaps": may_see_gaps}


@bp.route("/gaps")
def dashboard():
    return "", 404

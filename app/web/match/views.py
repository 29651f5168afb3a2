"""Referral matching: "where can I send this client?" in one screen, and a plan to hand over.

Nothing about the client is stored or logged: the form is posted (so the profile stays out of
the address bar and the browser's history), request logs never carry query strings or bodies,
and the shortlist lives in the browser's session storage. A link with the profile in it is
made only when the caseworker asks for one.
"""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ... import matching
from ...geo.codes import WARDS
from ..shared import listing
from ..shared.context import get_db, matching_catalogue, place_names, today, vocabularies, ward_at
from ..shared.profile_params import GENDERS, HOURS, LABELS, described, parse_limit, parse_profile
from ..shared.params import BadParameter

bp = Blueprint("match", __name__)
MAX_PLAN_PROGRAMS = 20
MORE_LIMIT = 100  # the most results one page shows


@bp.route("/match", methods=["GET", "POST"])
def match_page():
    """The needs form and, once something is described, the ranked, excluded and unknown lists."""
    args = request.form if request.method == "POST" else request.args
    profile, errors = parse_profile(args, vocabularies(), ward_at)
    try:
        limit = parse_limit(args)
    except BadParameter as error:
        errors[error.parameter], limit = error.message, None
    result, eligible = (matching.match_with_total(matching_catalogue(), profile, vocabularies(), today(), limit)
                        if described(args) or request.method == "POST" else (None, 0))
    return render_template(
        "match/match.html",
        chosen=args,
        errors=errors,
        result=result,
        eligible=eligible,
        more_limit=MORE_LIMIT if result is not None and eligible > len(result.results) else None,
        profile=profile,
        shared=request.method == "GET" and described(args),
        share_args=_share_args(args),
        labels=LABELS,
        genders=GENDERS,
        ward_options=_ward_options(),
        hours=HOURS,
        translate=_,
    )


@bp.route("/match/plan")
def plan():
    """A one-page plan to give the client: the shortlisted programs, how to apply, where to go.
    It names programs only, never the client."""
    ids = list(dict.fromkeys(request.args.getlist("program")))[:MAX_PLAN_PROGRAMS]
    programs = get_db().catalog.get_programs(ids)
    return render_template("match/plan.html", programs=programs)


def _ward_options():
    names = place_names()
    return [(code, listing.facet_label("ward", code, vocabularies(), names))
            for code in (WARDS.code(n) for n in range(1, WARDS.highest + 1))]


def _share_args(args):
    """The profile as query arguments, for the link the caseworker may choose to copy."""
    return [(name, value) for name in args if name not in ("csrf_token",) for value in args.getlist(name) if value]


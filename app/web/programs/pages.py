"""The pages people read: home, the program list and search, a program, an organization."""

import datetime as dt

from flask import Blueprint, abort, current_app, g, render_template, request
from werkzeug.datastructures import MultiDict

from ... import search
from ...accounts.permissions import may_edit_organization, may_edit_program
from ...geo import maps
from ...catalog.listing import is_stale, stages
from ...catalog import facet_registry
from ...catalog import organizations as organization_records
from ...geo.codes import WARDS
from ...referrals import stats
from ..shared import context, listing
from ..shared.context import get_db, now, place_names, stale_after_days, today, vocabularies
from ..shared.params import MAX_OPEN_WITHIN_DAYS, BadParameter, parse_search

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    """Landing page: what the atlas holds and where to start.

    The next intakes come from a search in next-intake order among programs open within the
    year: dated ones sort first and continuous ones (which have no date) after, so when the
    first few carry no date, none does, and the total is the programs taking people in now.
    """
    catalog = get_db().catalog
    by_intake = parse_search(MultiDict({"sort": "next_intake", "open_within_days": str(MAX_OPEN_WITHIN_DAYS)}),
                             vocabularies(), 3)
    open_soon = search.search(current_app, by_intake)
    next_intakes = [program for program in catalog.get_programs(open_soon.ids) if program.get("next_intake_date")]
    return render_template(
        "home.html",
        program_count=catalog.count_current_programs(today()),
        organization_count=catalog.count_organizations(),
        sector_counts=catalog.term_counts("sectors", today()),
        population_counts=catalog.term_counts("populations", today()),
        next_intakes=next_intakes,
        continuous_count=None if next_intakes else open_soon.total,
    )


@bp.route("/programs")
def programs():
    """Search and browse programs with facets, 20 a page.

    A place that cannot be found (a mistyped postal code, one outside Toronto) is shown beside
    its field and the rest of the search still runs: the person keeps what they chose.
    """
    search_request, place_errors = _search_request(request.args)
    result = search.search(current_app, search_request)
    page, pages = listing.paging(search_request, result.total)
    if page > pages:
        abort(404, description=f"There is no page {page}; this list has {pages}.")
    found = get_db().catalog.get_programs(result.ids)
    names = place_names()
    return render_template(
        "programs/list.html",
        programs=found,
        result=result,
        search_request=search_request,
        place_errors=place_errors,
        near_typed=(request.args.get("near") or "")[:40] if "near" in place_errors else search_request.near_text,
        radius_typed=(request.args.get("radius_km") or "")[:20],
        page=page,
        pages=pages,
        groups=listing.facet_groups(result.facets, search_request.filters, vocabularies(), names),
        snippets=listing.snippets(found, result.stems) if result.stems else {},
        matched=search.explain(current_app, search_request, found),
        relaxations=_relaxations(result, search_request),
        ward_names=names.get("ward", {}),
    )


def _search_request(args):
    """(SearchRequest, {parameter: message} for a place parameter that could not be used).

    Only the bad one is dropped: a mistyped radius keeps the postal code, and a postal code
    that cannot be found takes its radius and distance order with it.
    """
    per_page = current_app.config["ATLAS_PER_PAGE"]
    try:
        return parse_search(args, vocabularies(), per_page), {}
    except BadParameter as error:
        if error.parameter not in ("near", "radius_km"):
            raise
        usable = args.copy()
        dropped = ("radius_km",) if error.parameter == "radius_km" and args.get("near") else ("near", "radius_km")
        for name in dropped:
            usable.poplist(name)
        if "near" in dropped and usable.get("sort") == "distance":
            usable.poplist("sort")
        return parse_search(usable, vocabularies(), per_page), {error.parameter: error.message}


def _relaxations(result, search_request):
    """Filters to drop when nothing matches, the one giving most results first.

    A facet with a default (status) is never simply dropped, since the default would come back:
    its option names every value instead ("include ended programs").
    """
    options = []
    for facet, total in result.relaxed.items():
        if not total:
            continue
        registered = facet_registry.BY_NAME[facet]
        if registered.hidden_by_default:
            everything = [term.slug for term in vocabularies()[registered.vocabulary].terms]
            options.append({"facet": facet, "total": total, "include_hidden": True,
                            "args": listing.state_args(search_request, **{facet: everything})})
        else:
            options.append({"facet": facet, "title": listing.FACET_TITLES[facet], "total": total,
                            "args": listing.state_args(search_request, drop=facet)})
    return sorted(options, key=lambda option: -option["total"])


@bp.route("/programs/<program_id>")
def program(program_id):
    """One program: everything known about it, and where the facts come from."""
    found = get_db().catalog.get_program(program_id)
    if found is None:
        abort(404, description="No program has that id. It may have been renamed or removed.")
    config = current_app.config
    boundaries = context.boundaries()
    located = any(site.get("latitude") is not None for site in found["sites"])
    return render_template(
        "programs/detail.html",
        program=found,
        site_map=maps.sites_map(found, boundaries, config["ATLAS_MAP_TILES"], config["ATLAS_MAP_ATTRIBUTION"])
        if located or boundaries else None,
        ward_names=boundaries.ward_names() if boundaries else {},
        may_edit=may_edit_program(g.user, found),
        stages=stages(found, vocabularies()),
        stale=is_stale(found, today(), stale_after_days()),
        stale_after_days=stale_after_days(),
        referral_figures=_program_figures(program_id) if g.user else None,
    )


@bp.route("/organizations")
def organizations():
    """The directory: who does what, narrowed to the people and the ward a partner serves."""
    chosen = _directory_filters(request.args)
    catalog = get_db().catalog
    found = organization_records.directory(catalog.organizations(), catalog.program_reach(), today(), chosen["q"],
                                           chosen["population"], chosen["ward"])
    names = place_names().get("ward", {})
    wards = [(code, names.get(code, "")) for code in (WARDS.code(n) for n in range(1, WARDS.highest + 1))]
    return render_template("organizations/list.html", found=found, chosen=chosen, wards=wards)


def _directory_filters(args):
    """The directory's filters, each checked: a bad one is a 400 naming it, like the search's."""
    chosen = {"q": (args.get("q") or "")[:100], "population": args.get("population") or "",
              "ward": args.get("ward") or ""}
    if chosen["population"] and chosen["population"] not in vocabularies()["populations"]:
        raise BadParameter("population", vocabularies()["populations"].refusal(chosen["population"], f'"{chosen["population"][:40]}"'))
    if chosen["ward"] and not WARDS.is_code(chosen["ward"]):
        raise BadParameter("ward", f'"{chosen["ward"][:20]}" is not a ward number')
    return chosen


@bp.route("/organizations/<organization_id>")
def organization(organization_id):
    """An organization: what it does, how to reach it, and all of its programs."""
    catalog = get_db().catalog
    found = catalog.get_organization(organization_id)
    if found is None:
        abort(404, description="No organization has that id.")
    programs = catalog.programs_of(organization_id)
    return render_template(
        "organizations/detail.html",
        organization=found,
        programs=programs,
        populations=organization_records.populations_served(programs, today()),
        may_edit=may_edit_organization(g.user, found),
        referral_figures=_organization_figures(organization_id) if g.user else None,
    )


def _program_figures(program_id):
    """How the program answers referrals over the last 12 months, for signed-in people; None
    below the minimum number of referrals (too few to be fair to the program)."""
    rows = get_db().referrals.program_referrals(program_id, now() - dt.timedelta(days=365))
    return stats.response_figures(rows, current_app.config["ATLAS_STATS_MIN_REFERRALS"])


def _organization_figures(organization_id):
    """Referrals made, accepted, and outcomes reached by the clients it referred (credited
    along chains of referrals)."""
    figures = stats.contributions(get_db().referrals.chains_of(organization_id))
    return figures.get(organization_id, {"made": 0, "accepted": 0, "outcomes": 0, "own_outcomes": 0})

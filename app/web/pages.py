"""The pages people read: home, the program list and search, a program, an organization."""

import datetime as dt

import numpy as np
from flask import Blueprint, abort, current_app, g, render_template, request
from flask_babel import format_date
from werkzeug.datastructures import MultiDict

from .. import search
from ..accounts.permissions import may_edit_organization, may_edit_program
from ..geo import maps
from ..catalog.listing import is_stale, needs_rechecking, source_is_old, stages
from ..catalog import facet_registry
from ..catalog import organizations as organization_records
from ..catalog.vocabulary import stage_of
from ..geo.codes import WARDS
from ..geo.distance import haversine_km
from . import context, listing, referral_desk
from .context import get_db, place_names, stale_after_days, today, vocabularies
from .params import MAX_OPEN_WITHIN_DAYS, BadParameter, parse_search

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
        referral_figures=referral_desk.program_figures(program_id) if g.user else None,
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
        referral_figures=referral_desk.organization_figures(organization_id) if g.user else None,
    )


@bp.app_template_global()
def label(vocabulary_name, slug):
    """A slug's plain-language label, for templates."""
    return vocabularies()[vocabulary_name].label(slug)


@bp.app_template_global()
def today_iso():
    """Today's date as stored dates are written, to compare them in templates."""
    return today().isoformat()


@bp.app_template_global()
def stale_listing(program):
    return is_stale(program, today(), stale_after_days())


@bp.app_template_global()
def recheck_listing(program):
    return needs_rechecking(program, today(), stale_after_days())


@bp.app_template_global()
def old_source(program):
    return source_is_old(program, today())


@bp.app_template_global("stage_of")
def intervention_stage(slug):
    return stage_of(vocabularies(), slug)


@bp.app_template_global()
def search_args(search_request, **changes):
    """URL arguments for this search with some changed (page, sort, a dropped facet)."""
    return listing.state_args(search_request, **changes)


@bp.app_template_filter()
def service_area(code):
    return listing.area_label(code)


@bp.app_template_global()
def ward_label(code, names):
    """"25 Scarborough-Rouge Park", or "25" without the boundaries' names."""
    name = names.get(code)
    return f"{int(code)} {name}" if name else str(int(code))


@bp.app_template_filter()
def nearest_first(sites, point):
    """Sites with coordinates, the one nearest ``point`` first (in their own order without a
    point), so a card's distance and the address beside it are the same site's."""
    located = [site for site in sites if site.get("latitude") is not None]
    if not point or not located:
        return located
    return sorted(located, key=lambda site: haversine_km(point[0], point[1], np.array([[site["latitude"], site["longitude"]]]))[0])


@bp.app_template_filter()
def by_street(sites):
    """Sites in the order people scan an address list: by street, then number along it, so
    "1081 Progress Ave" comes before "789 Yonge St" and "9 Yonge" before "789 Yonge"."""
    return sorted(sites, key=lambda site: _street_key(site.get("address") or ""))


def _street_key(address):
    number, _space, street = address.strip().partition(" ")
    if number.isascii() and number.isdigit():
        return street.casefold(), int(number)
    return address.casefold(), 0


@bp.app_template_filter()
def term_label(slug, vocabulary_name):
    """A slug's plain-language label: ``slugs | map('term_label', 'populations')``."""
    return vocabularies()[vocabulary_name].label(slug)


@bp.app_template_filter()
def date_text(iso_date):
    """An ISO date as people write it ("November 30, 2026" in English)."""
    try:
        return format_date(dt.date.fromisoformat(iso_date), "long")
    except (TypeError, ValueError):
        return iso_date


@bp.app_context_processor
def inject_vocabulary():
    return {"vocabulary": vocabularies()}

"""The pages people read: home, the program list, a program, an organization."""

import math

from flask import Blueprint, abort, current_app, render_template, request

from ..catalog.listing import is_stale, stages
from ..catalog.vocabulary import stage_of
from .context import get_store, stale_after_days, today, vocabularies
from .params import FILTER_PARAMETERS, BadParameter, parse_list_query

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    """Landing page: what the atlas holds and where to start."""
    store = get_store()
    return render_template(
        "home.html",
        program_count=store.count_programs(),
        organization_count=store.count_organizations(),
        sector_counts=store.term_counts("sectors"),
        population_counts=store.term_counts("populations"),
    )


@bp.route("/programs")
def programs():
    """Browse programs, 20 a page, sorted by name or next intake."""
    try:
        query = parse_list_query(request.args, vocabularies())
    except BadParameter as error:
        return render_template("errors/bad_request.html", message=str(error)), 400
    store = get_store()
    per_page = current_app.config["ATLAS_PER_PAGE"]
    total = store.count_programs(query.filters)
    pages = max(1, math.ceil(total / per_page))
    if query.page > pages:
        abort(404, description=f"There is no page {query.page}; this list has {pages}.")
    rows = store.list_programs(query.sort, (query.page - 1) * per_page, per_page, query.filters)
    return render_template(
        "programs/list.html",
        programs=rows,
        total=total,
        query=query,
        pages=pages,
        today=today(),
        stale_after_days=stale_after_days(),
    )


@bp.route("/programs/<program_id>")
def program(program_id):
    """One program: everything known about it, and where the facts come from."""
    found = get_store().get_program(program_id)
    if found is None:
        abort(404, description="No program has that id. It may have been renamed or removed.")
    return render_template(
        "programs/detail.html",
        program=found,
        stages=stages(found, vocabularies()),
        stale=is_stale(found, today(), stale_after_days()),
        stale_after_days=stale_after_days(),
    )


@bp.route("/organizations/<organization_id>")
def organization(organization_id):
    """An organization and all of its programs."""
    store = get_store()
    found = store.get_organization(organization_id)
    if found is None:
        abort(404, description="No organization has that id.")
    return render_template(
        "organizations/detail.html",
        organization=found,
        programs=store.programs_of(organization_id),
        today=today(),
        stale_after_days=stale_after_days(),
    )


@bp.app_template_global()
def label(vocabulary_name, slug):
    """A slug's plain-language label, for templates."""
    return vocabularies()[vocabulary_name].label(slug)


@bp.app_template_global()
def stale_listing(program):
    return is_stale(program, today(), stale_after_days())


@bp.app_template_filter()
def service_area(code):
    if code == "city-wide":
        return "City-wide"
    kind, _, number = code.partition(":")
    return f"{kind.capitalize()} {int(number)}"


@bp.app_template_global()
def list_args(query, page):
    """URL arguments that keep a list's filters when changing page or sort."""
    args = {FILTER_PARAMETERS_BY_VOCABULARY[name]: slugs for name, slugs in query.filters.items()}
    args["page"] = page
    return args


@bp.app_context_processor
def inject_vocabulary():
    return {"vocabulary": vocabularies()}


FILTER_PARAMETERS_BY_VOCABULARY = {v: k for k, v in FILTER_PARAMETERS.items()}


@bp.app_template_global("stage_of")
def intervention_stage(slug):
    return stage_of(vocabularies(), slug)

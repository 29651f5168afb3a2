"""The convenor dashboard: coverage, continuum, place and need, overlaps and data health.

Every figure counts the programs the same filters find on /programs (the scope comes from the
search itself), and each count links to them. Listings that are not programs (funders,
networks) are left out unless ``type=`` says otherwise, so a count is of programs people join.
"""

import collections
import dataclasses
import functools
import hashlib
import io
from urllib.parse import urljoin

from flask import Blueprint, Response, abort, current_app, g, jsonify, redirect, render_template, request, url_for
from babel.lists import format_list
from babel.numbers import parse_pattern
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
import numpy as np
from werkzeug.datastructures import MultiDict

from .. import search
from ..accounts.permissions import may_see_gaps as _may_see_gaps
from ..catalog import facet_registry
from ..catalog.csvfile import write_csv
from ..catalog.fields import BY_NAME as FIELDS
from ..gaps import accessibility, catalogue, continuum, coverage, dimensions, health, lmi, need, overlaps, tables
from ..geo import census as census_files
from ..geo import maps
from ..search.schema import FACETS as INDEX_FACETS
from ..search.schema import facet_values
from . import context, listing
from .context import get_db, stale_after_days, today, vocabularies
from .errors import json_error
from .params import BadParameter, parse_search

bp = Blueprint("gaps", __name__)

VIEWS = ("coverage", "continuum", "place", "largest", "overlaps", "health", "lmi")
AREAS = ("ward", "neighbourhood")
DEFAULT_CATCHMENT_KM = 3.0
CATCHMENT_KM = (0.5, 20.0)
CACHE = "atlas.gaps"
FIELD_LABELS = {name: field.label for name, field in FIELDS.items()}


def may_see_gaps():
    return bool(current_app.config.get("ATLAS_PUBLIC_GAPS")) or _may_see_gaps(g.get("user"))


@bp.app_context_processor
def _template_helpers():
    return {"may_see_gaps": may_see_gaps}


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


# --- parameters ---------------------------------------------------------------------------

def _choice(args, name, allowed, default):
    value = args.get(name) or default
    if value not in allowed:
        raise BadParameter(name, _('"%(value)s" is not one of: %(allowed)s', value=value[:30],
                                   allowed=", ".join(allowed)))
    return value


def parse_dimensions(args):
    """(rows, cols) dimension names; the same dimension twice is refused, naming cols."""
    names = tuple(d.name for d in dimensions.DIMENSIONS)
    rows = _choice(args, "rows", names, dimensions.DEFAULT_ROWS)
    cols = _choice(args, "cols", names, dimensions.DEFAULT_COLS if rows != dimensions.DEFAULT_COLS else "sector")
    if rows == cols:
        raise BadParameter("cols", _("Choose a different dimension for the columns than for the rows."))
    return rows, cols


def parse_catchment(args):
    value = args.get("catchment_km")
    if value in (None, ""):
        return DEFAULT_CATCHMENT_KM
    low, high = CATCHMENT_KM
    try:
        km = float(value)
    except ValueError:
        km = None
    if km is None or not low <= km <= high:
        raise BadParameter("catchment_km", _("Use a catchment distance from %(low)s to %(high)s km.",
                                             low=f"{low:g}", high=f"{high:g}"))
    return km


def search_request(args):
    """The /programs search for these parameters, programs only unless a kind is named."""
    wanted = MultiDict(args)
    if not any(value.strip() for value in wanted.getlist("type")):
        wanted.setlist("type", ["program"])
    return parse_search(wanted, vocabularies(), current_app.config["ATLAS_PER_PAGE"])


# --- data ---------------------------------------------------------------------------------

def programs_catalogue():
    """Every listing as masks, rebuilt when the catalogue or the boundaries change."""
    db = get_db()
    key = (db.outbox.latest(), id(context.boundaries()))
    cached = current_app.extensions.get(CACHE)
    if cached and cached[0] == key:
        return cached[1]
    known = search.place_context(current_app)
    records = [search.with_places(program, known) for program in db.catalog.all_programs()]
    built = catalogue.build(records, lambda record, facet: facet_values(record, facet, vocabularies()), INDEX_FACETS)
    current_app.extensions[CACHE] = (key, built)
    return built


def scope(built, request_, leave_out=()):
    """The mask of the programs the search finds, ignoring the filters named in ``leave_out``."""
    filters = {facet: slugs for facet, slugs in request_.filters.items() if facet not in leave_out}
    everything = dataclasses.replace(request_, filters=filters, offset=0, limit=max(built.size, 1),
                                     with_facets=False, sort="name")
    return built.scope(search.search(current_app, everything).ids)


def _place_names():
    """The boundaries' place names, looked up once a request (a place view names 158 areas)."""
    if "gaps_place_names" not in g:
        g.gaps_place_names = context.place_names()
    return g.gaps_place_names


def ward_label(code):
    return listing.place_label("ward", code, _place_names())


def neighbourhood_label(code):
    return listing.place_label("neighbourhood", code, _place_names())


def programs_url(request_, **facets):
    """/programs for this search with some facets set to one value each."""
    args = listing.state_args(request_)
    args.pop("sort", None)
    args.update({facet: [slug] for facet, slug in facets.items()})
    return url_for("pages.programs", **args)


# --- the views ----------------------------------------------------------------------------

def coverage_view(built, request_, args):
    rows_name, cols_name = parse_dimensions(args)
    row_dim, col_dim = dimensions.BY_NAME[rows_name], dimensions.BY_NAME[cols_name]
    chosen = request_.chosen_filters
    rows = _restricted(dimensions.values(row_dim, vocabularies(), ward_label), chosen.get(rows_name))
    cols = _restricted(dimensions.values(col_dim, vocabularies(), ward_label), chosen.get(cols_name))
    in_scope = scope(built, request_, leave_out=(rows_name, cols_name))
    result = coverage.matrix(built, in_scope, rows_name, rows, cols_name, cols, chosen.get(rows_name),
                             chosen.get(cols_name))
    for cell in result["cells"]:
        cell["programs_url"] = programs_url(request_, **{rows_name: cell["row"], cols_name: cell["col"]})
    return {"matrix": result, "row_dim": row_dim, "col_dim": col_dim,
            "link": lambda row, col: programs_url(request_, **{rows_name: row, cols_name: col})}


def _restricted(values, chosen):
    return [(slug, label) for slug, label in values if not chosen or slug in chosen]


def continuum_view(built, request_, _args):
    chosen = request_.chosen_filters.get("ward")
    wards = _restricted(dimensions.values(dimensions.BY_NAME["ward"], vocabularies(), ward_label), chosen)
    city = scope(built, request_, leave_out=("stage",))
    per_ward = scope(built, request_, leave_out=("stage", "ward")) if chosen else city
    return {"continuum": continuum.summary(built, city, vocabularies(), wards, ward_scope=per_ward)}


def _census():
    return census_files.load(current_app.instance_path)


def _areas(kind, census):
    if kind == "ward":
        return dimensions.values(dimensions.BY_NAME["ward"], vocabularies(), ward_label)
    codes = sorted(census.neighbourhoods) if census else sorted(context.place_names().get("neighbourhood", {}))
    return [(code, neighbourhood_label(code)) for code in codes]


def _points(kind="neighbourhood"):
    """{area code: (latitude, longitude)} of a point inside each ward or neighbourhood (the
    residents' point for 2SFCA, and where "programs nearest" measures from)."""
    boundaries = context.boundaries()
    if boundaries is None:
        return {}
    key = f"{CACHE}.points.{kind}"
    cached = current_app.extensions.get(key)
    if cached and cached[0] is boundaries:
        return cached[1]
    frame = boundaries.neighbourhoods if kind == "neighbourhood" else boundaries.wards
    found = {code: (p.y, p.x) for code, p in zip(frame["code"], frame.geometry.representative_point())}
    current_app.extensions[key] = (boundaries, found)
    return found


ACCESS_CACHE_SIZE = 64


def _accessibility(built, in_scope, census, group, catchment_km, kind):
    """2SFCA per neighbourhood, and per ward as its neighbourhoods' residents-weighted mean;
    kept in the process per (catalogue, programs in scope, group, catchment, area kind), so
    exploring the other views and coming back does not compute it again."""
    cache = current_app.extensions.get(CACHE + ".access")
    if cache is None or cache[0] is not built:
        cache = (built, collections.OrderedDict())
        current_app.extensions[CACHE + ".access"] = cache
    key = (hashlib.blake2b(np.packbits(in_scope).tobytes(), digest_size=16).digest(), group, catchment_km, kind,
           id(census), id(context.boundaries()))
    scores = cache[1].get(key)
    if scores is None:
        scores = _accessibility_of(built, in_scope, census, group, catchment_km, kind)
        cache[1][key] = scores
        while len(cache[1]) > ACCESS_CACHE_SIZE:
            cache[1].popitem(last=False)
    cache[1].move_to_end(key)
    return scores


def _accessibility_of(built, in_scope, census, group, catchment_km, kind):
    points = _points()
    if not points or census is None:
        return {}
    residents = {code: getattr(census.neighbourhoods.get(code), group, None) or 0 for code in points}
    demand = {code: (*points[code], residents[code]) for code in points}
    scores = accessibility.two_step_fca(demand, accessibility.site_supply(built.chosen(in_scope)), catchment_km)
    if kind == "neighbourhood":
        return scores
    ward_of = context.boundaries().neighbourhood_wards()
    totals = {}
    for code, score in scores.items():
        if score is not None and ward_of.get(code):
            weight, weighted = totals.get(ward_of[code], (0, 0.0))
            totals[ward_of[code]] = (weight + residents[code], weighted + score * residents[code])
    return {ward: weighted / weight for ward, (weight, weighted) in totals.items() if weight}


def place_view(built, request_, args, default_area="ward"):
    """Supply and need per area. A filter on the areas' own facet (ward= for wards,
    neighbourhood= for neighbourhoods) chooses which rows are shown instead of narrowing every
    row, as a filter on a dimension does in coverage: each row counts what its link finds.
    Ranks (need index, supply rank, gap) are among all the city's areas."""
    kind = _choice(args, "area", AREAS, default_area)
    catchment_km = parse_catchment(args)
    census = _census()
    group = need.group_for(request_.chosen_filters.get("population"))
    in_scope = scope(built, request_, leave_out=(kind,))
    boundaries = context.boundaries()
    designation = {}
    if boundaries is not None and kind == "neighbourhood":
        designation = {c: d for c, d in zip(boundaries.neighbourhoods["code"], boundaries.neighbourhoods["classification"])
                       if isinstance(d, str)}
    figures = (census.wards if kind == "ward" else census.neighbourhoods) if census else {}
    every = need.place_rows(built, in_scope, kind, _areas(kind, census), figures, group, designation,
                            _accessibility(built, in_scope, census, group, catchment_km, kind))
    chosen = request_.chosen_filters.get(kind)
    rows = [row for row in every if not chosen or row["code"] in chosen]
    unlocated = sum(1 for p in built.chosen(in_scope) if not any(s.get("latitude") for s in p.get("sites") or []))
    return {"place": rows, "area": kind, "group": group, "catchment_km": catchment_km, "census": census,
            "boundaries": boundaries, "unlocated": unlocated, "measures": need.need_measures(group),
            "places": need.display_places(every)}


def largest_view(built, request_, args):
    found = place_view(built, request_, args, default_area="neighbourhood")
    points = _points(found["area"])
    gaps = [dict(row) for row in need.largest_gaps(found["place"])]
    for row in gaps:
        point = points.get(row["code"])
        row["nearest"] = point is not None
        row["programs_url"] = (_nearest_url(request_, point) if point
                               else programs_url(request_, **{found["area"]: row["code"]}))
    return dict(found, largest=gaps)


def _nearest_url(request_, point):
    """/programs for this search sorted by distance from a point inside the area."""
    args = listing.state_args(request_, drop_place=True)
    args.pop("sort", None)
    args.update(near=f"{point[0]:.5f},{point[1]:.5f}", sort="distance")
    return url_for("pages.programs", **args)


def overlaps_view(built, request_, _args):
    """A filter on who it serves, industry or stage chooses the combinations listed (each
    counted with its own values in place of that filter, as its link finds them)."""
    chosen = request_.chosen_filters
    found = overlaps.overlaps(built, scope(built, request_, leave_out=("population", "sector", "stage")),
                              _restricted(_terms("populations"), chosen.get("population")),
                              _restricted(_terms("sectors"), chosen.get("sector")),
                              _restricted(_terms("stages"), chosen.get("stage")))
    for entry in found:
        entry["programs_url"] = programs_url(request_, population=entry["population"], sector=entry["sector"],
                                             stage=entry["stage"])
    return {"overlaps": found, "least": overlaps.MANY}


def _terms(name):
    return [(term.slug, term.label) for term in vocabularies()[name].terms]


def health_view(built, request_, _args):
    """Lists naming organizations (which need re-checking, which have no editor) are for
    convenors and administrators only, even when ATLAS_PUBLIC_GAPS makes the figures public."""
    listings = built.chosen(scope(built, request_))
    trusted = _may_see_gaps(g.get("user"))
    users = get_db().accounts.users() if trusted else []
    summary = health.summary(listings, users, today(), stale_after_days(), vocabularies()["sectors"].label,
                             per_organization=trusted)
    return {"health": summary, "stale_after_days": stale_after_days()}


def lmi_view(built, request_, args):
    census = _census()
    wards = dimensions.values(dimensions.BY_NAME["ward"], vocabularies(), ward_label)
    chosen = request_.chosen_filters.get("ward") or []
    ward = _choice(args, "lmi_ward", dimensions.ALL_WARDS, chosen[0] if chosen else dimensions.ALL_WARDS[0])
    figures = census.wards.get(ward) if census else None
    table = lmi.ward_table(built, scope(built, request_, leave_out=("ward", "sector")), ward, figures,
                           vocabularies()["sectors"])
    return {"lmi": table, "lmi_ward": ward, "wards": wards, "census": census, "occupations": lmi.occupations(figures)}


VIEW_FUNCTIONS = {"coverage": coverage_view, "continuum": continuum_view, "place": place_view,
                  "largest": largest_view, "overlaps": overlaps_view, "health": health_view, "lmi": lmi_view}


def view_table(view, data):
    """(columns, rows) of a view, for its CSV; links are written as absolute URLs."""
    if view == "coverage":
        return tables.coverage_table(data["matrix"], data["row_dim"].title, data["col_dim"].title,
                                     lambda row, col: absolute(data["link"](row, col)))
    if view == "continuum":
        return tables.continuum_table(data["continuum"], list_text)
    if view in ("place", "largest"):
        rows = data["place"] if view == "place" else data["largest"]
        return tables.place_table([need.rounded(row, data["places"]) for row in rows])
    if view == "overlaps":
        return tables.overlaps_table(data["overlaps"])
    if view == "health":
        return tables.health_tables(data["health"])
    return tables.lmi_table(data["lmi"])


def absolute(url):
    return urljoin(request.host_url, url)


def provenance(view, request_, args, data):
    """{column: value} said on every row of a CSV: what produced it, so a file passed on
    still says which filters, group and catchment its figures are for."""
    found = {str(_l("Filters")): filters_text(request_) or str(_l("none")),
             str(_l("Dashboard view")): absolute(url_for("gaps.dashboard", **gaps_args(request_, args, view=view,
                                                                                      current=view)))}
    if view in ("place", "largest"):
        found[str(_l("Rates per residents of"))] = str(GROUP_LABELS[data["group"]])
        found[str(_l("Catchment distance (km)"))] = f"{data['catchment_km']:g}"
    return found


def csv_response(view, request_, args, data):
    columns, rows = view_table(view, data)
    extra = provenance(view, request_, args, data)
    columns = columns + list(extra)
    handle = io.StringIO(newline="")
    write_csv(handle, columns, [{**row, **extra} for row in rows])
    name = f"atlas-gaps-{view}-{today().isoformat()}.csv"
    return Response("\ufeff" + handle.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- what the page needs besides the figures ---------------------------------------------------

FORM_FACETS = ("population", "sector", "stage", "funder", "ward")
# the parameters each view reads besides the search's; only these are carried between views
VIEW_ARGS = {"coverage": ("rows", "cols"), "place": ("area", "catchment_km", "measure"),
             "largest": ("area", "catchment_km"), "lmi": ("lmi_ward",)}
CATCHMENT_CHOICES = (1.0, 2.0, 3.0, 5.0, 10.0)
GROUP_LABELS = {"youth": _l("young people aged 15 to 29"), "recent_immigrants": _l("immigrants who arrived 2016 to 2021"),
                "mature": _l("people aged 45 to 64"), "working_age": _l("people aged 15 to 64")}
MEASURE_LABELS = {"unemployment_rate": _l("unemployment"), "low_income_rate": _l("low income (LIM-AT)"),
                  "no_certificate_share": _l("the share without a certificate, diploma or degree"),
                  "youth_share": _l("the share of residents aged 15 to 29"),
                  "recent_immigrant_share": _l("the share of recent immigrants")}
# what the place map may shade areas by (its decimals are those the page prints: need.display_places)
MAP_MEASURES = ("access", "served_per_10k", "need", "gap")
MAP_FIGURES = ("served", "served_per_10k", "access", "need", "gap")
MARKED_GAPS = 5
MEASURE_TITLES = {"access": _l("Accessibility score (2SFCA) per 10,000 residents"),
                  "served_per_10k": _l("Programs serving it per 10,000 residents"),
                  "need": _l("Need index"), "gap": _l("Gap score")}
DESIGNATIONS = {"NIA": _l("Neighbourhood Improvement Area"), "EN": _l("Emerging Neighbourhood")}


@bp.app_template_global()
def gaps_args(search_request_, args, current=None, **changes):
    """URL arguments for this dashboard state with some changed (another view, CSV).

    Of the view's own parameters, only those the current view read (and so checked) and the
    target view reads are carried: one the current view ignores might be wrong, and would
    turn the next view into an error page.
    """
    kept = listing.state_args(search_request_)
    kept.pop("sort", None)
    target = changes.get("view") or current
    carried = set(VIEW_ARGS.get(current, ())) & set(VIEW_ARGS.get(target, ()))
    kept.update({name: args.get(name) for name in sorted(carried) if args.get(name)})
    kept.update({key: value for key, value in changes.items() if value is not None})
    return kept


def fmt(value, places=None):
    """A figure as the page prints it: at ``places`` decimals (trailing zeros dropped) when
    given, else babel's default for the locale. (A place table prints thousands of figures, so
    the pattern is parsed once rather than on every call, as format_decimal would.)"""
    if value is None:
        return "–"
    if places is not None:
        value = round(value, places)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return _formatted(value, places, get_locale())


@functools.lru_cache(maxsize=50_000)
def _formatted(value, places, locale):
    """The same figures come back on every request (the Census's, the ranks), so each is
    formatted once per locale."""
    pattern = locale.decimal_formats[None] if places is None else parse_pattern(
        "#,##0." + "#" * places if places else "#,##0")
    return pattern.apply(value, locale)


def pct(value):
    return "–" if value is None else _("%(number)s%%", number=fmt(value))


def list_text(items):
    """Items joined as the locale writes a list ("a, b and c"), for a placeholder in a sentence."""
    items = [str(item) for item in items]
    return format_list(items, locale=str(get_locale() or "en")) if items else ""


def chosen_filters(request_):
    """[(facet title, [labels])] of the chosen filters, for the page (a list, not a sentence)."""
    found = []
    for facet, slugs in request_.chosen_filters.items():
        if facet == "type" and slugs == ["program"]:
            continue
        labels = [listing.facet_label(facet, slug, vocabularies(), context.place_names()) for slug in slugs]
        found.append((str(listing.FACET_TITLES[facet]), labels))
    if request_.query.text:
        found.append((str(_l("Words")), [request_.query.text]))
    return found


def filters_text(request_):
    """The chosen filters as one cell of a CSV: "Title: a, b | Title: c"."""
    return " | ".join(_("%(filter)s: %(values)s", filter=title, values=list_text(labels))
                      for title, labels in chosen_filters(request_))


def lead_text(request_, args):
    """What every number counts, in words that follow type= and status= when they are set."""
    kinds = request_.chosen_filters.get("type") or []
    statuses = request_.chosen_filters.get("status") or []
    named_kinds = any(value.strip() for value in args.getlist("type"))
    label = lambda facet, slugs: list_text(  # noqa: E731
        listing.facet_label(facet, slug, vocabularies(), context.place_names()) for slug in slugs)
    if named_kinds and statuses:
        return _("Every number counts the listings of the kinds you chose (%(kinds)s) with the statuses you chose "
                 "(%(statuses)s), and links to them.", kinds=label("type", kinds), statuses=label("status", statuses))
    if named_kinds:
        return _("Every number counts the listings of the kinds you chose (%(kinds)s) that have not ended, and links "
                 "to them.", kinds=label("type", kinds))
    if statuses:
        return _("Every number counts programs people join (not funders or networks) with the statuses you chose "
                 "(%(statuses)s), and links to them.", statuses=label("status", statuses))
    return _("Every number counts programs people join (not funders or networks) that have not ended, and links "
             "to them.")


def page_helpers(view, request_, args, data):
    chosen = request_.chosen_filters
    helpers = {
        "chosen_filters": chosen_filters(request_), "lead_text": lead_text(request_, args),
        "form_facets": FORM_FACETS, "fmt": fmt, "pct": pct, "list_text": list_text,
        "filter_fields": [(facet, listing.FACET_TITLES[facet], _filter_options(facet)) for facet in FORM_FACETS],
        "level_of": coverage.level, "stage_shade": lambda count: min(count, coverage.SHADES) if count < 3 else
        min(coverage.SHADES, 2 + count // 10),
        "stage_url": lambda stage, ward=None: programs_url(request_, stage=stage, **({"ward": ward} if ward else {})),
        "catchment_choices": sorted(set(CATCHMENT_CHOICES) | {data.get("catchment_km", DEFAULT_CATCHMENT_KM)}),
        "designation_label": lambda code: DESIGNATIONS.get(code, "–") if code else "–",
        "field_label": lambda name: FIELD_LABELS.get(name, name),
        "view_url": lambda name, **changes: url_for("gaps.dashboard", **gaps_args(request_, args, current=view,
                                                                                  view=name, **changes)),
    }
    if view == "coverage":
        rows_name, cols_name = data["row_dim"].name, data["col_dim"].name
        helpers.update(
            matrix_grid=coverage.grid(data["matrix"]),
            shade_key=coverage.shade_ranges(data["matrix"]["highest"]),
            col_labels={c["slug"]: c["label"] for c in data["matrix"]["cols"]},
            link_row=lambda slug: programs_url(request_, **{rows_name: slug}),
            link_col=lambda slug: programs_url(request_, **{cols_name: slug}),
        )
    if view in ("place", "largest"):
        facet = data["area"]
        helpers.update(group_label=GROUP_LABELS[data["group"]],
                       measure_labels=list_text(MEASURE_LABELS[m] for m in data["measures"]),
                       area_url=lambda code: programs_url(request_, **{facet: code}),
                       measure_titles=MEASURE_TITLES)
    if view == "lmi":
        helpers.update(lmi_ward_label=ward_label(data["lmi_ward"]),
                       lmi_url=lambda sector: programs_url(request_, ward=data["lmi_ward"], sector=sector))
    return helpers


def place_map(data, args):
    """The place view's map: areas shaded by the chosen measure, the largest gaps numbered; None
    without boundaries or without a figure to shade by (the notes say what is missing)."""
    measure = _choice(args, "measure", MAP_MEASURES, "access")
    marked = [row["code"] for row in need.largest_gaps(data["place"], limit=MARKED_GAPS)]
    rows = data["place"]
    places = data["places"]
    if data["boundaries"] is None or all(row[measure] is None for row in rows):
        return {"measure": measure, "place_map": None}
    rank = {code: n for n, code in enumerate(marked, start=1)}
    areas = {row["code"]: {"name": row["label"], "value": row[measure],
                           "figures": _map_figures(row, rank.get(row["code"]), places)} for row in rows}
    config = current_app.config
    rendered = maps.place_map(data["boundaries"], data["area"], areas, places[measure], marked,
                              config["ATLAS_MAP_TILES"], config["ATLAS_MAP_ATTRIBUTION"])
    by_code = {row["code"]: row for row in rows}
    return {"measure": measure, "place_map": rendered, "marked": [by_code[code] for code in marked],
            "measure_places": places[measure],
            "unshaded": any(row[measure] is None for row in rows)}


def _map_figures(row, rank, places):
    """An area's figures as the table prints them, for its popup; a figure not known is left out."""
    figures = {name: fmt(row[name], places.get(name)) for name in MAP_FIGURES if row[name] is not None}
    if rank:
        figures["rank"] = fmt(rank)
    return figures


def _filter_options(facet):
    if facet == "ward":
        return dimensions.values(dimensions.BY_NAME["ward"], vocabularies(), ward_label)
    return _terms(facet_registry.BY_NAME[facet].vocabulary)


@bp.route("/gaps")
def dashboard():
    """The convenor dashboard: one view at a time, the current filters applied, CSV on request."""
    refused = _refusal()
    if refused is not None:
        return refused
    view = _choice(request.args, "view", VIEWS, "coverage")
    export = _choice(request.args, "format", ("html", "csv"), "html")
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

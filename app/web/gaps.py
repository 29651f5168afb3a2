"""The convenor dashboard: coverage, continuum, place and need, overlaps and data health.

Every figure counts the programs the same filters find on /programs (the scope comes from the
search itself), and each count links to them. Listings that are not programs (funders,
networks) are left out unless ``type=`` says otherwise, so a count is of programs people join.
"""

import dataclasses
import io

from flask import Blueprint, Response, abort, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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


def ward_label(code):
    return listing.place_label("ward", code, context.place_names())


def neighbourhood_label(code):
    return listing.place_label("neighbourhood", code, context.place_names())


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
    wards = dimensions.values(dimensions.BY_NAME["ward"], vocabularies(), ward_label)
    summary = continuum.summary(built, scope(built, request_, leave_out=("stage",)), vocabularies(), wards)
    return {"continuum": summary}


def _census():
    return census_files.load(current_app.instance_path)


def _areas(kind, census):
    if kind == "ward":
        return dimensions.values(dimensions.BY_NAME["ward"], vocabularies(), ward_label)
    codes = sorted(census.neighbourhoods) if census else sorted(context.place_names().get("neighbourhood", {}))
    return [(code, neighbourhood_label(code)) for code in codes]


def _demand_points():
    """{neighbourhood code: (latitude, longitude)} of a point inside each neighbourhood."""
    boundaries = context.boundaries()
    if boundaries is None:
        return {}
    cached = current_app.extensions.get(CACHE + ".points")
    if cached and cached[0] is boundaries:
        return cached[1]
    points = boundaries.neighbourhoods.geometry.representative_point()
    found = {code: (p.y, p.x) for code, p in zip(boundaries.neighbourhoods["code"], points)}
    current_app.extensions[CACHE + ".points"] = (boundaries, found)
    return found


def _accessibility(built, in_scope, census, group, catchment_km, kind):
    """2SFCA per neighbourhood, and per ward as its neighbourhoods' residents-weighted mean."""
    points = _demand_points()
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
    return {ward: round(weighted / weight, 2) for ward, (weight, weighted) in totals.items() if weight}


def place_view(built, request_, args, default_area="ward"):
    kind = _choice(args, "area", AREAS, default_area)
    catchment_km = parse_catchment(args)
    census = _census()
    group = need.group_for(request_.chosen_filters.get("population"))
    in_scope = scope(built, request_)
    boundaries = context.boundaries()
    designation = {}
    if boundaries is not None and kind == "neighbourhood":
        designation = {c: d for c, d in zip(boundaries.neighbourhoods["code"], boundaries.neighbourhoods["classification"])
                       if isinstance(d, str)}
    figures = (census.wards if kind == "ward" else census.neighbourhoods) if census else {}
    rows = need.place_rows(built, in_scope, kind, _areas(kind, census), figures, group, designation,
                           _accessibility(built, in_scope, census, group, catchment_km, kind))
    unlocated = sum(1 for p in built.chosen(in_scope) if not any(s.get("latitude") for s in p.get("sites") or []))
    return {"place": rows, "area": kind, "group": group, "catchment_km": catchment_km, "census": census,
            "boundaries": boundaries, "unlocated": unlocated, "measures": need.need_measures(group)}


def largest_view(built, request_, args):
    found = place_view(built, request_, args, default_area="neighbourhood")
    points = _demand_points()
    gaps = need.largest_gaps(found["place"])
    for row in gaps:
        point = points.get(row["code"]) if found["area"] == "neighbourhood" else None
        facet = "neighbourhood" if found["area"] == "neighbourhood" else "ward"
        row["programs_url"] = (_nearest_url(request_, point) if point else programs_url(request_, **{facet: row["code"]}))
    return dict(found, largest=gaps)


def _nearest_url(request_, point):
    args = listing.state_args(request_, drop_place=True)
    args.pop("sort", None)
    args.update(near=f"{point[0]:.5f},{point[1]:.5f}", sort="distance")
    return url_for("pages.programs", **args)


def overlaps_view(built, request_, _args):
    found = overlaps.overlaps(built, scope(built, request_, leave_out=("population", "sector", "stage")),
                              _terms("populations"), _terms("sectors"), _terms("stages"))
    for entry in found:
        entry["programs_url"] = programs_url(request_, population=entry["population"], sector=entry["sector"],
                                             stage=entry["stage"])
    return {"overlaps": found, "least": overlaps.MANY}


def _terms(name):
    return [(term.slug, term.label) for term in vocabularies()[name].terms]


def health_view(built, request_, _args):
    listings = built.chosen(scope(built, request_))
    users = get_db().accounts.users() if _may_see_gaps(g.get("user")) else []
    summary = health.summary(listings, users, today(), stale_after_days(), vocabularies()["sectors"].label)
    if not _may_see_gaps(g.get("user")):
        summary["without_editor"] = None  # who holds accounts is not an aggregate figure
    return {"health": summary}


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
    """(columns, rows) of a view, for its CSV."""
    if view == "coverage":
        return tables.coverage_table(data["matrix"], data["row_dim"].title, data["col_dim"].title, data["link"])
    if view == "continuum":
        return tables.continuum_table(data["continuum"])
    if view == "place":
        return tables.place_table(data["place"])
    if view == "largest":
        return tables.place_table(data["largest"], with_gap=True)
    if view == "overlaps":
        return tables.overlaps_table(data["overlaps"])
    if view == "health":
        return tables.health_tables(data["health"])
    return tables.lmi_table(data["lmi"])


def csv_response(view, data):
    columns, rows = view_table(view, data)
    handle = io.StringIO(newline="")
    write_csv(handle, columns, rows)
    name = f"atlas-gaps-{view}-{today().isoformat()}.csv"
    return Response("\ufeff" + handle.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- what the page needs besides the figures ---------------------------------------------------

FORM_FACETS = ("population", "sector", "stage", "funder", "ward")
VIEW_ARGS = ("rows", "cols", "area", "catchment_km", "lmi_ward", "measure")
CATCHMENT_CHOICES = (1.0, 2.0, 3.0, 5.0, 10.0)
GROUP_LABELS = {"youth": _l("young people aged 15 to 29"), "recent_immigrants": _l("immigrants who arrived 2016 to 2021"),
                "mature": _l("people aged 45 to 64"), "working_age": _l("people aged 15 to 64")}
MEASURE_LABELS = {"unemployment_rate": _l("unemployment"), "low_income_rate": _l("low income (LIM-AT)"),
                  "no_certificate_share": _l("the share without a certificate, diploma or degree"),
                  "youth_share": _l("the share of residents aged 15 to 29"),
                  "recent_immigrant_share": _l("the share of recent immigrants")}
# what the place map may shade areas by, and the decimals it is printed with (as rounded in app/gaps)
MAP_MEASURES = {"access": 2, "served_per_10k": 2, "need": 1, "gap": 1}
MAP_FIGURES = ("served", "served_per_10k", "access", "need", "gap")
MARKED_GAPS = 5
MEASURE_TITLES = {"access": _l("Accessibility (2SFCA) per 10,000 residents"),
                  "served_per_10k": _l("Programs serving it per 10,000 residents"),
                  "need": _l("Need index"), "gap": _l("Gap score")}
DESIGNATIONS = {"NIA": _l("Neighbourhood Improvement Area"), "EN": _l("Emerging Neighbourhood")}


@bp.app_template_global()
def gaps_args(search_request_, args, **changes):
    """URL arguments for this dashboard state with some changed (another view, CSV)."""
    kept = listing.state_args(search_request_)
    kept.pop("sort", None)
    kept.update({name: args.get(name) for name in VIEW_ARGS if args.get(name)})
    kept.update({key: value for key, value in changes.items() if value is not None})
    return kept


def fmt(value):
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return format_decimal(value)


def pct(value):
    return "–" if value is None else _("%(number)s%%", number=format_decimal(value))


def _chosen_text(request_):
    """The chosen filters in words, for the page and its printout."""
    parts = []
    for facet, slugs in request_.chosen_filters.items():
        if facet == "type" and slugs == ["program"]:
            continue
        labels = [listing.facet_label(facet, slug, vocabularies(), context.place_names()) for slug in slugs]
        parts.append(f"{listing.FACET_TITLES[facet]}: {', '.join(labels)}")
    if request_.query.text:
        parts.append(_("words: %(text)s", text=request_.query.text))
    return "; ".join(parts)


def page_helpers(view, request_, args, data):
    chosen = request_.chosen_filters
    helpers = {
        "chosen_text": _chosen_text(request_), "form_facets": FORM_FACETS, "fmt": fmt, "pct": pct,
        "filter_fields": [(facet, listing.FACET_TITLES[facet], _filter_options(facet)) for facet in FORM_FACETS],
        "level_of": coverage.level, "stage_shade": lambda count: min(count, coverage.SHADES) if count < 3 else
        min(coverage.SHADES, 2 + count // 10),
        "stage_url": lambda stage, ward=None: programs_url(request_, stage=stage, **({"ward": ward} if ward else {})),
        "catchment_choices": sorted(set(CATCHMENT_CHOICES) | {data.get("catchment_km", DEFAULT_CATCHMENT_KM)}),
        "designation_label": lambda code: DESIGNATIONS.get(code, "–") if code else "–",
        "field_label": lambda name: FIELD_LABELS.get(name, name),
    }
    if view == "coverage":
        rows_name, cols_name = data["row_dim"].name, data["col_dim"].name
        helpers.update(
            matrix_grid=coverage.grid(data["matrix"]),
            col_labels={c["slug"]: c["label"] for c in data["matrix"]["cols"]},
            link_row=lambda slug: programs_url(request_, **{rows_name: slug}),
            link_col=lambda slug: programs_url(request_, **{cols_name: slug}),
        )
    if view in ("place", "largest"):
        facet = data["area"]
        helpers.update(group_label=GROUP_LABELS[data["group"]],
                       measure_labels=", ".join(str(MEASURE_LABELS[m]) for m in data["measures"]),
                       area_url=lambda code: programs_url(request_, **{facet: code}),
                       measure_titles=MEASURE_TITLES)
    if view == "lmi":
        helpers.update(lmi_ward_label=ward_label(data["lmi_ward"]),
                       lmi_url=lambda sector: programs_url(request_, ward=data["lmi_ward"], sector=sector))
    return helpers


def place_map(data, args):
    """The place view's map: areas shaded by the chosen measure, the largest gaps numbered; None
    without boundaries or without a figure to shade by (the notes say what is missing)."""
    measure = _choice(args, "measure", tuple(MAP_MEASURES), "access")
    gaps = need.largest_gaps(data["place"], limit=len(data["place"]))
    gap_of = {row["code"]: row["gap"] for row in gaps}
    marked = [row["code"] for row in gaps[:MARKED_GAPS]]
    rows = [dict(row, gap=gap_of.get(row["code"])) for row in data["place"]]
    if data["boundaries"] is None or all(row[measure] is None for row in rows):
        return {"measure": measure, "place_map": None}
    rank = {code: n for n, code in enumerate(marked, start=1)}
    areas = {row["code"]: {"name": row["label"], "value": row[measure],
                           "figures": _map_figures(row, rank.get(row["code"]))} for row in rows}
    config = current_app.config
    rendered = maps.place_map(data["boundaries"], data["area"], areas, MAP_MEASURES[measure], marked,
                              config["ATLAS_MAP_TILES"], config["ATLAS_MAP_ATTRIBUTION"])
    by_code = {row["code"]: row for row in rows}
    return {"measure": measure, "place_map": rendered, "marked": [by_code[code] for code in marked],
            "unshaded": any(row[measure] is None for row in rows)}


def _map_figures(row, rank):
    """An area's figures as the table prints them, for its popup; a figure not known is left out."""
    figures = {name: fmt(row[name]) for name in MAP_FIGURES if row[name] is not None}
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
        return csv_response(view, data)
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

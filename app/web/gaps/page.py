"""What the dashboard page needs besides the figures: its links, labels and the place map."""

from flask import current_app, url_for

from ...catalog import facet_registry
from ...gaps import coverage, need
from ...geo import maps
from . import text
from .figures import programs_url, terms, ward_label, ward_values
from .params import CATCHMENT_CHOICES, DEFAULT_CATCHMENT_KM, MAP_MEASURES, choice, gaps_args
from ..shared import listing

FORM_FACETS = ("population", "sector", "stage", "funder", "ward")
MAP_FIGURES = ("served", "served_per_10k", "access", "need", "gap")
MARKED_GAPS = 5


class Links:
    """The page's links, each keeping the current search and dashboard state."""

    def __init__(self, view, request_, args, data):
        self.view, self.request_, self.args, self.data = view, request_, args, data

    def view_url(self, name, **changes):
        return url_for("gaps.dashboard", **gaps_args(self.request_, self.args, current=self.view, view=name,
                                                     **changes))

    def stage_url(self, stage, ward=None):
        return programs_url(self.request_, stage=stage, **({"ward": ward} if ward else {}))

    def link_row(self, slug):
        return programs_url(self.request_, **{self.data["row_dim"].name: slug})

    def link_col(self, slug):
        return programs_url(self.request_, **{self.data["col_dim"].name: slug})

    def area_url(self, code):
        return programs_url(self.request_, **{self.data["area"]: code})

    def lmi_url(self, sector):
        return programs_url(self.request_, ward=self.data["lmi_ward"], sector=sector)


def page_helpers(view, request_, args, data):
    links = Links(view, request_, args, data)
    helpers = {
        "chosen_filters": text.chosen_filters(request_), "lead_text": text.lead_text(request_, args),
        "form_facets": FORM_FACETS, "fmt": text.fmt, "pct": text.pct, "list_text": text.list_text,
        "filter_fields": [(facet, listing.FACET_TITLES[facet], _filter_options(facet)) for facet in FORM_FACETS],
        "level_of": coverage.level, "stage_shade": coverage.stage_shade, "stage_url": links.stage_url,
        "catchment_choices": sorted(set(CATCHMENT_CHOICES) | {data.get("catchment_km", DEFAULT_CATCHMENT_KM)}),
        "designation_label": text.designation_label, "field_label": text.field_label, "view_url": links.view_url,
    }
    if view == "coverage":
        helpers.update(
            matrix_grid=coverage.grid(data["matrix"]),
            shade_key=coverage.shade_ranges(data["matrix"]["highest"]),
            col_labels={c["slug"]: c["label"] for c in data["matrix"]["cols"]},
            link_row=links.link_row, link_col=links.link_col,
        )
    if view in ("place", "largest"):
        helpers.update(group_label=text.GROUP_LABELS[data["group"]],
                       measure_labels=text.list_text(text.MEASURE_LABELS[m] for m in data["measures"]),
                       area_url=links.area_url, measure_titles=text.MEASURE_TITLES)
    if view == "lmi":
        helpers.update(lmi_ward_label=ward_label(data["lmi_ward"]), lmi_url=links.lmi_url)
    return helpers


def place_map(data, args):
    """The place view's map: areas shaded by the chosen measure, the largest gaps numbered; None
    without boundaries or without a figure to shade by (the notes say what is missing)."""
    measure = choice(args, "measure", MAP_MEASURES, "access")
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
    figures = {name: text.fmt(row[name], places.get(name)) for name in MAP_FIGURES if row[name] is not None}
    if rank:
        figures["rank"] = text.fmt(rank)
    return figures


def _filter_options(facet):
    if facet == "ward":
        return ward_values()
    return terms(facet_registry.BY_NAME[facet].vocabulary)

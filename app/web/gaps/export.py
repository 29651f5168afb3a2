"""A view's figures as a CSV file that still says, on every row, what produced it."""

import io
from urllib.parse import urljoin

from flask import Response, request, url_for
from flask_babel import lazy_gettext as _l

from ...catalog.csvfile import write_csv
from ...gaps import need, tables
from ..shared.context import today
from .figures import programs_url
from .params import gaps_args
from .text import GROUP_LABELS, filters_text, list_text


def absolute(url):
    return urljoin(request.host_url, url)


def view_table(view, request_, data):
    """(columns, rows) of a view, for its CSV; links are written as absolute URLs."""
    if view == "coverage":
        rows_name, cols_name = data["row_dim"].name, data["col_dim"].name
        return tables.coverage_table(
            data["matrix"], data["row_dim"].title, data["col_dim"].title,
            lambda row, col: absolute(programs_url(request_, **{rows_name: row, cols_name: col})))
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
    columns, rows = view_table(view, request_, data)
    extra = provenance(view, request_, args, data)
    columns = columns + list(extra)
    handle = io.StringIO(newline="")
    write_csv(handle, columns, [{**row, **extra} for row in rows])
    name = f"atlas-gaps-{view}-{today().isoformat()}.csv"
    return Response("\ufeff" + handle.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

"""Every view as a table of plain cells, for its CSV export: (column headings, rows of dicts).

The headings are what a spreadsheet user reads; the cells are numbers and labels, never markup.
Formula neutralisation happens when the rows are written (catalog.csvfile.write_csv).
"""

from flask_babel import lazy_gettext as _l

from .coverage import grid


def coverage_table(result, row_title, col_title, link):
    """One row per cell: its row and column labels, count, level, seats, and its programs' link."""
    labels = {("row", r["slug"]): r["label"] for r in result["rows"]}
    labels.update({("col", c["slug"]): c["label"] for c in result["cols"]})
    columns = [str(row_title), str(col_title), str(_l("Programs")), str(_l("Gap or thin")), str(_l("Seats (where known)")),
               str(_l("Programs stating seats")), str(_l("Link to the programs"))]
    rows = []
    for row, cells in grid(result):
        for cell in cells:
            rows.append(dict(zip(columns, [
                row["label"], labels[("col", cell["col"])], cell["count"], _level_word(cell["level"]),
                "" if cell["seats"] is None else cell["seats"], cell["seats_known"], link(cell["row"], cell["col"]),
            ])))
    return columns, rows


def _level_word(level):
    return {"gap": str(_l("gap")), "thin": str(_l("thin"))}.get(level, "")


def continuum_table(summary, join):
    """``join`` writes a list of stage names as the locale does (babel's list format)."""
    columns = [str(_l("Area"))] + [s["label"] for s in summary["stages"]] + [str(_l("Breaks"))]
    rows = [dict(zip(columns, [str(_l("All of Toronto"))] + [c["count"] for c in summary["city"]]
                     + [join([b["label"] for b in summary["breaks"]])]))]
    for ward in summary["wards"]:
        rows.append(dict(zip(columns, [ward["label"]] + [c["count"] for c in ward["stages"]]
                             + [join([b["label"] for b in ward["breaks"]])])))
    return columns, rows


PLACE_FIELDS = (
    ("label", _l("Area")), ("served", _l("Programs serving it")), ("located", _l("Programs with a site in it")),
    ("seats", _l("Seats (where known)")), ("residents", _l("Residents of the group")),
    ("served_per_10k", _l("Programs serving it per 10,000 residents")),
    ("access", _l("Accessibility (2SFCA, programs within reach per 10,000 residents)")),
    ("unemployment_rate", _l("Unemployment rate (%)")), ("low_income_rate", _l("Low income, LIM-AT (%)")),
    ("recent_immigrant_share", _l("Recent immigrants, 2016 to 2021 (%)")), ("youth", _l("Residents aged 15 to 29")),
    ("youth_share", _l("Residents aged 15 to 29 (%)")),
    ("no_certificate_share", _l("No certificate, diploma or degree (%)")), ("designation", _l("City designation")),
    ("need", _l("Need index (0 to 100)")), ("supply_rank", _l("Supply rank (0 to 100)")), ("gap", _l("Gap score")),
)


def place_table(rows):
    """``rows`` with their figures rounded as the page shows them (need.rounded)."""
    fields = PLACE_FIELDS
    columns = [str(title) for _name, title in fields]
    return columns, [dict(zip(columns, [_blank(row.get(name)) for name, _t in fields])) for row in rows]


def _blank(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


def overlaps_table(found):
    columns = [str(_l("Who it serves")), str(_l("Industry")), str(_l("Stage of the continuum")), str(_l("Programs"))]
    return columns, [dict(zip(columns, [o["population_label"], o["sector_label"], o["stage_label"], o["count"]]))
                     for o in found]


def health_tables(summary):
    """The data-health view's parts, one after another in one file."""
    columns = [str(_l("Part")), str(_l("Name")), str(_l("Listings")), str(_l("Needing re-checking")), str(_l("Share (%)"))]
    rows = []
    for part, entries in ((_l("Organization"), summary["organizations"]), (_l("Industry"), summary["sectors"])):
        rows += [dict(zip(columns, [str(part), e["label"], e["listings"], e["recheck"], e["share"]]))
                 for e in entries or []]
    rows += [dict(zip(columns, [str(_l("Field missing")), e["field"], e["missing"], "", e["share"]]))
             for e in summary["missing"]]
    rows += [dict(zip(columns, [str(_l("No active editor")), e["organization"], e["listings"], "", ""]))
             for e in summary.get("without_editor") or []]
    return columns, rows


def lmi_table(rows):
    columns = [str(_l("Industry")), str(_l("Employed residents")), str(_l("Share of employed residents (%)")),
               str(_l("Programs serving the ward")), str(_l("Share of sector programs (%)")),
               str(_l("Difference (points)"))]
    return columns, [dict(zip(columns, [r["label"], r["residents"], r["resident_share"], r["programs"],
                                        r["program_share"], r["difference"]])) for r in rows]

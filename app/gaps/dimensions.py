"""The dimensions a convenor can cross in the coverage matrix, each a facet of /programs.

A dimension's name is the facet's URL parameter, so a cell's link to its programs is the
current filters with the row's and the column's values put in those two parameters.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..geo.codes import WARDS


@dataclass(frozen=True)
class Dimension:
    name: str  # the facet, its URL parameter and the value of rows= / cols=
    title: str
    vocabulary: str | None  # None for wards


DIMENSIONS = (
    Dimension("sector", _l("Industry"), "sectors"),
    Dimension("population", _l("Who it serves"), "populations"),
    Dimension("intervention", _l("Service"), "interventions"),
    Dimension("stage", _l("Stage of the continuum"), "stages"),
    Dimension("stream", _l("Client stream"), "streams"),
    Dimension("funder", _l("Funder type"), "funders"),
    Dimension("ward", _l("Ward served"), None),
    Dimension("site_ward", _l("Ward with a site"), None),
)
BY_NAME = {dimension.name: dimension for dimension in DIMENSIONS}
DEFAULT_ROWS, DEFAULT_COLS = "sector", "population"
ALL_WARDS = tuple(WARDS.code(n) for n in range(1, WARDS.highest + 1))


def values(dimension, vocabularies, ward_label):
    """[(slug, label)] of a dimension in its natural order (the vocabulary's, or ward number);
    ``ward_label(code)`` names a ward."""
    if dimension.vocabulary is None:
        return [(code, ward_label(code)) for code in ALL_WARDS]
    return [(term.slug, term.label) for term in vocabularies[dimension.vocabulary].terms]

"""The facets programs are filtered and counted by, one row each.

The search index, the filter parameters, the sidebar of /programs and the OpenAPI description
all read this table, so a facet added or renamed here is added or renamed everywhere at once.
A facet's name is at the same time its URL parameter, its search-index field and its key in
the API's ``facets`` counts; the table's order is the sidebar's order.
"""

from dataclasses import dataclass

from ..geo.codes import NEIGHBOURHOODS, WARDS, PlaceCodes


@dataclass(frozen=True)
class Facet:
    name: str
    title: str  # the sidebar heading; also names an unnamed place ("Ward 5")
    description: str  # what the OpenAPI description says the parameter filters on
    source: str | None  # the program field holding its values; None when derived (stage)
    vocabulary: str | None = None  # the controlled list of its slugs and labels
    places: PlaceCodes | None = None  # a ward or neighbourhood facet: how the City numbers them
    vocabulary_order: bool = False  # options keep the vocabulary's order rather than go by count


FACETS = (
    Facet("sector", "Industry", "Industry targeted.", "sectors", vocabulary="sectors"),
    Facet("population", "Who it serves", "Target participant group.", "populations",
          vocabulary="populations"),
    Facet("intervention", "Service", "Nature of the service.", "interventions",
          vocabulary="interventions"),
    Facet("stage", "Stage of the employment continuum",
          "Stage of the employment continuum reached by the program's services.", None,
          vocabulary="stages", vocabulary_order=True),
    Facet("stream", "Client stream", "Employment Ontario client stream (a, b, c).", "streams",
          vocabulary="streams"),
    Facet("mode", "Delivery", "Delivery mode.", "delivery_mode", vocabulary="delivery_mode"),
    Facet("language", "Language", "Language offered (ISO 639-1).", "languages", vocabulary="languages"),
    Facet("ward", "Ward", f"City ward number, two digits ({WARDS.span()}), of a program site.", "wards",
          places=WARDS),
    Facet("neighbourhood", "Neighbourhood",
          "Social-development neighbourhood number, three digits, of a program site.", "neighbourhoods",
          places=NEIGHBOURHOODS),
)
BY_NAME = {facet.name: facet for facet in FACETS}

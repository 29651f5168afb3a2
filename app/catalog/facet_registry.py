"""The facets programs are filtered and counted by, one row each.

The search index, the filter parameters, the sidebar of /programs and the OpenAPI description
all read this table, so a facet added or renamed here is added or renamed everywhere at once.
A facet's name is at the same time its URL parameter, its search-index field and its key in
the API's ``facets`` counts; the table's order is the sidebar's order.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..geo.codes import NEIGHBOURHOODS, WARDS, PlaceCodes


@dataclass(frozen=True)
class Facet:
    name: str
    title: str  # the sidebar heading, translated when shown
    description: str  # what the OpenAPI description says the parameter filters on
    source: str | None  # the program field holding its values; None when derived (stage)
    vocabulary: str | None = None  # the controlled list of its slugs and labels
    places: PlaceCodes | None = None  # a ward or neighbourhood facet: how the City numbers them
    vocabulary_order: bool = False  # options keep the vocabulary's order rather than go by count
    hidden_by_default: tuple = ()  # values left out of a search that does not name this facet

    def default(self, vocabulary):
        """The values a search takes when its URL does not name this facet (None: all)."""
        if not self.hidden_by_default:
            return None
        return [term.slug for term in vocabulary.terms if term.slug not in self.hidden_by_default]


FACETS = (
    Facet("status", _l("Status"),
          "Whether the program still runs. Without this parameter, ended programs are left out; "
          "name every status (or status=ended) to include them.", "status",
          vocabulary="statuses", vocabulary_order=True, hidden_by_default=("ended",)),
    Facet("type", _l("Kind of listing"),
          "A program people can join, or an ecosystem actor (funder, network, research, intermediary).",
          "listing_type", vocabulary="listing_types", vocabulary_order=True),
    Facet("sector", _l("Industry"), "Industry targeted.", "sectors", vocabulary="sectors"),
    Facet("population", _l("Who it serves"), "Target participant group.", "populations",
          vocabulary="populations"),
    Facet("intervention", _l("Service"), "Nature of the service.", "interventions",
          vocabulary="interventions"),
    Facet("stage", _l("Stage of the employment continuum"),
          "Stage of the employment continuum reached by the program's services.", None,
          vocabulary="stages", vocabulary_order=True),
    Facet("stream", _l("Client stream"), "Employment Ontario client stream (a, b, c).", "streams",
          vocabulary="streams"),
    Facet("funder", _l("Funder type"),
          "Kind of funder: federal, provincial or municipal government, philanthropic, private.",
          "funders", vocabulary="funders"),
    Facet("mode", _l("Delivery"), "Delivery mode.", "delivery_mode", vocabulary="delivery_mode"),
    Facet("language", _l("Language"), "Language offered (ISO 639-1).", "languages", vocabulary="languages"),
    Facet("ward", _l("Serves ward"),
          f"City ward number, two digits ({WARDS.span()}), that the program serves: its service area "
          "covers it (a city-wide program serves every ward) or it has a site there.", "wards_served",
          places=WARDS),
    Facet("neighbourhood", _l("Serves neighbourhood"),
          "Social-development neighbourhood number, three digits, that the program serves: city-wide, "
          "a service area naming it or the ward it lies in, or a site there.", "neighbourhoods_served",
          places=NEIGHBOURHOODS),
    Facet("site_ward", _l("Has a site in ward"),
          f"City ward number, two digits ({WARDS.span()}), where the program has a site.", "wards",
          places=WARDS),
    Facet("site_neighbourhood", _l("Has a site in neighbourhood"),
          "Social-development neighbourhood number, three digits, where the program has a site.",
          "neighbourhoods", places=NEIGHBOURHOODS),
)
BY_NAME = {facet.name: facet for facet in FACETS}

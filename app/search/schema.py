"""What the search index holds for each program, derived from its database record.

The index is disposable: everything here can be rebuilt from the store. Facet fields carry
vocabulary slugs (or ward and neighbourhood codes) and are named after the API's filter
parameters, so ``population`` in a URL, in the index and in the facet counts mean the same
thing: all of them come from the facet registry.
"""

import array
import datetime as dt
import hashlib
import json
from functools import lru_cache

from whoosh import columns, fields
from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.support.charset import accent_map

from ..catalog import facet_registry
from ..catalog.listing import effective_status
from ..catalog.vocabulary import stage_of
from .query import words_of

# Filter parameter -> (program field it comes from, vocabulary for its labels), in sidebar order:
# the registry in the shape the engine, the facet counts and the benchmarks read.
FACETS = {facet.name: (facet.source, facet.vocabulary) for facet in facet_registry.FACETS}
NO_DATE = "9999-12-31"


@lru_cache(maxsize=1)
def text_analyzer():
    """Words, lower-cased, stop words dropped, accents folded, English stems."""
    return StemmingAnalyzer() | CharsetFilter(accent_map)


def build_schema():
    text = text_analyzer()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        digest=fields.STORED(),
        name=fields.TEXT(analyzer=text, field_boost=2.0),
        body=fields.TEXT(analyzer=text),
        name_key=fields.COLUMN(columns.VarBytesColumn()),
        intake_key=fields.COLUMN(columns.VarBytesColumn()),
        coordinates=fields.COLUMN(columns.VarBytesColumn()),
        intake=fields.KEYWORD(lowercase=False, scorable=True),
        reach=fields.KEYWORD(lowercase=False, scorable=True),
        ages=fields.COLUMN(columns.VarBytesColumn()),
    )
    for facet in FACETS:
        schema.add(facet, fields.KEYWORD(lowercase=False, commas=False, scorable=True))
    return schema


def facet_values(program, facet, vocabularies):
    source, _ = FACETS[facet]
    if facet == "status":
        status = effective_status(program, dt.date.today())
        return [status] if status else []
    if facet == "stage":
        return sorted({stage_of(vocabularies, slug) for slug in program.get("interventions", [])} - {None})
    value = program.get(source)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def document(program, vocabularies):
    """The index document for one program record."""
    body = " ".join(
        filter(
            None,
            [
                program.get("organization"),
                program.get("description"),
                " ".join(program.get("occupations") or []),
                program.get("eligibility"),
                " ".join(program.get("places") or []),
            ],
        )
    )
    doc = {
        "id": program["id"],
        "name": program.get("name") or "",
        "body": body,
        "name_key": (program.get("name") or "").casefold().encode("utf-8"),
        "intake_key": (program.get("next_intake_date") or NO_DATE).encode("utf-8"),
        "intake": program.get("intake") or "",
        "reach": " ".join(program.get("reach") or []),
        "ages": pack_ages(program),
        "coordinates": pack_coordinates(program.get("sites", [])),
    }
    for facet in FACETS:
        doc[facet] = " ".join(facet_values(program, facet, vocabularies))
    doc["digest"] = digest(doc)
    return doc


def pack_ages(program):
    """"16:29", ":24", "18:" or ":": the published age range, for the age filter."""
    return f"{_age(program.get('age_min'))}:{_age(program.get('age_max'))}".encode("ascii")


def _age(value):
    return "" if value in (None, "") else str(int(value))


def unpack_ages(data):
    """(minimum, maximum) as floats, NaN where not published."""
    low, _, high = (data or b":").decode("ascii").partition(":")
    return float(low) if low else float("nan"), float(high) if high else float("nan")


def pack_coordinates(sites):
    """Site latitudes and longitudes as float64 pairs, for distance searches."""
    points = [(s["latitude"], s["longitude"]) for s in sites if s.get("latitude") is not None]
    return array.array("d", [value for point in points for value in point]).tobytes()


def unpack_coordinates(data):
    values = array.array("d")
    values.frombytes(data or b"")
    return list(zip(values[0::2], values[1::2]))


def spelling_words(doc):
    """The words of a document as typed (not stemmed), for "did you mean" suggestions."""
    return [word for word in words_of(f"{doc['name']} {doc['body']}") if len(word) > 2 and word.isalpha()]


def digest(doc):
    """A fingerprint of what was indexed, so a check can spot documents out of date."""
    content = json.dumps(
        {k: v for k, v in doc.items() if k != "digest"}, sort_keys=True, default=bytes.hex
    )
    return hashlib.sha1(content.encode("utf-8")).hexdigest()

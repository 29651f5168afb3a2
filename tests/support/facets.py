"""The facet registry as the importer sees it: a valid value of each facet, and how the importer
judges one programs.csv row."""

from app.catalog.facet_registry import FACETS
from app.catalog.validation import validate_program
from app.catalog.vocabulary import load_all
from app.settings import PROJECT_ROOT

from .rows import TODAY, program_row

VOCABULARY = load_all(PROJECT_ROOT / "data" / "vocabulary")
NAMES = [facet.name for facet in FACETS]


def a_valid_value(facet):
    if facet.vocabulary:
        return VOCABULARY[facet.vocabulary].terms[0].slug
    return facet.places.code(1)


def downtown(postal_code):
    return 43.6515, -79.3835, "postal_code"


def imported(**overrides):
    """(record, problem texts) for one programs.csv row, as the importer judges it."""
    record, problems = validate_program(program_row(**overrides), VOCABULARY, downtown, TODAY)
    return record, [str(problem) for problem in problems]

"""A facet named once in the registry reads one vocabulary (or the City's numbering) that the
importer checks against, and the sidebar lists the facets in registry order (the API, the
OpenAPI description and the pages: tests/integration/test_facet_registry.py)."""

import pytest

from app.catalog.facet_registry import FACETS
from app.catalog.fields import BY_NAME as FIELDS
from app.catalog.vocabulary import VOCABULARIES
from app.web.shared.listing import facet_groups

from ..support.facets import NAMES, VOCABULARY, a_valid_value, imported


def test_each_facet_draws_its_values_from_one_vocabulary_or_from_the_citys_numbering():
    assert len(set(NAMES)) == len(NAMES)
    for facet in FACETS:
        assert (facet.vocabulary is None) != (facet.places is None), facet.name
        assert facet.vocabulary is None or facet.vocabulary in VOCABULARIES


@pytest.mark.parametrize("facet", [f for f in FACETS if f.vocabulary and f.source], ids=lambda f: f.name)
def test_a_facet_reads_the_program_field_that_the_importer_checks_against_the_same_vocabulary(facet):
    assert FIELDS[facet.source].vocabulary == facet.vocabulary


def test_the_sidebar_lists_the_facets_in_registry_order():
    counts = {facet.name: {a_valid_value(facet): 1} for facet in FACETS}
    groups = facet_groups(counts, {}, VOCABULARY)
    assert [(group["facet"], group["title"]) for group in groups] == [(f.name, f.title) for f in FACETS]


@pytest.mark.parametrize("number, exists", [(1, True), (174, True), (0, False), (175, False)])
def test_the_importer_takes_neighbourhoods_001_to_174(number, exists):
    record, _ = imported(service_area=f"neighbourhood:{number}")
    assert (record is not None) == exists

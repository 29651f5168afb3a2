"""Cells that would run as formulas in a spreadsheet are neutralised (the exports themselves:
tests/integration/test_export.py)."""

import pytest

from app.catalog.csvfile import neutralise


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
        ("+1 416 555 0100", "'+1 416 555 0100"),
        ("-2+3", "'-2+3"),
        ("-79.3832", "-79.3832"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("Plain text", "Plain text"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(value, expected):
    assert neutralise(value) == expected

"""The place-and-need map's shades as pure functions: every figure falls in exactly one shade,
darker for more (the map itself: tests/integration/test_gaps_map.py)."""

import pytest

from app.geo import maps


@pytest.mark.parametrize("values, places", [
    ([0.01, 0.5, 0.5, 0.88, None, 0.12, 0.3, 0.36, 0.17], 2),
    ([-40.5, 79.1, 12.0, 0.0, 3.3], 1),
    ([7.0, 7.0, 7.0], 2),
    ([5.0], 1),
])
def test_every_figure_falls_in_exactly_one_shade_darker_for_more(values, places):
    steps = maps.measure_steps(values, places)
    for value in (v for v in values if v is not None):
        assert sum(step.low <= value <= step.high for step in steps) == 1, value
    assert [s.shade for s in steps] == sorted(s.shade for s in steps) and steps[-1].shade == len(maps.SHADES) - 1
    assert all(a.high < b.low for a, b in zip(steps, steps[1:]))
    assert steps[0].low == min(v for v in values if v is not None) and steps[-1].high == max(v for v in values if v is not None)


def test_no_figure_gives_no_shade():
    assert maps.measure_steps([None, None], 2) == []

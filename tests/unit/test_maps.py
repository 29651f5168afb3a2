"""Map shades as pure functions: every count gets one colour, darker for more, and the legend's
keys are the colours the map fills areas with (the map pages: tests/integration/test_maps.py)."""

import pytest

from app.geo import maps
from app.settings import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"


def test_legend_keys_show_the_shades_the_map_fills_areas_with():
    css = (STATIC / "css" / "map.css").read_text()
    for n, colour in enumerate(maps.SHADES):
        rgb = ", ".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
        assert f".map-shade-{n} {{ background: rgba({rgb}, .55); }}" in css


@pytest.mark.parametrize("top", [1, 2, 3, 5, 6, 7, 12, 101])
def test_shade_steps_give_every_count_one_colour_darker_for_more(top):
    steps = maps.shade_steps(top)
    assert [n for step in steps for n in range(step.low, step.high + 1)] == list(range(1, top + 1))
    assert [step.shade for step in steps] == list(range(len(maps.SHADES) - len(steps), len(maps.SHADES)))
    assert maps.shade(0, steps) == maps.EMPTY_FILL and maps.shade(top, steps) == maps.SHADES[-1]

"""The place-and-need view's map: areas shaded by the chosen measure with a legend that states
each shade in numbers, the largest gaps numbered, the table beside it, and names kept as text."""

import html
import re

import pytest

from app.geo import maps
from app.web.gaps import figures as gaps_view

from ..support.geo import needs_geo_mirror
from ..support.maps import drawn_areas, map_script

EVIL = "</script><img src=x onerror=alert(1)>`${alert(2)}`'\"&"


def legend_steps(page):
    """[(low, high, colour)] as the legend states them."""
    legend = page[page.index('class="map-scale gaps-map-scale"'):]
    legend = legend[:legend.index("</ul>")]
    found = []
    for shade, text in re.findall(r'map-shade-(\d)" aria-hidden="true"></span>\s*([^<]+)</li>', legend):
        numbers = [float(n.replace(",", "")) for n in re.findall(r"-?[\d,]+(?:\.\d+)?", text)]
        found.append((numbers[0], numbers[-1], maps.SHADES[int(shade)]))
    return found


def fills(page):
    """{area code: fill colour} from the map's style function."""
    styler = re.search(r"_styler\(feature\) \{(.*?)\n        \}", map_script(page), re.S).group(1)
    colours = {}
    for cases, colour in re.findall(r"((?:case \"\w+\": )+)\s*return \{[^}]*\"fillColor\": \"(#\w+)\"", styler):
        colours.update({code: colour for code in re.findall(r'case "(\w+)"', cases)})
    default = re.search(r'default:\s*return \{[^}]*"fillColor": "(#\w+)"', styler).group(1)
    return colours, default


@needs_geo_mirror
@pytest.mark.parametrize("query, measure, areas", [
    ("", "access", 25),
    ("&area=neighbourhood&measure=gap&population=youth", "gap", 158),
    ("&measure=served_per_10k", "served_per_10k", 25),
])
def test_the_place_view_maps_the_chosen_measure_with_a_legend_that_states_its_figures(public_geo, query, measure,
                                                                                        areas):
    page = public_geo.get("/gaps?view=place" + query).get_data(as_text=True)
    features = drawn_areas(page)
    assert len(features) == areas
    steps = legend_steps(page)
    assert len(steps) == len(maps.SHADES)
    colours, default = fills(page)
    for feature in features:
        shown = feature["properties"]["figures"].get(measure)
        assert shown is not None, feature["properties"]["name"]
        value = float(shown.replace(",", ""))
        (colour,) = [c for low, high, c in steps if low <= value <= high]
        assert colours.get(feature["properties"]["code"], default) == colour, feature["properties"]["name"]
    assert 'href="#place-table"' in page and 'id="place-table"' in page  # the table alternative, linked
    assert "Skip the map" in page


@needs_geo_mirror
def test_the_largest_gaps_are_numbered_on_the_map_and_named_in_the_legend(public_geo):
    page = public_geo.get("/gaps?view=place&population=newcomers").get_data(as_text=True)
    marks = re.findall(r'"html": "\\u003cspan aria-hidden=\\"true\\"\\u003e(\d+)\\u003c/span\\u003e"', map_script(page))
    assert marks == ["1", "2", "3", "4", "5"]
    largest = public_geo.get("/gaps?view=largest&area=ward&population=newcomers").get_data(as_text=True)
    first = re.search(r"<li><strong>([^<]+)</strong>: gap score ([\d.]+)", largest)
    marked = re.search(r'<ol class="gaps-marked"><li>([^<]+)</li>', page).group(1)
    assert marked == f"{first.group(1)}: gap score {first.group(2)}"
    assert map_script(page).count('"interactive": false') == 5 and map_script(page).count('"keyboard": false') == 5


@needs_geo_mirror
def test_only_the_place_view_carries_a_map(public_geo):
    for view in ("coverage", "largest", "health"):
        assert "leaflet-1.9.4.js" not in public_geo.get(f"/gaps?view={view}").get_data(as_text=True), view


@needs_geo_mirror
def test_a_wrong_measure_is_named(public_geo):
    response = public_geo.get("/gaps?view=place&measure=nonsense")
    assert response.status_code == 400 and "measure" in response.get_data(as_text=True)


@needs_geo_mirror
def test_a_place_name_with_html_or_script_stays_text_in_the_map_and_the_legend(public_geo, monkeypatch):
    real = gaps_view.ward_label
    monkeypatch.setattr(gaps_view, "ward_label", lambda code: EVIL if code == "07" else real(code))
    page = public_geo.get("/gaps?view=place").get_data(as_text=True)
    script = map_script(page)
    script = script[:script.index("</script>")]
    assert "<img" not in script and "</script" not in script[1:].lower()  # HTML: cannot end the script
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', script)
    assert "`" not in code  # JavaScript: the name sits in a JSON string, never in a template literal
    assert EVIL in [f["properties"]["name"] for f in drawn_areas(page)]  # decoded, it is the name itself
    assert "<img" not in page and html.escape(EVIL, quote=False).split("`")[0] in page

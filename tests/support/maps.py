"""Reading a page's map script: the script itself and the GeoJSON areas it draws."""

import json
import re


def map_script(page):
    return page[page.index("<script nonce"):]


def drawn_areas(page):
    """The GeoJSON features a page's map script draws."""
    collections = re.findall(r"_add\((\{.*?\"type\": \"FeatureCollection\"\})\);", map_script(page))
    return [feature for text in collections for feature in json.loads(text)["features"]]

"""Export the catalogue as CSV (the import format, so files round-trip) or GeoJSON."""

from .fields import FIELD_NAMES, LIST_FIELDS, SITE_FIELDS


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def program_rows(programs):
    """One dict of strings per program, its first site on the row, as programs.csv has it."""
    for program in programs:
        first = program["sites"][0] if program["sites"] else {}
        row = {name: _cell(program.get(name)) for name in FIELD_NAMES if name not in SITE_FIELDS}
        row.update({name: _cell(first.get(name)) for name in SITE_FIELDS})
        yield row


def site_rows(programs):
    """The further sites of each program, as sites.csv has them."""
    for program in programs:
        for site in program["sites"][1:]:
            yield {"program_id": program["id"], **{k: _cell(site.get(k)) for k in SITE_FIELDS}}


def geojson(programs):
    """A FeatureCollection with one point per located site."""
    features = []
    for program in programs:
        properties = {
            name: program.get(name)
            for name in FIELD_NAMES
            if name not in SITE_FIELDS and (name not in LIST_FIELDS or program.get(name))
        }
        for position, site in enumerate(program["sites"]):
            if site.get("latitude") is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [site["longitude"], site["latitude"]],
                    },
                    "properties": {**properties, "site": position, **site},
                }
            )
    return {"type": "FeatureCollection", "features": features}


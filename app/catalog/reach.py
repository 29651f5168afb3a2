"""Which places a program serves, as opposed to where its sites are.

People mean two different things by "a program in ward 7": one that *serves* ward 7 (its
service area covers it, and a city-wide program serves every ward) and one *located in* ward 7
(it has a site there). A caseworker looking for a client who lives in ward 7 wants the first;
a convenor counting premises wants the second. Search, the organization directory, matching and
the gaps dashboard all answer "serves" from here, so they cannot drift apart.

Pure functions over plain records: ``sites`` carry the ward and neighbourhood the boundaries
gave them, and ``service_area`` holds codes such as ``city-wide``, ``ward:07`` or
``neighbourhood:001``.
"""

from ..geo.codes import NEIGHBOURHOODS, WARDS

CITY_WIDE = "city-wide"
ALL_WARDS = tuple(WARDS.code(n) for n in range(1, WARDS.highest + 1))


def serves_city(program):
    return CITY_WIDE in (program.get("service_area") or [])


def is_online(program):
    """Delivered wholly online: distance does not matter for it. A hybrid program still asks
    people to come somewhere, so it is not."""
    return program.get("delivery_mode") == "virtual"


def _area_codes(program, kind):
    prefix = f"{kind}:"
    return {code[len(prefix):] for code in program.get("service_area") or [] if code.startswith(prefix)}


def site_wards(program):
    return sorted({site["ward"] for site in program.get("sites") or [] if site.get("ward")})


def site_neighbourhoods(program):
    return sorted({site["neighbourhood"] for site in program.get("sites") or [] if site.get("neighbourhood")})


def wards_served(program, ward_of_neighbourhood=None):
    """Every ward the program serves: all of them when city-wide, else the wards its service
    area names, those holding the neighbourhoods it names, and those of its sites (people can
    walk in where a program is)."""
    if serves_city(program):
        return list(ALL_WARDS)
    ward_of = ward_of_neighbourhood or {}
    wards = _area_codes(program, WARDS.kind)
    wards |= {ward_of[code] for code in _area_codes(program, NEIGHBOURHOODS.kind) if code in ward_of}
    return sorted(wards | set(site_wards(program)))


def neighbourhoods_served(program, ward_of_neighbourhood=None):
    """Every neighbourhood the program serves: all when city-wide, else those its service area
    names, those lying in the wards it names, and those of its sites."""
    ward_of = ward_of_neighbourhood or {}
    if serves_city(program):
        return sorted(ward_of)
    wards = _area_codes(program, WARDS.kind)
    hoods = _area_codes(program, NEIGHBOURHOODS.kind)
    hoods |= {code for code, ward in ward_of.items() if ward in wards}
    return sorted(hoods | set(site_neighbourhoods(program)))


def serves_ward(program, ward, ward_of_neighbourhood=None):
    return ward in wards_served(program, ward_of_neighbourhood)


def reach_tokens(program):
    """How the program reaches people without a site near them, for the search index:
    ``city-wide`` and ``online``."""
    tokens = []
    if serves_city(program):
        tokens.append(CITY_WIDE)
    if is_online(program):
        tokens.append("online")
    return tokens

"""Local labour-market information: where ward residents work beside what programs train for.

Residents' industries come from the Census (NAICS sectors, employed labour force); each atlas
sector names its NAICS codes in the vocabulary, so the two line up by code. A sector holding
a large share of a ward's workers but a small share of the sector-specific programs serving
the ward is where training supply and local employment differ most.
"""

import numpy as np

GENERAL = "any-sector"


def naics_sectors(vocabulary):
    """{Census NAICS category ("23", "31-33", "44-45"...): sector slug} from the vocabulary."""
    by_code = {}
    for term in vocabulary.terms:
        for code in (term.extra.get("naics") or "").split(";"):
            if code.strip():
                by_code.setdefault(code.strip(), term.slug)
    return by_code


def _sector_of(category, by_code):
    """The sector of a Census category: an exact code, or the first code of a range ("31-33")."""
    if category in by_code:
        return by_code[category]
    first = category.split("-")[0]
    return by_code.get(first)


def ward_table(catalogue, scope, ward, indicators, vocabulary):
    """[{"sector", "label", "residents", "resident_share", "programs", "program_share", "difference"}]
    for one ward, largest difference (residents' share over programs' share) first.

    A resident share is of all the ward's employed residents (the profile's "All industry
    categories"), not of those in industries some atlas sector trains for.
    """
    by_code = naics_sectors(vocabulary)
    residents = {}
    for category, (_label, people) in (indicators.industries if indicators else {}).items():
        sector = _sector_of(category, by_code)
        if sector:
            residents[sector] = residents.get(sector, 0.0) + people
    serving = scope & catalogue.mask("ward", ward)
    programs = {t.slug: int(np.count_nonzero(serving & catalogue.mask("sector", t.slug)))
                for t in vocabulary.terms if t.slug != GENERAL}
    employed = (indicators.employed if indicators else None) or sum(residents.values()) or 1.0
    targeted = sum(programs.values()) or 1
    rows = []
    for term in vocabulary.terms:
        if term.slug == GENERAL:
            continue
        resident_share = round(100 * residents.get(term.slug, 0.0) / employed, 1)
        program_share = round(100 * programs[term.slug] / targeted, 1)
        rows.append({"sector": term.slug, "label": term.label, "residents": int(residents.get(term.slug, 0)),
                     "resident_share": resident_share, "programs": programs[term.slug],
                     "program_share": program_share, "difference": round(resident_share - program_share, 1)})
    return sorted(rows, key=lambda r: (-r["difference"], r["label"]))


def occupations(indicators):
    """[{"code", "label", "residents"}]: the ward's employed residents by NOC broad category."""
    found = (indicators.occupations if indicators else {}).items()
    return [{"code": code, "label": label, "residents": int(people)} for code, (label, people) in found]

"""Figures and filters in words, as the dashboard and its CSV files say them."""

import functools

from babel.lists import format_list
from babel.numbers import parse_pattern
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...catalog.fields import BY_NAME as FIELDS
from ..shared import listing
from ..shared.context import vocabularies
from .figures import place_names

GROUP_LABELS = {"youth": _l("young people aged 15 to 29"), "recent_immigrants": _l("immigrants who arrived 2016 to 2021"),
                "mature": _l("people aged 45 to 64"), "working_age": _l("people aged 15 to 64")}
MEASURE_LABELS = {"unemployment_rate": _l("unemployment"), "low_income_rate": _l("low income (LIM-AT)"),
                  "no_certificate_share": _l("the share without a certificate, diploma or degree"),
                  "youth_share": _l("the share of residents aged 15 to 29"),
                  "recent_immigrant_share": _l("the share of recent immigrants")}
MEASURE_TITLES = {"access": _l("Accessibility score (2SFCA) per 10,000 residents"),
                  "served_per_10k": _l("Programs serving it per 10,000 residents"),
                  "need": _l("Need index"), "gap": _l("Gap score")}
DESIGNATIONS = {"NIA": _l("Neighbourhood Improvement Area"), "EN": _l("Emerging Neighbourhood")}
FIELD_LABELS = {name: field.label for name, field in FIELDS.items()}


def fmt(value, places=None):
    """A figure as the page prints it: at ``places`` decimals (trailing zeros dropped) when
    given, else babel's default for the locale. (A place table prints thousands of figures, so
    the pattern is parsed once rather than on every call, as format_decimal would.)"""
    if value is None:
        return "–"
    if places is not None:
        value = round(value, places)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return _formatted(value, places, get_locale())


@functools.lru_cache(maxsize=50_000)
def _formatted(value, places, locale):
    """The same figures come back on every request (the Census's, the ranks), so each is
    formatted once per locale."""
    pattern = locale.decimal_formats[None] if places is None else parse_pattern(
        "#,##0." + "#" * places if places else "#,##0")
    return pattern.apply(value, locale)


def pct(value):
    return "–" if value is None else _("%(number)s%%", number=fmt(value))


def list_text(items):
    """Items joined as the locale writes a list ("a, b and c"), for a placeholder in a sentence."""
    items = [str(item) for item in items]
    return format_list(items, locale=str(get_locale() or "en")) if items else ""


def designation_label(code):
    return DESIGNATIONS.get(code, "–") if code else "–"


def field_label(name):
    return FIELD_LABELS.get(name, name)


def _labels(facet, slugs):
    names = place_names()
    return [listing.facet_label(facet, slug, vocabularies(), names) for slug in slugs]


def chosen_filters(request_):
    """[(facet title, [labels])] of the chosen filters, for the page (a list, not a sentence)."""
    found = []
    for facet, slugs in request_.chosen_filters.items():
        if facet == "type" and slugs == ["program"]:
            continue
        found.append((str(listing.FACET_TITLES[facet]), _labels(facet, slugs)))
    if request_.query.text:
        found.append((str(_l("Words")), [request_.query.text]))
    return found


def filters_text(request_):
    """The chosen filters as one cell of a CSV: "Title: a, b | Title: c"."""
    return " | ".join(_("%(filter)s: %(values)s", filter=title, values=list_text(labels))
                      for title, labels in chosen_filters(request_))


def lead_text(request_, args):
    """What every number counts, in words that follow type= and status= when they are set."""
    kinds = request_.chosen_filters.get("type") or []
    statuses = request_.chosen_filters.get("status") or []
    named_kinds = any(value.strip() for value in args.getlist("type"))
    if named_kinds and statuses:
        return _("Every number counts the listings of the kinds you chose (%(kinds)s) with the statuses you chose "
                 "(%(statuses)s), and links to them.", kinds=list_text(_labels("type", kinds)),
                 statuses=list_text(_labels("status", statuses)))
    if named_kinds:
        return _("Every number counts the listings of the kinds you chose (%(kinds)s) that have not ended, and links "
                 "to them.", kinds=list_text(_labels("type", kinds)))
    if statuses:
        return _("Every number counts programs people join (not funders or networks) with the statuses you chose "
                 "(%(statuses)s), and links to them.", statuses=list_text(_labels("status", statuses)))
    return _("Every number counts programs people join (not funders or networks) that have not ended, and links "
             "to them.")

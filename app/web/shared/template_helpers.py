"""The globals and filters every template may use, registered on the application in one place
so a page never depends on which job's blueprint happens to be registered."""

import numpy as np
from flask import g

from ...accounts.permissions import may_send_referrals
from ...catalog.listing import needs_rechecking, source_is_old
from ...catalog.vocabulary import stage_of
from ...geo.distance import haversine_km
from ...referrals.referable import referable_problem
from . import listing
from .auth import may_see_gaps
from .context import get_db, stale_after_days, today, vocabularies
from .formatting import date_text, local_date, local_time


def label(vocabulary_name, slug):
    """A slug's plain-language label."""
    return vocabularies()[vocabulary_name].label(slug)


def term_label(slug, vocabulary_name):
    """The same as a filter: ``slugs | map('term_label', 'populations')``."""
    return label(vocabulary_name, slug)


def zip_labels(slugs, vocabulary_name):
    """[(slug, label)] for a select's options."""
    vocabulary = vocabularies()[vocabulary_name]
    return [(slug, vocabulary.label(slug)) for slug in slugs]


def today_iso():
    """Today's date as stored dates are written, to compare them in templates."""
    return today().isoformat()


def recheck_listing(program):
    return needs_rechecking(program, today(), stale_after_days())


def old_source(program):
    return source_is_old(program, today())


def intervention_stage(slug):
    return stage_of(vocabularies(), slug)


def search_args(search_request, **changes):
    """URL arguments for this search with some changed (page, sort, a dropped facet)."""
    return listing.state_args(search_request, **changes)


def ward_label(code, names):
    """"25 Scarborough-Rouge Park", or "25" without the boundaries' names."""
    name = names.get(code)
    return f"{int(code)} {name}" if name else str(int(code))


def nearest_first(sites, point):
    """Sites with coordinates, the one nearest ``point`` first (in their own order without a
    point), so a card's distance and the address beside it are the same site's."""
    located = [site for site in sites if site.get("latitude") is not None]
    if not point or not located:
        return located
    return sorted(located, key=lambda site: haversine_km(point[0], point[1],
                                                         np.array([[site["latitude"], site["longitude"]]]))[0])


def by_street(sites):
    """Sites in the order people scan an address list: by street, then number along it, so
    "1081 Progress Ave" comes before "789 Yonge St" and "9 Yonge" before "789 Yonge"."""
    return sorted(sites, key=lambda site: _street_key(site.get("address") or ""))


def _street_key(address):
    number, _space, street = address.strip().partition(" ")
    if number.isascii() and number.isdigit():
        return street.casefold(), int(number)
    return address.casefold(), 0


def can_refer():
    return may_send_referrals(g.get("user"))


def may_refer_to(program):
    """Whether the signed-in person can refer a client to this program from a page."""
    return can_refer() and not referable_problem(program, today())


def unread_referral_updates():
    """The count shown beside "Referrals" in the navigation."""
    return get_db().referrals.count_unread(g.user["id"]) if can_refer() else 0


GLOBALS = {
    "label": label, "today_iso": today_iso, "recheck_listing": recheck_listing, "old_source": old_source,
    "stage_of": intervention_stage, "search_args": search_args, "ward_label": ward_label,
    "can_refer": can_refer, "may_refer_to": may_refer_to, "unread_referral_updates": unread_referral_updates,
    "may_see_gaps": may_see_gaps,
}
FILTERS = {
    "service_area": listing.area_label, "nearest_first": nearest_first, "by_street": by_street,
    "term_label": term_label, "date_text": date_text, "zip_labels": zip_labels, "local_time": local_time,
    "local_date": local_date,
}


def _page_context():
    return {"vocabulary": vocabularies(), "current_user": g.get("user")}


def register(app):
    app.jinja_env.globals.update(GLOBALS)
    app.jinja_env.filters.update(FILTERS)
    app.context_processor(_page_context)

"""The dashboard's own parameters, each checked: a bad one is a 400 naming it."""

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ...gaps import dimensions
from ..shared import listing
from ..shared.context import vocabularies
from ..shared.params import BadParameter, parse_search

VIEWS = ("coverage", "continuum", "place", "largest", "overlaps", "health", "lmi")
AREAS = ("ward", "neighbourhood")
DEFAULT_CATCHMENT_KM = 3.0
CATCHMENT_KM = (0.5, 20.0)
CATCHMENT_CHOICES = (1.0, 2.0, 3.0, 5.0, 10.0)
MAP_MEASURES = ("access", "served_per_10k", "need", "gap")
# the parameters each view reads besides the search's; only these are carried between views
VIEW_ARGS = {"coverage": ("rows", "cols"), "place": ("area", "catchment_km", "measure"),
             "largest": ("area", "catchment_km"), "lmi": ("lmi_ward",)}


def choice(args, name, allowed, default):
    value = args.get(name) or default
    if value not in allowed:
        raise BadParameter(name, _('"%(value)s" is not one of: %(allowed)s', value=value[:30],
                                   allowed=", ".join(allowed)))
    return value


def parse_dimensions(args):
    """(rows, cols) dimension names; the same dimension twice is refused, naming cols."""
    names = tuple(d.name for d in dimensions.DIMENSIONS)
    rows = choice(args, "rows", names, dimensions.DEFAULT_ROWS)
    cols = choice(args, "cols", names, dimensions.DEFAULT_COLS if rows != dimensions.DEFAULT_COLS else "sector")
    if rows == cols:
        raise BadParameter("cols", _("Choose a different dimension for the columns than for the rows."))
    return rows, cols


def parse_catchment(args):
    value = args.get("catchment_km")
    if value in (None, ""):
        return DEFAULT_CATCHMENT_KM
    low, high = CATCHMENT_KM
    try:
        km = float(value)
    except ValueError:
        km = None
    if km is None or not low <= km <= high:
        raise BadParameter("catchment_km", _("Use a catchment distance from %(low)s to %(high)s km.",
                                             low=f"{low:g}", high=f"{high:g}"))
    return km


def search_request(args):
    """The /programs search for these parameters, programs only unless a kind is named."""
    wanted = MultiDict(args)
    if not any(value.strip() for value in wanted.getlist("type")):
        wanted.setlist("type", ["program"])
    # per_page means nothing here, but is checked as /api/programs checks it: the same parameters, the same rules
    return parse_search(wanted, vocabularies(), current_app.config["ATLAS_PER_PAGE"], allow_per_page=True)


def gaps_args(search_request_, args, current=None, **changes):
    """URL arguments for this dashboard state with some changed (another view, CSV).

    Of the view's own parameters, only those the current view read (and so checked) and the
    target view reads are carried: one the current view ignores might be wrong, and would
    turn the next view into an error page.
    """
    kept = listing.state_args(search_request_)
    kept.pop("sort", None)
    target = changes.get("view") or current
    carried = set(VIEW_ARGS.get(current, ())) & set(VIEW_ARGS.get(target, ()))
    kept.update({name: args.get(name) for name in sorted(carried) if args.get(name)})
    kept.update({key: value for key, value in changes.items() if value is not None})
    return kept

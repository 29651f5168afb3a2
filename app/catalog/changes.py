"""What changed between two versions of a listing, field by field, as people read it.

Pure functions over records. Values are compared as the CSV shows them; lists of terms are
compared as sets, since their order carries no meaning (a form lists them in the vocabulary's
order, a file in any order), so re-saving a listing unchanged records nothing.
"""

from .export import program_rows
from .fields import BY_NAME, FIELD_NAMES
from .validation import one_line_ending

UNORDERED_KINDS = ("slugs", "list", "service_area")
FURTHER_SITES = "further_sites"


def as_text(program):
    """A program's fields as the edit form and the CSV show them, further sites included."""
    values = next(program_rows([program]))
    values[FURTHER_SITES] = further_sites_text(program)
    return values


def further_sites_text(program):
    """The sites after the first, one per line as "address | postal code"."""
    return "\n".join(f"{s.get('address') or ''} | {s.get('postal_code') or ''}" for s in program["sites"][1:])


def same(name, old, new):
    field = BY_NAME.get(name)
    if field is not None and field.kind in UNORDERED_KINDS:
        return set(_parts(old)) == set(_parts(new))
    return one_line_ending(old or "").strip() == one_line_ending(new or "").strip()


def _parts(text):
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def diff(before, after):
    """{field: [old, new]} for every field whose meaning differs between two text snapshots."""
    names = [name for name in (*FIELD_NAMES, FURTHER_SITES) if name in before or name in after]
    return {
        name: [before.get(name, ""), after.get(name, "")]
        for name in names
        if not same(name, before.get(name, ""), after.get(name, ""))
    }


def meaningful(changes):
    """The changes of one audit entry that alter meaning: a list saved in another order is
    left out (entries written before saves compared lists as sets hold such reorderings)."""
    return {name: change for name, change in changes.items() if not same(name, *change)}


def created(program):
    """The changes that record a new listing: every field it was given."""
    return {name: ["", value] for name, value in as_text(program).items() if value}


def values_at(current, entries_since):
    """The text values as they were before ``entries_since`` (audit entries, any order)."""
    values = dict(current)
    for entry in sorted(entries_since, key=lambda e: e["version"] or 0, reverse=True):
        for name, (old, _new) in entry["changes"].items():
            values[name] = old
    return values


def review(base, current, typed, editable):
    """The form to show after a refused save: what the person changed, over what is current.

    Returns (values, collisions): ``values`` keeps every field the person changed from the
    version they started from and shows the current value everywhere else, so saving again
    cannot revert someone else's change; ``collisions`` names the fields both changed.
    """
    values, collisions = dict(current), []
    for name in editable:
        if name not in typed or same(name, base.get(name), typed[name]):
            continue
        values[name] = typed[name]
        if not same(name, base.get(name), current.get(name)) and not same(name, typed[name], current.get(name)):
            collisions.append(name)
    return values, collisions

"""Data health: how far a convenor can trust the picture.

The share of listings needing re-checking (old source, or unchecked for longer than the
freshness limit, ATLAS_STALE_AFTER_DAYS) by organization
and by sector, the fields most often left empty, and the organizations nobody can keep up to
date because no active editor account belongs to them.
"""

from ..catalog.listing import needs_rechecking

# Fields a convenor's questions depend on, and how to tell one is missing.
CHECKED_FIELDS = (
    "sectors", "populations", "interventions", "service_area", "delivery_mode", "languages", "intake",
    "seats", "age_min", "funders", "eligibility", "how_to_apply", "phone", "email", "website",
    "source_date", "last_verified",
)


def is_missing(program, name):
    value = program.get(name)
    return value is None or value == "" or value == []


def _rechecking_by(programs, key_of, label_of, today, stale_after_days):
    groups = {}
    for program in programs:
        for key in key_of(program):
            entry = groups.setdefault(key, {"key": key, "label": label_of(key), "listings": 0, "recheck": 0})
            entry["listings"] += 1
            entry["recheck"] += needs_rechecking(program, today, stale_after_days)
    for entry in groups.values():
        entry["share"] = round(100 * entry["recheck"] / entry["listings"], 1)
    return sorted(groups.values(), key=lambda e: (-e["share"], -e["listings"], e["label"]))


def by_organization(programs, today, stale_after_days):
    names = {p.get("organization_id"): p.get("organization") or p.get("organization_id") for p in programs}
    return _rechecking_by(programs, lambda p: [p.get("organization_id")], names.get, today, stale_after_days)


def by_sector(programs, today, stale_after_days, sector_label):
    return _rechecking_by(programs, lambda p: p.get("sectors") or [], sector_label, today, stale_after_days)


def missing_fields(programs):
    """[{"field", "missing", "share"}], most often missing first."""
    total = len(programs) or 1
    counted = [{"field": name, "missing": sum(is_missing(p, name) for p in programs)} for name in CHECKED_FIELDS]
    for entry in counted:
        entry["share"] = round(100 * entry["missing"] / total, 1)
    return sorted((e for e in counted if e["missing"]), key=lambda e: (-e["missing"], e["field"]))


def without_editor(programs, users):
    """[{"organization_id", "organization", "listings"}] whose organization has no active editor."""
    edited = {u.get("organization_id") for u in users if u.get("role") == "editor" and u.get("status") == "active"}
    found = {}
    for program in programs:
        key = program.get("organization_id")
        if key and key not in edited:
            entry = found.setdefault(key, {"organization_id": key, "organization": program.get("organization") or key,
                                           "listings": 0})
            entry["listings"] += 1
    return sorted(found.values(), key=lambda e: (-e["listings"], e["organization"]))


def summary(programs, users, today, stale_after_days, sector_label, per_organization=True):
    """The view's figures; ``per_organization`` False leaves out the lists that name
    organizations (re-checking by organization, organizations without an editor) as None."""
    recheck = sum(needs_rechecking(p, today, stale_after_days) for p in programs)
    return {
        "listings": len(programs),
        "recheck": recheck,
        "recheck_share": round(100 * recheck / len(programs), 1) if programs else 0.0,
        "organizations": by_organization(programs, today, stale_after_days) if per_organization else None,
        "sectors": by_sector(programs, today, stale_after_days, sector_label),
        "missing": missing_fields(programs),
        "without_editor": without_editor(programs, users) if per_organization else None,
    }

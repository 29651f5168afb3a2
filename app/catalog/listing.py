"""What a program listing says about itself beyond its fields: freshness, stages, JSON form."""

import datetime as dt

from .fields import FIELD_NAMES, SITE_FIELDS
from .vocabulary import stage_of


def is_stale(program, today, stale_after_days):
    """True when the listing was last checked longer ago than the freshness limit."""
    verified = program.get("last_verified")
    if not verified:
        return True
    age = today - dt.date.fromisoformat(verified)
    return age.days > stale_after_days


def stages(program, vocabularies):
    """The continuum stages a program's interventions reach, in continuum order."""
    reached = {stage_of(vocabularies, slug) for slug in program.get("interventions", [])}
    return [term.slug for term in vocabularies["stages"].terms if term.slug in reached]


def as_json(program, vocabularies, today, stale_after_days):
    """The API form: every CSV field (sites as a list), plus derived facts."""
    data = {name: program.get(name) for name in FIELD_NAMES if name not in SITE_FIELDS}
    data["version"] = program.get("version")
    data["sites"] = [dict(site) for site in program.get("sites", [])]
    data["stages"] = stages(program, vocabularies)
    data["stale"] = is_stale(program, today, stale_after_days)
    return data

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


SOURCE_OLD_AFTER_DAYS = 2 * 365


def source_is_old(program, today):
    """True when the newest source is over two years old: its facts may have changed since."""
    dated = program.get("source_date")
    return bool(dated) and (today - dt.date.fromisoformat(dated)).days > SOURCE_OLD_AFTER_DAYS


def needs_rechecking(program, today, stale_after_days):
    """Shown as "needs re-checking": an old source, or nobody has checked it for a year."""
    return source_is_old(program, today) or is_stale(program, today, stale_after_days)


def effective_status(program, today):
    """The status a search files a program under: a time-limited program past its end date has
    ended, whatever its listing still says, so it leaves default searches and counts the day
    after its end date as an ended program does."""
    status = program.get("status")
    end = program.get("end_date")
    if status == "time-limited" and end and end < today.isoformat():
        return "ended"
    return status


def is_referable(program):
    """A program a person can join and that still runs: what referral and matching may offer."""
    return program.get("listing_type", "program") == "program" and program.get("status") != "ended"


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
    data["needs_rechecking"] = needs_rechecking(program, today, stale_after_days)
    return data

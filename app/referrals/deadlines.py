"""Business-day deadlines: when an unopened referral is overdue, and when it expires.

Business days skip weekends and Ontario's statutory holidays (the ``holidays`` package's
calendar), because a referral sent on the Friday before Family Day is not late on Tuesday.
"""

import datetime as dt
import functools
from zoneinfo import ZoneInfo

import holidays

TORONTO = ZoneInfo("America/Toronto")


@functools.cache
def _ontario(year):
    return holidays.country_holidays("CA", subdiv="ON", years=year)


def is_business_day(day):
    return day.weekday() < 5 and day not in _ontario(day.year)


def subtract_business_days(end, days):
    """The latest moment from which ``days`` business days have passed by ``end``.

    A referral created at or before it is ``days`` business days old at ``end``; used as a cut-off
    in queries, so an inbox can filter overdue referrals without looking at each one.
    """
    cutoff, left = end.astimezone(TORONTO), days
    while left > 0:
        cutoff -= dt.timedelta(days=1)
        if is_business_day(cutoff.date()):
            left -= 1
    return cutoff


def is_overdue(referral, cutoff):
    """Still requested, never opened by the receiver, and sent before the overdue cut-off
    (``subtract_business_days(now, overdue days)``, worked out once per request).

    Decided by the same cut-off the inbox filter queries with, so a flag and a filter never
    disagree about one referral.
    """
    if referral["status"] != "requested" or referral.get("received_at"):
        return False
    return moment(referral["created"]) <= cutoff


def moment(value):
    """A stored ISO timestamp as an aware datetime (stored ones are UTC)."""
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)

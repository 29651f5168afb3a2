"""The client's consent, recorded per referral: no consent, no referral.

The sender attests that the client agreed to this referral to this organization, on a date, by
some means, and separately whether the receiver may report progress back to the sender.
"""

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

METHODS = {
    "in-person-verbal": _l("In person, spoken"),
    "in-person-written": _l("In person, signed form"),
    "phone": _l("By phone"),
    "video": _l("By video call"),
    "email-or-text": _l("By email or text message"),
}
OLDEST_DAYS = 365  # consent older than a year is not this referral's consent


@dataclass(frozen=True)
class Consent:
    given_on: dt.date
    method: str
    share_progress: bool


def parse(agreed, given_on, method, share_progress, today):
    """(Consent, {}) or (None, {field: message}) from what a form or the API sent."""
    errors = {}
    if not agreed:
        errors["consent"] = _l("Confirm that the client agreed to be referred to this organization. "
                               "Without their consent, a referral cannot be sent.")
    date = _date(given_on)
    if date is None:
        errors["consent_given_on"] = _l("Enter the date the client agreed, as YYYY-MM-DD.")
    elif date > today:
        errors["consent_given_on"] = _l("The date the client agreed cannot be in the future.")
    elif (today - date).days > OLDEST_DAYS:
        errors["consent_given_on"] = _l("Consent given over a year ago is too old: ask the client again.")
    if method not in METHODS:
        errors["consent_method"] = _l("Choose how the client agreed.")
    if share_progress not in (True, False):
        errors["share_progress"] = _l("Say whether the client agreed that the program may report progress back to you.")
    if errors:
        return None, errors
    return Consent(date, method, share_progress), {}


def _date(value):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None

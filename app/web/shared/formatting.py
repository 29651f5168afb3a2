"""Dates and times as people in Toronto read them, for pages of every job."""

import datetime as dt

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from flask_babel import format_date, get_locale, get_timezone
from flask_babel import gettext as _


def _canadian_locale():
    """The reader's language as written in Canada: "3:05 p.m.", not "3:05 PM"."""
    locale = get_locale()
    try:
        return Locale(locale.language, "CA")
    except (UnknownLocaleError, ValueError):
        return locale


def local_time(stamp):
    """An audit timestamp (UTC, ISO) as people in Toronto read it: "30 November 2026, 3:05 p.m."."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    # Translators: a date and time pattern (CLDR), as in "30 November 2026, 3:05 p.m.".
    pattern = _("d MMMM y, h:mm a")
    return babel_dates.format_datetime(moment, pattern, tzinfo=get_timezone(), locale=_canadian_locale())


def local_date(text):
    """A stored date (YYYY-MM-DD) as people read it: "30 November 2026"."""
    try:
        day = dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    # Translators: a date pattern (CLDR), as in "30 November 2026".
    return babel_dates.format_date(day, _("d MMMM y"), locale=_canadian_locale())


def date_text(iso_date):
    """An ISO date as people write it ("November 30, 2026" in English)."""
    try:
        return format_date(dt.date.fromisoformat(iso_date), "long")
    except (TypeError, ValueError):
        return iso_date

"""What a sender may type about a client: a reference code and a short note, never identity.

A referral travels to another organization and stays for a year after it closes, so the atlas
keeps as little as it can: the sender keeps the client's identity in their own files and gives
the atlas a code. These checks catch the common slips (a name, a phone number, an email, an
Ontario health card or social insurance number); they cannot catch everything, which is why the
form also says so in words.
"""

import re

from flask_babel import lazy_gettext as _l

CLIENT_REF_MAX = 40
NOTE_MAX = 600

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Runs of digits with the separators people type between them: 416-555-0199, 123 456 789.
_DIGIT_RUN = re.compile(r"\d(?:[\s.\-()]*\d)+")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.#]*")


_LOCAL_PHONE = re.compile(r"\d{3}[\s.\-]?\d{4}")
_PHONE = re.compile(r"\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}")
# Ontario health card: ten digits, typed 1234-567-890 or together.
_HEALTH_CARD = re.compile(r"\d{10}|\d{4}([\s\-])\d{3}\1\d{3}")
_POSTAL_CODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[A-Z][\s\-]?\d[A-Z]\d\b", re.IGNORECASE)
_DATE = re.compile(r"(?<!\d)(19|20)\d\d[\-/.]?(0[1-9]|1[0-2])[\-/.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def _digit_runs(text):
    """(digits, as typed) for each run of digits and separators."""
    for match in _DIGIT_RUN.finditer(text):
        yield re.sub(r"\D", "", match.group()), match.group()


def _luhn(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def identity_problem(text):
    """A message naming what in ``text`` looks like a contact detail or an identity number."""
    if _EMAIL.search(text):
        return _l("It looks like an email address.")
    for digits, typed in _digit_runs(text):
        if len(digits) == 9 and _luhn(digits):
            return _l("It looks like a social insurance number.")
        if len(digits) == 10 and _PHONE.fullmatch(typed) and _looks_like_phone(digits):
            return _l("It looks like a phone number.")
        if len(digits) == 10 and _HEALTH_CARD.fullmatch(typed):
            return _l("It looks like a health card number.")
        if (len(digits) == 7 and _LOCAL_PHONE.fullmatch(typed)) or (len(digits) == 11 and digits[0] == "1"):
            return _l("It looks like a phone number.")
        if len(digits) == 9:
            return _l("It looks like an identity number.")
    if _DATE.search(text):
        return _l("It looks like a date, perhaps of birth.")
    if _POSTAL_CODE.search(text):
        return _l("It looks like a postal code.")
    return None


def _looks_like_phone(digits):
    """Toronto's area codes: a ten-digit run that starts with one is a phone number."""
    return digits[:3] in {"416", "647", "437", "905", "289", "365", "742", "942"}


def client_ref_problem(value):
    """Why ``value`` cannot be a client reference, or None. A reference is a code: no spaces,
    at least one digit, none of the patterns of contact details or identity numbers."""
    value = (value or "").strip()
    if not value:
        return _l("Enter your reference for the client: a code from your own records, not a name.")
    if len(value) > CLIENT_REF_MAX:
        return _l("Keep the reference under %(limit)d characters.", limit=CLIENT_REF_MAX)
    problem = identity_problem(value)
    if problem:
        return _l("%(problem)s Use a code from your own records instead.", problem=problem)
    if not _CODE.fullmatch(value):
        return _l("Use a code of letters, digits and - _ / . # only, without spaces: a name is not a reference.")
    if not any(char.isdigit() for char in value):
        return _l("A reference needs at least one digit, so it cannot be a name: for example CL-2026-014.")
    return None


def note_problem(value):
    value = value or ""
    if len(value) > NOTE_MAX:
        return _l("Keep the note under %(limit)d characters.", limit=NOTE_MAX)
    problem = identity_problem(value)
    if problem:
        return _l("%(problem)s Leave contact details and identity numbers out of the note.", problem=problem)
    return None

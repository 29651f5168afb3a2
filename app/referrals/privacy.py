"""What a sender may type about a client: a reference code and a short note, never identity.

A referral travels to another organization and stays for a year after it closes, so the atlas
keeps as little as it can: the sender keeps the client's identity in their own files and gives
the atlas a code. These checks catch the common slips (a name, a phone number, an email, an
Ontario health card or social insurance number); they cannot catch everything, which is why the
form also says so in words.
"""

import re
import unicodedata

from flask_babel import lazy_gettext as _l

CLIENT_REF_MAX = 40
NOTE_MAX = 600

# What people type between digits: 416-555-0199, 416/555/0199, 416_555_0199, (416) 555 0199.
_SEP = r"[\s.\-_/()\\]"
_EMAIL = re.compile(r"[^\s@]+@[^\s@.]+(\.[^\s@]+)?|[^\s@]+\s+@\s*[^\s@]+\.[^\s@]+|[^\s@]+@\s+[^\s@]+\.[^\s@]+")
_DIGIT_RUN = re.compile(rf"\d(?:{_SEP}*\d)+")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.#]*")
_LOCAL_PHONE = re.compile(rf"\d{{3}}{_SEP}?\d{{4}}")
_PHONE = re.compile(rf"\(?\d{{3}}\)?{_SEP}?\d{{3}}{_SEP}?\d{{4}}")
# Ontario health card: ten digits, typed 1234-567-890 or together.
_HEALTH_CARD = re.compile(rf"\d{{10}}|\d{{4}}({_SEP})\d{{3}}\1\d{{3}}")
_POSTAL_CODE = re.compile(r"(?<![A-Za-z0-9])[ABCEGHJ-NPRSTVXY]\d[A-Z][\s\-_/.]?\d[A-Z]\d(?![A-Za-z0-9])", re.IGNORECASE)
_YEAR = r"(19|20)\d\d"
_MONTH = r"(0?[1-9]|1[0-2])"
_DAY = r"(0?[1-9]|[12]\d|3[01])"
# A date is written with the same separator twice, or as eight digits together: 2026-0412 is
# an agency's case number, 2026-04-12 and 20260412 are dates.
_DATE = re.compile(
    rf"(?<!\d)(?:{_YEAR}(?P<a>[\-/. ]){_MONTH}(?P=a){_DAY}"
    rf"|{_DAY}(?P<b>[\-/. ]){_MONTH}(?P=b){_YEAR}|{_MONTH}(?P<c>[\-/. ]){_DAY}(?P=c){_YEAR}"
    rf"|{_YEAR}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])|(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2]){_YEAR}"
    rf"|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]){_YEAR})(?!\d)")
# Letters people type for digits, recognised only between digits: 416-555-O199.
_LOOKALIKES = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"}
_LOOKALIKE_RUN = re.compile("[" + re.escape("".join(_LOOKALIKES)) + "]+")
# In a reference, a word of letters must be a short code (CL, TCH, ODSP) or a word agencies use.
_REFERENCE_WORDS = {"case", "file", "ref", "client", "no", "num", "id"}
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def normalised(text):
    """The text as the checks read it: compatibility forms folded (full-width digits, the
    full-width @), and letters that stand for digits near a digit made digits (416-555-O199,
    SIN l05 835 748), unless they touch a letter and so are part of a word (OW-2026, file#12)."""
    text = unicodedata.normalize("NFKC", text or "")
    chars = list(text)
    for match in _LOOKALIKE_RUN.finditer(text):
        start, end = match.span()
        touching = text[start - 1:start] + text[end:end + 1]
        if any(char.isalpha() for char in touching):
            continue
        if _digit_near(text, start - 1, -1) or _digit_near(text, end, 1):
            chars[start:end] = [_LOOKALIKES[char] for char in match.group()]
    return "".join(chars)


def _digit_near(text, position, step):
    """Whether the first character from ``position`` in this direction that is not a separator
    is a digit."""
    while 0 <= position < len(text) and re.fullmatch(_SEP, text[position]):
        position += step
    return 0 <= position < len(text) and text[position].isdigit()


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
    """A message naming what in ``text`` looks like a contact detail or an identity number,
    read after ``normalised``."""
    text = normalised(text)
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
    value = normalised(value)
    if not _CODE.fullmatch(value) or _looks_like_a_name(value):
        return _l("Use a code of letters, digits and - _ / . # only, without spaces: a name is not a reference.")
    if not any(char.isdigit() for char in value):
        return _l("A reference needs at least one digit, so it cannot be a name: for example CL-2026-014.")
    return None


def _looks_like_a_name(value):
    """Words in a reference: a code has short capitals (CL, TCH, ODSP) and perhaps a word such
    as "case"; jane.doe.1, Dr.Smith1 and JaneDoe1985 have a person's name in them."""
    for run in _LETTER_RUN.findall(value):
        words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", run)
        for word in words:
            if len(word) >= 3 and not (word.isupper() and len(word) <= 4) and word.lower() not in _REFERENCE_WORDS:
                return True
    return False


def note_problem(value):
    value = value or ""
    if len(value) > NOTE_MAX:
        return _l("Keep the note under %(limit)d characters.", limit=NOTE_MAX)
    problem = identity_problem(value)
    if problem:
        return _l("%(problem)s Leave contact details and identity numbers out of the note.", problem=problem)
    return None

"""A sender's client reference and notes are checked for client details however they are typed:
separators of every kind, letters for digits, full-width digits. Each check runs over a corpus
generated here (a fixed seed, so a failure can be reproduced) of strings that must be refused
and of agency codes and ordinary notes that must pass."""

import random

import pytest

from app.referrals import lifecycle, privacy

SEPARATORS = ("-", " ", ".", "/", "_", "")
AREA_CODES = ("416", "647", "437")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVXY"
FIRST = ("jane", "maria", "ahmed", "wei", "priya", "kwame", "sofia", "daniel", "fatima", "liam")
LAST = ("doe", "garcia", "smith", "nguyen", "singh", "mensah", "rossi", "cohen", "ali", "tremblay")
SIZE = 240  # strings of each kind


def luhn_valid(rng):
    """A nine-digit number that passes the Luhn check, as a social insurance number does."""
    digits = [rng.randrange(10) for _ in range(8)]
    for last in range(10):
        candidate = "".join(map(str, digits + [last]))
        if privacy._luhn(candidate):
            return candidate
    raise AssertionError("unreachable")


def disguised(rng, digits):
    """Digits as people type them: letters for some zeros and ones, or full-width."""
    if rng.random() < 0.3:
        digits = "".join("O" if d == "0" and rng.random() < 0.5 else "l" if d == "1" and rng.random() < 0.5 else d
                         for d in digits)
    if rng.random() < 0.2:
        digits = digits.translate(FULL_WIDTH)
    return digits


def grouped(rng, digits, sizes):
    sep = rng.choice(SEPARATORS)
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start:start + size])
        start += size
    return sep.join(parts)


def phone(rng):
    digits = rng.choice(AREA_CODES) + f"{rng.randrange(200, 1000)}{rng.randrange(10000):04d}"
    typed = grouped(rng, disguised(rng, digits), (3, 3, 4))
    return f"({typed[:3]}) {typed[3:].lstrip('-./_ ')}" if rng.random() < 0.15 else typed


def sin(rng):
    return rng.choice(("", "SIN ", "sin:")) + grouped(rng, disguised(rng, luhn_valid(rng)), (3, 3, 3))


def health_card(rng):
    digits = "".join(str(rng.randrange(10)) for _ in range(10))
    sep = rng.choice(SEPARATORS)
    return sep.join((digits[:4], digits[4:7], digits[7:])) + rng.choice(("", "-AB", "XY"))


def postal_code(rng):
    code = (rng.choice("MLK") + str(rng.randrange(1, 10)) + rng.choice(POSTAL_LETTERS) + str(rng.randrange(10))
            + rng.choice(POSTAL_LETTERS) + str(rng.randrange(10)))
    return code[:3] + rng.choice(("", " ", "-", "/", ".")) + code[3:]


def birth_date(rng):
    year, month, day = rng.randrange(1940, 2010), rng.randrange(1, 13), rng.randrange(1, 29)
    sep = rng.choice(("-", "/", ".", " "))
    written = rng.choice((f"{year}{sep}{month:02d}{sep}{day:02d}", f"{day:02d}{sep}{month:02d}{sep}{year}",
                          f"{month:02d}{sep}{day:02d}{sep}{year}", f"{year}{month:02d}{day:02d}",
                          f"{day:02d}{month:02d}{year}"))
    return rng.choice(("", "DOB-", "born ", "dob:")) + written


def email(rng):
    name = f"{rng.choice(FIRST)}{rng.choice(('.', '_', ''))}{rng.choice(LAST)}"
    return rng.choice((f"{name}@example.org", f"{name} @ gmail.com", f"{name}@localhost", f"{name} @example.ca",
                       f"{name}＠example.org"))


def name_code(rng):
    """A name made into a code. A surname of four capitals or fewer (ALI-710) cannot be told
    from an agency's prefix (JVS-710) and is not generated: that slip is left to the form's
    own words."""
    first, last = rng.choice(FIRST), rng.choice([name for name in LAST if len(name) > 4])
    return rng.choice((f"{first}.{last}.{rng.randrange(1, 10)}", f"Dr.{last.title()}{rng.randrange(1, 10)}",
                       f"{first}_{last}{rng.randrange(1, 10)}", f"{first.title()}{last.title()}{rng.randrange(1940, 2010)}",
                       f"{first}{rng.randrange(1, 99)}", f"{last.upper()}-{rng.randrange(1, 999)}"))


def agency_code(rng):
    prefix = rng.choice(("CF", "CL", "OW", "TCH", "ODSP", "YES", "JVS", "A", "case/", "file#"))
    year = rng.randrange(2015, 2031)
    return rng.choice((f"{prefix}-{year}-{rng.randrange(1, 10000):04d}", f"{prefix}{rng.randrange(10, 100000)}",
                       f"{prefix}#{rng.randrange(100, 10000)}", f"{year}-{rng.randrange(1, 1000000):06d}",
                       f"{prefix}/{year}/{rng.randrange(1, 1000):03d}"))


def ordinary_note(rng):
    return rng.choice((
        f"Has a forklift ticket from {rng.randrange(2000, 2026)}.",
        f"Available {rng.randrange(7, 11)}-{rng.randrange(3, 7)} on weekdays; {rng.randrange(1, 4)} children in school.",
        f"{rng.randrange(1, 15)} years of experience in construction, wants to move into HVAC.",
        f"Needs {rng.randrange(1, 6)} weeks' notice before starting. Prefers the evening cohort.",
        f"Meet @ {rng.randrange(1, 6)}pm at the library branch; bring the intake form.",
        f"Completed grade {rng.randrange(9, 13)}; interested in the {rng.randrange(2026, 2028)} intake.",
        f"Our case CF-{rng.randrange(2020, 2027)}-{rng.randrange(1, 10000):04d}; speaks Tamil and English.",
        f"Scored {rng.randrange(60, 100)}% on the CLB test, level {rng.randrange(4, 9)}.",
    ))


REFUSED = {"phone": phone, "sin": sin, "health card": health_card, "postal code": postal_code,
           "date of birth": birth_date, "email": email}


def corpus(make, seed):
    rng = random.Random(seed)
    return [make(rng) for _ in range(SIZE)]


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_client_details_are_refused_as_a_reference_however_typed(kind):
    values = corpus(REFUSED[kind], kind)
    accepted = [value for value in values if privacy.client_ref_problem(value) is None]
    assert accepted == [], f"{len(accepted)} of {len(values)} accepted"


def test_names_inside_a_reference_are_refused():
    values = corpus(name_code, "names")
    accepted = [value for value in values if privacy.client_ref_problem(value) is None]
    assert accepted == [], f"{len(accepted)} of {len(values)} accepted"


def test_agency_case_numbers_pass_as_references():
    values = corpus(agency_code, "codes") + ["CF-2026-0412", "CL-2026-014", "TCH#5521", "case/88", "2026-000123"]
    refused = [(value, str(privacy.client_ref_problem(value))) for value in values if privacy.client_ref_problem(value)]
    assert refused == [], f"{len(refused)} of {len(values)} refused"


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_client_details_inside_a_note_are_refused(kind):
    values = [f"Please call first. {detail} is the best way." for detail in corpus(REFUSED[kind], f"note-{kind}")]
    accepted = [value for value in values if privacy.note_problem(value) is None]
    assert accepted == [], f"{len(accepted)} of {len(values)} accepted"


def test_ordinary_notes_pass():
    values = corpus(ordinary_note, "notes")
    refused = [(value, str(privacy.note_problem(value))) for value in values if privacy.note_problem(value)]
    assert refused == [], f"{len(refused)} of {len(values)} refused"


@pytest.mark.parametrize("check", [
    lambda text: lifecycle.check_move("accepted", "failed", {lifecycle.RECEIVER}, "other", text),
    lambda text: lifecycle.check_move("requested", "rejected", {lifecycle.RECEIVER}, "other", text),
    lambda text: lifecycle.check_outcome("completed", "other", text),
])
def test_the_free_text_of_a_reason_or_an_outcome_is_checked_like_a_note(check):
    refusal = check("call her at 416-555-0199, SIN 046 454 286")
    assert refusal is not None and refusal.field in ("reason_text", "outcome_text")
    assert check("jane@example.org").kind == "invalid"
    assert check("Moved to Ottawa for a job.") is None

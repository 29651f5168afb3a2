"""Editors working at once on the same listings through a running server, as browsers would.

Each editor signs in, then loops: open a listing's edit form, think for a moment, change one
field to a value nobody else uses, and post the whole form as loaded. A 302 is an acknowledged
edit; a 409 is a refused stale save (the editor moves on). ``verify`` then checks that every
acknowledged edit survived or was superseded by a later acknowledged edit of the same field,
and that the audit log holds exactly the acknowledged edits.
"""

import http.client
import http.cookiejar
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from .forms import form_fields, value_of, with_value

FIELDS = ("description", "eligibility", "fee", "seats")


@dataclass
class Outcome:
    acknowledged: list = field(default_factory=list)  # (listing, field, value)
    refused: int = 0
    failed: list = field(default_factory=list)  # unexpected statuses


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path, fields):
        """The response's status; None when the connection broke (a killed worker, say)."""
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (OSError, http.client.HTTPException):
            return None

    def sign_in(self, email, password):
        fields = form_fields(self.get("/login"), "/login")
        fields = with_value(with_value(fields, "email", email), "password", password)
        return self.post("/login", fields)


def edit_loop(base, email, password, listings, seconds, seed, outcome):
    browser = Browser(base)
    if browser.sign_in(email, password) != 302:
        outcome.failed.append(("sign-in", email))
        return
    rng, deadline, n = random.Random(seed), time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        listing, name = rng.choice(listings), rng.choice(FIELDS)
        path = f"/programs/{listing}/edit"
        try:
            fields = form_fields(browser.get(path), path)
        except (OSError, http.client.HTTPException):
            outcome.failed.append((listing, name, "no answer"))
            continue
        time.sleep(rng.uniform(0, 0.05))
        n += 1
        # a value nobody else writes, in any round: seats at most 100,000
        value = str(seed * 10000 + n) if name == "seats" else f"{email} run {seed} edit {n}"
        status = browser.post(path, with_value(fields, name, value))
        if status == 302:
            outcome.acknowledged.append((listing, name, value))
        elif status == 409:
            outcome.refused += 1
        else:
            outcome.failed.append((listing, name, status))


def verify(db, listings, acknowledged):
    """(lost, history_mismatches).

    ``lost``: fields whose final value is not the newest acknowledged edit of it (an
    acknowledged edit that was neither kept nor superseded). ``history_mismatches``: edits in
    the audit log that nobody's acknowledged save asked for, and acknowledged edits missing from
    it, counted with repeats (the same value saved twice is two edits).

    Edits are told apart by their audit entry's version, never by their value alone: two saves
    may write the same value, and the older one must not stand for the newer.
    """
    logged, newest = [], {}
    for listing in listings:
        for entry in db.audit.history("program", listing):
            if entry["action"] == "edit":
                for name, (_, new) in entry["changes"].items():
                    logged.append((listing, name, new))
                    if entry["version"] > newest.get((listing, name), (-1, None))[0]:
                        newest[(listing, name)] = (entry["version"], new)
    lost = 0
    for listing in listings:
        program = db.catalog.get_program(listing)
        for name in FIELDS:
            if (listing, name) in newest:
                lost += str(program[name]) != str(newest[(listing, name)][1])
    unasked, unlogged = Counter(logged) - Counter(acknowledged), Counter(acknowledged) - Counter(logged)
    return lost, sum(unasked.values()) + sum(unlogged.values())

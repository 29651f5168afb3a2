"""People answering the same referrals at once through a running server, by the referral API.

Each person signs in, then loops: read a referral (its version and the moves open to them),
choose one of those moves, and post it with the version read. A 200 is an acknowledged move;
a 409 is a refused stale or no-longer-legal move. ``verify`` then checks the database: every
referral's timeline is a chain of legal moves, each by the side allowed to make it, versions
one apart, and it holds exactly the acknowledged moves.
"""

import http.cookiejar
import json
import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from app.referrals import lifecycle

REASONED = lifecycle.NEEDS_REASON


@dataclass
class Outcome:
    acknowledged: list = field(default_factory=list)  # (referral id, version after, status)
    refused: int = 0
    failed: list = field(default_factory=list)  # unexpected statuses


class ApiSession:
    """A signed-in cookie session that calls the API with the session's CSRF token."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = None

    def sign_in(self, email, password):
        page = self._open("/login").decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
        page = self._open("/login", data).decode()
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def _open(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        with self.opener.open(request, timeout=60) as response:
            return response.read()

    def call(self, method, path, body=None):
        """(status, JSON body or None)."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "X-CSRF-Token": self.csrf}
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, None
        except OSError:
            return None, None


def move_loop(base, email, password, referral_ids, seconds, seed, outcome):
    random.seed(seed)
    session = ApiSession(base)
    session.sign_in(email, password)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        referral_id = random.choice(referral_ids)
        status, current = session.call("GET", f"/api/referrals/{referral_id}")
        if status != 200:
            outcome.failed.append(("read", status))
            continue
        moves = current["allowed_transitions"]
        if not moves:
            continue
        after = random.choice(moves)
        body = {"status": after, "version": current["version"]}
        if after in REASONED:
            body.update(reason="other", reason_text=f"load test {seed}")
        status, moved = session.call("POST", f"/api/referrals/{referral_id}/transitions", body)
        if status == 200:
            outcome.acknowledged.append((referral_id, moved["version"], after))
        elif status == 409:
            outcome.refused += 1
        else:
            outcome.failed.append(("move", status))


def verify(db, referral_ids, acknowledged):
    """(illegal moves found, acknowledged moves missing, moves nobody was told of)."""
    illegal, recorded = [], set()
    for referral_id in referral_ids:
        status, version = "requested", 1
        for event in db.referrals.timeline(referral_id):
            if event["action"] not in lifecycle.STATUSES or event["action"] == "requested":
                continue
            allowed = lifecycle.mover(event["from_status"], event["to_status"])
            if event["from_status"] != status or event["version"] != version + 1 or allowed != event["side"]:
                illegal.append((referral_id, event["from_status"], event["to_status"], event["version"]))
            status, version = event["to_status"], event["version"]
            recorded.add((referral_id, event["version"], event["to_status"]))
        if db.referrals.get(referral_id)["status"] != status:
            illegal.append((referral_id, "final", status, version))
    told = set(acknowledged)
    return illegal, len(told - recorded), len(recorded - told)

"""Three organizations that refer clients to each other, and people of every kind, for the
referral tests (pages, API, concurrency and the browser)."""

import datetime as dt

from app.db import Database

from .accounts import form_token, password_hash
from .rows import program_row

PROGRAMS = [
    program_row(id="agency-drop-in", name="Agency Drop-in Employment Help", organization="Agency Org",
                organization_id="agency-org", referral_method="both"),
    program_row(id="jobs-youth", name="Jobs Youth Cohort", organization="Jobs Org", organization_id="jobs-org",
                referral_method="agency-referral", populations="youth", age_min="18", age_max="29"),
    program_row(id="third-onward", name="Third Placement Program", organization="Third Org",
                organization_id="third-org", referral_method="both", age_min="", age_max=""),
    program_row(id="third-self", name="Third Walk-in Workshop", organization="Third Org",
                organization_id="third-org", referral_method="self-referral"),
]
# name -> (role, organization)
PEOPLE = {
    "sender": ("member", "agency-org"),
    "sender_editor": ("editor", "agency-org"),
    "receiver": ("member", "jobs-org"),
    "receiver_editor": ("editor", "jobs-org"),
    "third": ("member", "third-org"),
    "convenor": ("convenor", None),
    "admin": ("admin", None),
}


def email_of(name):
    return f"{name}@referrals.example.org"


def add_people(app):
    db = Database(app.config["DATABASE"])
    hashed = password_hash()
    ids = {}
    with db.write():
        for name, (role, organization) in PEOPLE.items():
            ids[name] = db.accounts.add_user({
                "email": email_of(name), "name": name.replace("_", " ").title(), "password_hash": hashed,
                "role": role, "organization_id": organization, "status": "active", "session_version": 0,
            })
    db.close()
    return ids


def consent_form(**overrides):
    form = {"step": "send", "client_ref": "CL-2026-014", "note": "Has a forklift ticket.", "consent": "yes",
            "consent_given_on": dt.date.today().isoformat(), "consent_method": "in-person-verbal",
            "share_progress": "yes"}
    form.update(overrides)
    return form


def api_body(**overrides):
    body = {"program_id": "jobs-youth", "client_ref": "CL-2026-014", "needs": {"age": "22", "population": ["youth"]},
            "note": "Prefers mornings.",
            "consent": {"given_on": dt.date.today().isoformat(), "method": "phone", "share_progress": True}}
    body.update(overrides)
    return body


def send_page(client, program="jobs-youth", **overrides):
    return client.post("/referrals/new", data={"program": program, "csrf_token": form_token(client),
                                               **consent_form(**overrides)})


def move_page(client, referral_id, status, version, **extra):
    return client.post(f"/referrals/{referral_id}/move", data={"status": status, "version": str(version),
                                                                "csrf_token": form_token(client), **extra})


def csrf_headers(client):
    return {"X-CSRF-Token": form_token(client)}


def post(client, path, data):
    """A form post as the page would send it, with the session's CSRF token."""
    return client.post(path, data={"csrf_token": form_token(client), **data})

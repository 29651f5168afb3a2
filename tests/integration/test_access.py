"""Who may reach what: every route x every role x own or other organization, plus CSRF,
headers, sessions and sign-in limits."""

import re

import pytest

from app.db import Database

from ..support.accounts import PASSWORD, ROLES, form_token, sign_in
from ..support.rows import program_row

VISITOR = "visitor"
ALL = (VISITOR, *ROLES)
OK_FOR_ALL = {role: 200 for role in ALL}


def expect(visitor=302, member=403, editor=403, convenor=403, admin=403):
    """Expected statuses: visitors are sent to sign in, others refused unless named."""
    return {VISITOR: visitor, "member": member, "editor": editor, "convenor": convenor, "admin": admin}


def api_expect(member=200, editor=200, convenor=200, admin=200):
    """The API answers visitors 401 rather than sending them to a sign-in page."""
    return dict(expect(member=member, editor=editor, convenor=convenor, admin=admin), **{VISITOR: 401})


# (method, path, expected status by role) for objects of the signed-in user's own organization
# ("own-program") and of another one ("other-program").
MATRIX = [
    ("GET", "/", OK_FOR_ALL),
    ("GET", "/programs", OK_FOR_ALL),
    ("GET", "/programs/own-program", OK_FOR_ALL),
    ("GET", "/organizations/own-org", OK_FOR_ALL),
    ("GET", "/organizations", OK_FOR_ALL),
    ("GET", "/map", OK_FOR_ALL),
    ("GET", "/match", OK_FOR_ALL),
    ("POST", "/match", OK_FOR_ALL),
    ("GET", "/match/plan", OK_FOR_ALL),
    ("GET", "/api/match", OK_FOR_ALL),
    ("GET", "/api/programs", OK_FOR_ALL),
    ("GET", "/api/programs/own-program", OK_FOR_ALL),
    ("GET", "/api/openapi.json", OK_FOR_ALL),
    ("GET", "/healthz", OK_FOR_ALL),
    ("GET", "/login", OK_FOR_ALL),
    ("GET", "/signup", OK_FOR_ALL),
    ("GET", "/reset", OK_FOR_ALL),
    ("GET", "/reset/not-a-token", OK_FOR_ALL),
    ("GET", "/admin/", expect(admin=200)),
    ("POST", "/admin/users/{pending}/approve", expect(admin=302)),
    ("POST", "/admin/users/{pending}/disable", expect(admin=302)),
    ("POST", "/admin/users/{pending}/reset-link", expect(admin=409)),
    ("GET", "/programs/own-program/edit", expect(editor=200, admin=200)),
    ("GET", "/programs/other-program/edit", expect(admin=200)),
    ("POST", "/programs/own-program/edit", expect(editor=302, admin=302)),
    ("POST", "/programs/other-program/edit", expect(admin=302)),
    ("POST", "/programs/own-program/confirm", expect(editor=302, admin=302)),
    ("POST", "/programs/other-program/confirm", expect(admin=302)),
    ("GET", "/organizations/own-org/edit", expect(editor=200, admin=200)),
    ("GET", "/organizations/other-org/edit", expect(admin=200)),
    ("POST", "/organizations/own-org/edit", expect(editor=302, admin=302)),
    ("POST", "/organizations/other-org/edit", expect(admin=302)),
    ("GET", "/programs/own-program/history", expect(editor=200, convenor=200, admin=200)),
    ("GET", "/programs/other-program/history", expect(convenor=200, admin=200)),
    ("GET", "/account/tokens", expect(member=200, editor=200, convenor=200, admin=200)),
    ("POST", "/account/tokens", expect(member=400, editor=400, convenor=400, admin=400)),  # no name given
    ("POST", "/account/tokens/{pending}/revoke", expect(member=404, editor=404, convenor=404, admin=404)),
    ("GET", "/gaps", expect(convenor=200, admin=200)),
    ("GET", "/api/gaps", api_expect(member=403, editor=403, convenor=200, admin=200)),
    ("GET", "/referrals", expect(member=200, editor=200, convenor=200, admin=200)),
    ("GET", "/referrals/new", expect(member=200, editor=200)),
    ("POST", "/referrals/new", expect(member=200, editor=200)),
    ("GET", "/api/referrals", api_expect()),
    ("POST", "/api/referrals", api_expect(member=400, editor=400, convenor=403, admin=403)),  # no program
    # Referral {pending} is none of this organization's: nobody may learn whether it exists.
    ("GET", "/referrals/{pending}", expect(member=404, editor=404, convenor=404, admin=404)),
    *[("POST", f"/referrals/{{pending}}/{action}", expect(member=404, editor=404, convenor=404, admin=404))
      for action in ("move", "outcome", "feedback", "withdraw-consent")],
    ("GET", "/api/referrals/{pending}", api_expect(member=404, editor=404, convenor=404, admin=404)),
    *[("POST", f"/api/referrals/{{pending}}/{action}", api_expect(member=404, editor=404, convenor=404, admin=404))
      for action in ("transitions", "outcome", "feedback", "withdraw-consent")],
    ("POST", "/logout", {role: 302 for role in ALL}),
]
CASES = [(method, path, role, statuses[role]) for method, path, statuses in MATRIX for role in ALL]


def valid_edit(program_id):
    """A valid edit of a listing as freshly imported (version 1), as its form sends it."""
    row = program_row(id=program_id, description="Updated by the access test.")
    row.update(sectors="ict", version="1", form_complete="1")
    return row


def add_pending(app):
    db = Database(app.config["DATABASE"])
    with db.write():
        user_id = db.accounts.add_user({"email": "new@example.org", "name": "New", "password_hash": "x", "role": "member",
                                  "organization_id": "own-org", "status": "pending", "session_version": 0})
    db.close()
    return user_id


@pytest.mark.parametrize("method, path, role, status", CASES, ids=[f"{m} {p} {r}" for m, p, r, _ in CASES])
def test_access_matrix(app, client, people, method, path, role, status):
    path = path.format(pending=add_pending(app))
    if role != VISITOR:
        assert sign_in(client, people[role]).status_code == 302
    data = {"csrf_token": form_token(client), "version": "1"}
    if path.endswith("/approve"):
        data["role"] = "member"  # an approval names the role: none is chosen for the administrator
    if path.startswith("/organizations/") and method == "POST":
        data.update(name="Renamed Organization", version="1", form_complete="1")
    elif path.endswith("/edit") and method == "POST":
        data.update(valid_edit(path.split("/")[2]))
        data["sectors"] = ["ict"]
    response = client.open(path, method=method, data=data if method == "POST" else None)
    assert response.status_code == status


def test_the_matrix_covers_every_route(app):
    """A route added without a row in the matrix fails here."""
    concrete = r"/(own|other)-(program|org)|/\{pending\}|/not-a-token"
    covered = {re.sub(concrete, "/<x>", path) for _, path, _ in MATRIX}
    routes = {re.sub(r"<[^>]+>", "<x>", rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert routes - covered == set()


def test_an_editor_cannot_change_owner_or_verification(client, people):
    sign_in(client, people["editor"])
    data = valid_edit("own-program")
    data.update(organization_id="other-org", organization="Other Org", verification="confirmed",
                csrf_token=form_token(client), sectors=["ict"])
    assert client.post("/programs/own-program/edit", data=data).status_code == 302
    program = client.get("/api/programs/own-program").get_json()
    assert program["organization_id"] == "own-org" and program["verification"] == "compiled"
    assert program["description"] == "Updated by the access test."


def test_every_state_changing_route_needs_the_csrf_token(app, client, people):
    sign_in(client, people["admin"])
    pending = add_pending(app)
    for rule in app.url_map.iter_rules():
        methods = rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        if not methods:
            continue
        path = re.sub(r"<int:[^>]+>", str(pending), rule.rule)
        path = re.sub(r"<[^>]+>", "own-program", path)
        for method in methods:
            response = client.open(path, method=method, data={"csrf_token": "forged"})
            assert response.status_code == 400, (method, path)
            assert "expired or did not come from this site" in response.get_data(as_text=True)


def test_get_never_changes_state(app, client, people):
    sign_in(client, people["admin"])
    before = client.get("/api/programs/own-program").get_json()
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            client.get(re.sub(r"<[^>]+>", "own-program", rule.rule))
    after = client.get("/api/programs/own-program").get_json()
    assert before == after
    assert client.get("/logout").status_code == 405


@pytest.mark.parametrize("path", ["/", "/programs", "/map", "/programs/own-program", "/login", "/admin/"])
def test_html_responses_carry_security_headers(client, people, path):
    sign_in(client, people["admin"])
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'", "script-src 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_hsts_when_served_over_https(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "max-age" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_session_cookie_is_httponly_and_lax_and_rotates_at_sign_in(client, people):
    client.get("/login")
    before = form_token(client)
    response = sign_in(client, people["member"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with client.session_transaction() as session:
        assert session["csrf"] != before and session["sid"]


def test_sign_out_and_disabling_end_the_session(app, client, people):
    sign_in(client, people["editor"])
    assert client.get("/programs/own-program/edit").status_code == 200
    client.post("/logout", data={"csrf_token": form_token(client)})
    assert client.get("/programs/own-program/edit").status_code == 302
    sign_in(client, people["editor"])
    db = Database(app.config["DATABASE"])
    user = db.accounts.find_user(people["editor"])
    with db.write():
        db.accounts.update_user(user["id"], status="disabled")
        db.accounts.end_sessions(user["id"])
    db.close()
    assert client.get("/programs/own-program/edit").status_code == 302


def test_sign_in_is_rate_limited_per_account(app, client, people):
    for _ in range(app.config["ATLAS_LOGIN_LIMIT_ACCOUNT"]):
        assert sign_in(client, people["member"], "wrong password").status_code == 401
    assert sign_in(client, people["member"], "wrong password").status_code == 429
    assert sign_in(client, people["member"]).status_code == 429  # even the right one, until it cools down


def test_sign_in_is_rate_limited_per_address(app, client, people):
    app.config["ATLAS_LOGIN_LIMIT_ADDRESS"] = 3
    for n in range(3):
        sign_in(client, f"nobody{n}@example.org", "wrong password")
    assert sign_in(client, "someone-else@example.org", "wrong password").status_code == 429


def test_the_limit_is_shared_by_every_worker(app, people):
    """Counted in the database, not in memory: a second app (another worker) sees the attempts."""
    from app import create_app

    first, second = app.test_client(), create_app({"ATLAS_INSTANCE_PATH": app.instance_path}).test_client()
    for client in (first, second) * 2 + (first,):
        sign_in(client, people["member"], "wrong password")
    assert sign_in(second, people["member"], "wrong password").status_code == 429


def test_errors_are_friendly_pages_never_traces(client, people):
    sign_in(client, people["editor"])
    response = client.get("/programs/nothing/edit")
    assert response.status_code == 404 and "Traceback" not in response.get_data(as_text=True)
    big = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert big.status_code == 413


def test_session_cookie_is_secure_when_served_over_https(tmp_path):
    from app import create_app

    app = create_app({"ATLAS_INSTANCE_PATH": str(tmp_path / "instance"), "ATLAS_HTTPS": 1})
    response = app.test_client().get("/login", base_url="https://localhost")  # the form starts a session
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie

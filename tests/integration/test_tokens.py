"""Personal API tokens: a partner's system acts as a person through the API, with a token that is
shown once, stored hashed, revocable, and refused with 401 the moment it stops being valid."""

import json
import re
from pathlib import Path

import pytest

from app.accounts import tokens
from app.db import Database

from ..support.accounts import form_token, sign_in

TOKEN_IN_PAGE = re.compile(r"atlas_[A-Za-z0-9_-]{43}")


def make_token(client, name="Case management system"):
    """Make a token on the tokens page, as a signed-in person does; returns (token, page)."""
    response = client.post("/account/tokens", data={"name": name, "csrf_token": form_token(client)})
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return TOKEN_IN_PAGE.search(page).group(0), page


def editor_token(client, people):
    sign_in(client, people["editor"])
    token, _page = make_token(client)
    return token


def patch_seats(client, seats, headers):
    return client.patch("/api/programs/own-program", data=json.dumps({"version": 1, "changes": {"seats": seats}}),
                        headers={"Content-Type": "application/json", **headers})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def token_rows(app):
    with Database(app.config["DATABASE"]) as db:
        return db.connection.query("SELECT * FROM api_tokens ORDER BY id")


def audit_rows(app, entity="api_token"):
    with Database(app.config["DATABASE"]) as db:
        return db.connection.query("SELECT * FROM audit_log WHERE entity = ? ORDER BY id", [entity])


def test_a_new_token_is_shown_once_and_then_only_listed_by_name(client, people):
    sign_in(client, people["editor"])
    token, page = make_token(client, "Our case system")
    assert token in page and "Authorization: Bearer" in page
    assert "only time the token is shown" in page
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Our case system" in listing and "Never" in listing
    assert token not in listing and not TOKEN_IN_PAGE.search(listing)


def test_a_token_needs_a_name_and_the_error_names_the_field(client, people):
    sign_in(client, people["editor"])
    response = client.post("/account/tokens", data={"name": "  ", "csrf_token": form_token(client)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Token name: enter a name for the token" in page
    assert 'aria-invalid="true"' in page and not TOKEN_IN_PAGE.search(page)
    assert token_rows(client.application) == []


def test_visitors_are_sent_to_sign_in(client, people):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_account_area_links_to_the_tokens_page(client, people):
    assert "API tokens" not in client.get("/").get_data(as_text=True)
    sign_in(client, people["member"])
    assert 'href="/account/tokens"' in client.get("/").get_data(as_text=True)


def test_an_editor_system_changes_a_listing_by_token_without_csrf_and_it_is_attributed(app, client, people):
    token = editor_token(client, people)
    system = app.test_client()  # a partner's system: no cookie, no CSRF token, only the token
    response = patch_seats(system, "30", bearer(token))
    assert response.status_code == 200 and response.get_json()["seats"] == 30
    assert "Set-Cookie" not in response.headers
    entry = audit_rows(app, "program")[-1]
    with Database(app.config["DATABASE"]) as db:
        editor = db.accounts.find_user(people["editor"])
    assert entry["who"] == f"user:{editor['id']}" and entry["user_id"] == editor["id"]
    assert json.loads(entry["changes"])["seats"][1] in (30, "30")


def test_a_token_is_refused_where_its_owner_may_not_edit(app, client, people):
    token = editor_token(client, people)
    response = app.test_client().patch("/api/programs/other-program", data=json.dumps(
        {"version": 1, "changes": {"seats": "30"}}), headers={"Content-Type": "application/json", **bearer(token)})
    assert response.status_code == 403


def test_a_cookie_session_still_needs_its_csrf_token(client, people):
    sign_in(client, people["editor"])
    assert patch_seats(client, "30", {}).status_code == 400
    assert client.get("/api/programs/own-program").get_json()["seats"] == 20
    assert patch_seats(client, "30", {"X-CSRF-Token": form_token(client)}).status_code == 200


@pytest.mark.parametrize("header", [
    "Bearer atlas_" + "A" * 43,  # well formed, but never issued
    "Bearer not-a-token",
    "Bearer ",
    "Bearer",
    "bearer atlas_x y",
])
def test_a_bad_or_malformed_token_gets_401_json_and_changes_nothing(app, client, people, header):
    sign_in(client, people["editor"])  # a signed-in cookie does not rescue a bad token
    response = client.patch("/api/programs/own-program", data=json.dumps({"version": 1, "changes": {"seats": "30"}}),
                            headers={"Content-Type": "application/json", "Authorization": header,
                                     "X-CSRF-Token": form_token(client)})
    assert response.status_code == 401 and response.is_json
    assert response.get_json()["error"]["code"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers
    assert client.get("/api/programs/own-program").get_json()["seats"] == 20


def test_a_bad_token_is_refused_even_for_reading_public_data(client, people):
    response = client.get("/api/programs/own-program", headers=bearer("atlas_" + "B" * 43))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"


def test_a_bearer_header_on_a_page_is_ignored_and_another_scheme_on_the_api_too(client, people):
    assert client.get("/programs", headers=bearer("nonsense")).status_code == 200
    assert client.get("/api/programs/own-program", headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 200


def test_a_revoked_token_stops_working_at_once(app, client, people):
    token = editor_token(client, people)
    system = app.test_client()
    assert system.get("/api/programs/own-program", headers=bearer(token)).status_code == 200
    token_id = token_rows(app)[0]["id"]
    response = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": form_token(client)},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "is revoked" in page and "Revoked on" in page
    refused = patch_seats(system, "30", bearer(token))
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "invalid_token"


def test_a_disabled_persons_token_is_refused(app, client, people):
    token = editor_token(client, people)
    with Database(app.config["DATABASE"]) as db, db.write():
        editor = db.accounts.find_user(people["editor"])
        db.accounts.update_user(editor["id"], status="disabled")
    response = patch_seats(app.test_client(), "30", bearer(token))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"


def test_nobody_revokes_someone_elses_token(app, client, people):
    token = editor_token(client, people)
    token_id = token_rows(app)[0]["id"]
    admin = app.test_client()
    sign_in(admin, people["admin"])
    response = admin.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": form_token(admin)})
    assert response.status_code == 404
    assert token_rows(app)[0]["revoked_at"] is None
    assert app.test_client().get("/api/programs/own-program", headers=bearer(token)).status_code == 200
    assert [row["action"] for row in audit_rows(app)] == ["create"]


def test_revoking_needs_the_csrf_token(app, client, people):
    editor_token(client, people)
    token_id = token_rows(app)[0]["id"]
    assert client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": "forged"}).status_code == 400
    assert token_rows(app)[0]["revoked_at"] is None


def test_making_and_revoking_are_audited_without_the_token(app, client, people):
    token = editor_token(client, people)
    row = token_rows(app)[0]
    client.post(f"/account/tokens/{row['id']}/revoke", data={"csrf_token": form_token(client)})
    entries = audit_rows(app)
    assert [e["action"] for e in entries] == ["create", "revoke"]
    assert all(e["entity_id"] == str(row["id"]) and e["who"] == f"user:{row['user_id']}" for e in entries)
    assert json.loads(entries[0]["changes"])["name"] == ["", "Case management system"]
    for entry in entries:
        assert token not in entry["changes"] and row["token_hash"] not in entry["changes"]


def test_tokens_are_stored_only_as_a_digest(app, client, people):
    token = editor_token(client, people)
    row = token_rows(app)[0]
    assert row["token_hash"] == tokens.digest(token) != token
    with Database(app.config["DATABASE"]) as db:
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [Path(app.config["DATABASE"] + suffix) for suffix in ("", "-wal")]
    stored = b"".join(path.read_bytes() for path in files if path.exists())
    assert token.encode() not in stored and row["token_hash"].encode() in stored


def test_last_used_is_recorded_at_most_once_a_minute(app, client, people):
    token = editor_token(client, people)
    system = app.test_client()
    system.get("/api/programs/own-program", headers=bearer(token))
    first = token_rows(app)[0]["last_used"]
    assert first is not None
    with Database(app.config["DATABASE"]) as db, db.write():
        db.connection.execute("UPDATE api_tokens SET last_used = ?", ["2000-01-01T00:00:00+00:00"])
    system.get("/api/programs/own-program", headers=bearer(token))
    assert token_rows(app)[0]["last_used"] > "2000-01-01T00:00:00+00:00"
    stamped = token_rows(app)[0]["last_used"]
    system.get("/api/programs/own-program", headers=bearer(token))
    assert token_rows(app)[0]["last_used"] == stamped


def test_a_token_request_ignores_the_cookie_and_sets_none(app, client, people):
    token = editor_token(client, people)
    member = app.test_client()
    sign_in(member, people["member"])  # the member's cookie comes along, but the token decides
    response = patch_seats(member, "30", bearer(token))
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_create_token_command_prints_a_working_token(app, runner, people):
    result = runner.invoke(args=["create-token", people["editor"], "--name", "Nightly sync"])
    assert result.exit_code == 0, result.output
    token = TOKEN_IN_PAGE.search(result.output).group(0)
    assert "will not be shown again" in result.output
    assert patch_seats(app.test_client(), "30", bearer(token)).status_code == 200
    entry = audit_rows(app)[0]
    assert entry["who"] == "command:create-token" and token not in entry["changes"]
    assert token_rows(app)[0]["name"] == "Nightly sync"


@pytest.mark.parametrize("email", ["nobody@example.org", "disabled"])
def test_create_token_command_refuses_an_unknown_or_disabled_account(app, runner, people, email):
    if email == "disabled":
        email = people["member"]
        with Database(app.config["DATABASE"]) as db, db.write():
            db.accounts.update_user(db.accounts.find_user(email)["id"], status="disabled")
    result = runner.invoke(args=["create-token", email])
    assert result.exit_code == 1 and f"There is no active account for {email}." in result.output
    assert token_rows(app) == []


def test_the_openapi_file_describes_both_ways_to_sign_requests(client):
    schemes = client.get("/api/openapi.json").get_json()["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["cookieSession"]["in"] == "cookie" and "X-CSRF-Token" in schemes["cookieSession"]["description"]

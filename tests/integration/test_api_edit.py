"""Changing a listing through the API: the same rules as the edit page, and a stale version is
refused with 409 and the saves made since, never merged."""

import json

import pytest

from ..support.accounts import form_token, sign_in


def patch(client, body, program_id="own-program"):
    return client.patch(f"/api/programs/{program_id}", data=json.dumps(body),
                        headers={"Content-Type": "application/json", "X-CSRF-Token": form_token(client)})


def test_an_editor_changes_a_field_and_gets_the_new_version(client, people):
    sign_in(client, people["editor"])
    response = patch(client, {"version": 1, "changes": {"seats": "30"}})
    assert response.status_code == 200
    assert response.get_json()["seats"] == 30 and response.get_json()["version"] == 2
    assert client.get("/api/programs/own-program").get_json()["seats"] == 30


def test_a_stale_version_is_refused_with_what_changed_meanwhile(app, client, people):
    sign_in(client, people["editor"])
    other = app.test_client()
    sign_in(other, people["admin"])
    assert patch(other, {"version": 1, "changes": {"eligibility": "Toronto residents."}}).status_code == 200
    refused = patch(client, {"version": 1, "changes": {"seats": "30"}})
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["error"]["field"] == "version" and body["current_version"] == 2
    assert body["changed_meanwhile"][0]["changes"]["eligibility"][1] == "Toronto residents."
    assert body["changed_meanwhile"][0]["who"] == "Own admin"
    assert client.get("/api/programs/own-program").get_json()["seats"] == 20


@pytest.mark.parametrize("body, field", [
    ({"version": 1, "changes": {"seats": "many"}}, "seats"),
    ({"version": 1, "changes": {"verification": "confirmed"}}, "verification"),  # an editor may not
    ({"version": 1, "changes": {"seats": 30}}, "seats"),
    ({"version": "1", "changes": {"seats": "30"}}, "version"),
    ({"version": 1, "changes": {}}, "changes"),
    ([], None),
])
def test_bad_changes_are_refused_naming_the_field(client, people, body, field):
    sign_in(client, people["editor"])
    response = patch(client, body)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field
    assert client.get("/api/programs/own-program").get_json()["version"] == 1


def test_only_people_who_may_edit_can_patch(app, client, people):
    anonymous = patch(client, {"version": 1, "changes": {"seats": "30"}})
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]["code"] == "unauthorized"
    sign_in(client, people["member"])
    assert patch(client, {"version": 1, "changes": {"seats": "30"}}).status_code == 403
    sign_in(client, people["editor"])
    assert patch(client, {"version": 1, "changes": {"seats": "30"}}, "other-program").status_code == 403


def test_a_save_answers_with_the_version_it_wrote_even_when_another_follows_at_once(app, client, people,
                                                                                  monkeypatch):
    """Another editor's save lands between this save's commit and its answer: the answer is
    still this save's own version and values."""
    from app import search
    from app.db import Database
    from app.db.audit import process_actor

    sign_in(client, people["editor"])
    catch_up = search.after_commit

    def another_save_lands_first(app_, db, timeout=None):
        monkeypatch.setattr(search, "after_commit", catch_up)
        with Database(app.config["DATABASE"]) as other, other.write():
            program = other.catalog.get_program("own-program")
            other.catalog.save_program(dict(program, seats=45), expected_version=program["version"])
            other.audit.record(process_actor("test"), "edit", "program", "own-program", {"seats": [30, 45]})
        return catch_up(app_, db, timeout)

    monkeypatch.setattr(search, "after_commit", another_save_lands_first)
    answer = patch(client, {"version": 1, "changes": {"seats": "30"}}).get_json()
    assert answer["version"] == 2 and answer["seats"] == 30
    assert client.get("/api/programs/own-program").get_json()["version"] == 3


def test_a_version_too_large_for_the_database_is_refused_naming_it(client, people):
    sign_in(client, people["editor"])
    response = patch(client, {"version": 2 ** 63, "changes": {"seats": "30"}})
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "version"


def test_json_nested_too_deeply_is_a_bad_request_on_every_json_route(app, client, people, caplog):
    sign_in(client, people["editor"])
    nested = "[" * 100_000 + "]" * 100_000
    routes = [(rule.rule, method) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in sorted(rule.methods & {"POST", "PATCH"})]
    assert routes
    for rule, method in routes:
        path = rule.replace("<program_id>", "own-program").replace("<referral_id>", "1")
        response = client.open(path, method=method, data=nested, headers={
            "Content-Type": "application/json", "X-CSRF-Token": form_token(client)})
        assert 400 <= response.status_code < 500, (path, response.status_code)
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text


def test_search_answers_503_while_the_index_is_missing(app, client):
    import os

    os.unlink(os.path.join(app.instance_path, "index"))
    for path in ("/api/programs", "/programs"):
        response = client.get(path)
        assert response.status_code == 503 and response.headers["Retry-After"]
    assert client.get("/api/programs").get_json()["error"]["code"] == "index_unavailable"


def test_a_method_an_api_address_does_not_take_is_answered_with_what_it_takes(client):
    response = client.delete("/api/programs")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.get_json()["error"]["code"] == "method_not_allowed"

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

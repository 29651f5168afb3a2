"""Who can reach a referral, route by route and person by person, through pages and the API:
only the two organizations' members; everyone else learns nothing, not even that it exists."""

import itertools

import pytest

from app.db import Database

from ..support.accounts import form_token, sign_in
from ..support.referral_world import PEOPLE, PROGRAMS, add_people, api_body, email_of, send_page

PARTIES = {"sender", "sender_editor", "receiver", "receiver_editor"}
OUTSIDERS = ("visitor", "third", "convenor", "admin")
# (method, path template, kind): kind says what a party gets.
ROUTES = [
    ("GET", "/referrals/{id}", "page"),
    ("POST", "/referrals/{id}/move", "page-post"),
    ("POST", "/referrals/{id}/outcome", "page-post"),
    ("POST", "/referrals/{id}/feedback", "page-post"),
    ("POST", "/referrals/{id}/withdraw-consent", "page-post"),
    ("GET", "/referrals/new?parent={id}", "onward"),
    ("GET", "/api/referrals/{id}", "api"),
    ("POST", "/api/referrals/{id}/transitions", "api-post"),
    ("POST", "/api/referrals/{id}/outcome", "api-post"),
    ("POST", "/api/referrals/{id}/feedback", "api-post"),
    ("POST", "/api/referrals/{id}/withdraw-consent", "api-post"),
]
PEOPLE_AND_VISITOR = ("visitor", *PEOPLE)
MATRIX = list(itertools.product(ROUTES, PEOPLE_AND_VISITOR))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One referral between two organizations, and a signed-in client per person (made once:
    signing in hashes passwords, the slow part)."""
    from app import create_app
    from ..support.rows import csv_text

    folder = tmp_path_factory.mktemp("referral-access")
    app = create_app({"ATLAS_INSTANCE_PATH": str(folder / "instance"), "TESTING": True})
    path = folder / "programs.csv"
    path.write_text(csv_text(PROGRAMS))
    assert app.test_cli_runner().invoke(args=["import-programs", str(path)]).exit_code == 0
    add_people(app)
    clients = {"visitor": app.test_client()}
    for name in PEOPLE:
        clients[name] = app.test_client()
        sign_in(clients[name], email_of(name))
    referral_id, withdrawn_id = (int(send_page(clients["sender"]).headers["Location"].rsplit("/", 1)[1])
                                 for _ in range(2))
    return app, clients, {"main": referral_id, "withdrawal": withdrawn_id}


def _request(client, method, path):
    if method == "GET":
        return client.get(path)
    if path.startswith("/api/"):
        return client.post(path, json={"status": "entered-in-error-not-a-status"},
                           headers={"X-CSRF-Token": form_token(client)})
    return client.post(path, data={"csrf_token": form_token(client), "status": "not-a-status"})


@pytest.mark.parametrize("route,person", MATRIX, ids=[f"{r[1]}-{p}" for r, p in MATRIX])
def test_only_the_two_organizations_reach_a_referral(world, route, person):
    app, clients, referrals = world
    method, template, kind = route
    withdrawal = template.endswith("withdraw-consent")
    # Withdrawing consent is a real change the sender may make: it goes to a referral of its own.
    path = template.format(id=referrals["withdrawal" if withdrawal else "main"])
    if withdrawal and person in ("sender", "sender_editor"):
        # The API's first call withdraws and the next is told; the page asks to confirm first.
        expected = {409, 200} if path.startswith("/api/") else {400}
    elif kind == "onward" and person in ("sender", "sender_editor"):
        expected = {404}  # only the receiver refers its client onward
    elif person in PARTIES:
        expected = {200} if method == "GET" else {400, 403, 409}  # reached it; the bad change is refused
    elif person == "visitor":
        expected = {401} if path.startswith("/api/") else {302}
    elif kind == "onward" and person in ("convenor", "admin"):
        expected = {403}  # they cannot refer at all
    else:
        expected = {404}
    response = _request(clients[person], method, path)
    assert response.status_code in expected
    if person not in PARTIES:
        assert b"CL-2026-014" not in response.data and b"forklift" not in response.data


def test_the_refused_changes_changed_nothing(world):
    app, _, referrals = world
    with Database(app.config["DATABASE"]) as db:
        referral = db.referrals.get(referrals["main"])
    assert (referral["status"], referral["version"], referral["outcome"], referral["fit_rating"]) == (
        "requested", 1, None, None)


@pytest.mark.parametrize("person", PEOPLE_AND_VISITOR)
def test_lists_show_a_referral_only_to_its_two_organizations(world, person):
    _, clients, _ = world
    client = clients[person]
    pages = [client.get("/referrals?box=incoming"), client.get("/referrals?box=outgoing")]
    api = [client.get("/api/referrals?box=incoming"), client.get("/api/referrals?box=outgoing")]
    shown = any(b"CL-2026-014" in response.data for response in pages + api)
    assert shown == (person in PARTIES)
    if person in ("convenor", "admin"):
        assert sum(api[0].get_json()["counts"].values()) == 2


def test_the_matrix_covers_every_route_about_one_referral(world):
    """A route added for one referral without a row here fails this test."""
    app = world[0]
    about_one = {rule.rule.replace("<referral_id>", "{id}") for rule in app.url_map.iter_rules()
                 if "<referral_id>" in rule.rule}
    assert about_one <= {template.split("?")[0] for _, template, _ in ROUTES}


def test_convenors_cannot_send_referrals(world):
    _, clients, _ = world
    response = clients["convenor"].post("/api/referrals", json=api_body(),
                                        headers={"X-CSRF-Token": form_token(clients["convenor"])})
    assert response.status_code == 403

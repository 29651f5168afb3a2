"""An editor keeping a listing true through a form made for people: sections, proper controls,
problems named and linked, sites and service areas without codes, a history in words; and an
administrator who lands where the waiting accounts are."""

import html
import re
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from app.catalog.validation import validate_site
from app.db import Database
from app.geo.postcodes import locate

from ..support.accounts import form_token, sign_in
from ..support.forms import form_fields, value_of, with_value
from ..support.rows import program_row

EDIT = "/programs/own-program/edit"


class _VisibleText(HTMLParser):
    """The words a person sees: text outside scripts and templates, never attribute values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden, self.words = 0, []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "template", "style")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "template", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.words.append(data)


def visible(page):
    reader = _VisibleText()
    reader.feed(page)
    return " ".join(" ".join(reader.words).split())


def load(client, path=EDIT):
    return form_fields(client.get(path).get_data(as_text=True), path)


def save(client, fields, path=EDIT, **options):
    return client.post(path, data=MultiDict(fields), **options)


def without(fields, name):
    return [(n, v) for n, v in fields if n != name]


def with_all(fields, name, values):
    """The submission with every value of ``name`` replaced: check boxes ticked, blocks filled."""
    return without(fields, name) + [(name, value) for value in values]


def program(app):
    with Database(app.config["DATABASE"]) as db:
        return db.catalog.get_program("own-program")


# Rules across fields, through the importer (the rules themselves: tests/unit/test_edit_form.py).

def test_the_importer_rejects_a_row_whose_deadline_follows_its_intake(runner, write_csv):
    row = program_row(next_intake_date="2027-01-10", application_deadline="2027-02-01")
    result = runner.invoke(args=["import-programs", str(write_csv([row]))])
    assert result.exit_code == 1
    assert "application_deadline: the application deadline, 2027-02-01, is after the next intake date" in result.output


# The form.

def test_the_form_is_in_sections_with_proper_controls_and_no_codes(client, people):
    sign_in(client, people["editor"])
    page = client.get(EDIT).get_data(as_text=True)
    headings = re.findall(r'<h2 id="section-[a-z]+-title">([^<]+)</h2>', page)
    assert headings == ["About", "Who it serves", "Where", "When and how to apply", "Contact", "Provenance"]
    assert re.search(r'<input type="date" id="next_intake_date"', page)
    assert re.search(r'<input type="number" id="age_min" name="age_min" value="18" class="input-number" '
                     r'min="0" max="120"', page)
    assert re.search(r'<input type="email" id="email"', page) and re.search(r'<input type="url" id="website"', page)
    assert re.search(r'<input type="tel" id="phone"', page)
    assert re.search(r'<input type="radio" id="intake-cohort" name="intake" value="cohort" checked>', page)
    text = visible(page)
    assert "Cohorts (set start dates)" in text and "All of Toronto" in text and "Ward 7" in text
    for code in ("cohort ", "city-wide", "ward:", "neighbourhood:", "in-person", "Latitude", "Location precision"):
        assert code not in text, code
    assert 'name="latitude"' not in page and 'name="organization"' not in page


def test_languages_start_with_the_common_ones_and_those_already_offered(client, people, catalogue):
    catalogue([program_row(id="own-program", name="Own Program", organization="Own Org", organization_id="own-org",
                           languages="so;en")])
    sign_in(client, people["editor"])
    page = client.get(EDIT).get_data(as_text=True)
    offered = re.findall(r'id="languages-([a-z]+)" name="languages"', page)
    assert offered[:3] == ["en", "fr", "so"] and len(offered) == 40
    assert 'data-choice-filter="languages-list" hidden' in page  # a filter box, shown by the script


def test_a_deadline_after_the_intake_is_refused_naming_the_field_and_keeps_the_typing(app, client, people):
    sign_in(client, people["editor"])
    fields = with_value(load(client), "application_deadline", "2099-02-01")
    fields = with_value(with_value(fields, "next_intake_date", "2099-01-10"), "fee", "$20 for materials")
    refused = save(client, fields)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    summary = re.search(r'<section class="error-summary" tabindex="-1".*?</section>', page, re.S).group(0)
    assert "There is a problem" in summary
    link = re.search(r'<a href="#application_deadline">([^<]+)</a>', summary)
    assert link and html.unescape(link.group(1)).startswith("Apply by: the application deadline, 2099-02-01, is after")
    assert re.search(r'id="application_deadline" name="application_deadline" value="2099-02-01"[^>]*'
                     r'aria-describedby="application_deadline-hint application_deadline-error" aria-invalid="true"', page)
    assert 'id="application_deadline-error"' in page
    assert value_of(form_fields(page, EDIT), "fee") == "$20 for materials"
    assert program(app)["fee"] == "free" and program(app)["version"] == 1


def test_a_good_save_says_so_on_the_listing(client, people):
    sign_in(client, people["editor"])
    saved = save(client, with_value(load(client), "seats", "25"), follow_redirects=True)
    assert saved.request.path == "/programs/own-program"
    assert re.search(r'<p class="flash[^"]*" role="status">Your changes are saved.</p>', saved.get_data(as_text=True))


def test_an_organization_save_says_so_too(client, people):
    sign_in(client, people["editor"])
    path = "/organizations/own-org/edit"
    saved = save(client, with_value(load(client, path), "description", "Training since 1990."), path,
                 follow_redirects=True)
    assert saved.request.path == "/organizations/own-org"
    assert "Your changes are saved." in saved.get_data(as_text=True)


# Service area: a plain choice, stored as the same codes.

def _area(fields, scope, places):
    return with_all(with_value(fields, "service_area_scope", scope), "service_area", places)


def test_particular_wards_and_neighbourhoods_are_stored_as_their_codes(app, client, people):
    sign_in(client, people["editor"])
    assert save(client, _area(load(client), "places", ["ward:07", "neighbourhood:001"])).status_code == 302
    assert sorted(program(app)["service_area"]) == ["neighbourhood:001", "ward:07"]
    page = client.get(EDIT).get_data(as_text=True)
    assert re.search(r'id="service_area-places" name="service_area_scope" value="places"[^>]*checked', page)
    assert re.search(r'id="area-ward-07" name="service_area" value="ward:07" checked><label for="area-ward-07">Ward 7<', page)


@pytest.mark.parametrize("code, names, label", [
    ("ward:07", {"ward": {"07": "Humber River-Black Creek"}}, "Ward 7 Humber River-Black Creek"),
    ("ward:07", {}, "Ward 7"),
    ("neighbourhood:001", {"neighbourhood": {"001": "West Humber-Clairville"}}, "West Humber-Clairville"),
    ("neighbourhood:001", {}, "Neighbourhood 1"),
    ("city-wide", {}, "All of Toronto"),
])
def test_places_are_named_from_the_boundaries_when_they_are_loaded(app, code, names, label):
    from app.web.shared.listing import area_label

    with app.test_request_context():
        assert area_label(code, names) == label


def test_all_of_toronto_wins_over_wards_left_ticked(app, client, people):
    sign_in(client, people["editor"])
    save(client, _area(load(client), "places", ["ward:07"]))
    assert save(client, _area(load(client), "city-wide", ["ward:07", "ward:08"])).status_code == 302
    assert program(app)["service_area"] == ["city-wide"]


def test_an_unchanged_service_area_saves_nothing(app, client, people):
    sign_in(client, people["editor"])
    assert save(client, load(client)).status_code == 302
    assert program(app)["version"] == 1


# Sites: repeatable blocks, located from their postal code as the importer does.

def test_a_site_added_in_an_empty_block_is_located_as_the_importer_would(app, client, people):
    sign_in(client, people["editor"])
    fields = load(client)
    assert [v for n, v in fields if n == "address"][:2] == ["100 Queen St W, Toronto", ""]  # one empty block
    fields = with_all(with_all(fields, "address", ["100 Queen St W, Toronto", "5100 Yonge St"]),
                      "postal_code", ["M5H 2N2", "m2n5v7"])
    assert save(client, fields).status_code == 302
    sites = program(app)["sites"]
    _, imported, _ = validate_site({"program_id": "own-program", "address": "5100 Yonge St", "postal_code": "m2n5v7"},
                                   locate)
    assert [s["postal_code"] for s in sites] == ["M5H 2N2", "M2N 5V7"]
    assert {k: sites[1][k] for k in imported} == imported


def test_emptying_a_block_removes_that_site(app, client, people):
    sign_in(client, people["editor"])
    two = with_all(with_all(load(client), "address", ["100 Queen St W, Toronto", "5100 Yonge St"]),
                   "postal_code", ["M5H 2N2", "M2N 5V7"])
    save(client, two)
    fields = with_all(with_all(load(client), "address", ["", "5100 Yonge St", ""]), "postal_code", ["", "M2N 5V7", ""])
    assert save(client, fields).status_code == 302
    sites = program(app)["sites"]
    assert [(s["address"], s["postal_code"]) for s in sites] == [("5100 Yonge St", "M2N 5V7")]
    assert (sites[0]["latitude"], sites[0]["longitude"]) == locate("M2N 5V7")[:2]


def test_a_first_site_moved_to_another_postal_code_is_located_afresh(app, client, people):
    sign_in(client, people["editor"])
    assert save(client, with_all(load(client), "postal_code", ["M4W 2G8", ""])).status_code == 302
    site = program(app)["sites"][0]
    assert (site["latitude"], site["longitude"], site["location_precision"]) == locate("M4W 2G8")


def test_a_bad_postal_code_is_shown_at_its_block(app, client, people):
    sign_in(client, people["editor"])
    fields = with_all(with_all(load(client), "address", ["100 Queen St W, Toronto", "1 Main St"]),
                      "postal_code", ["M5H 2N2", "12345"])
    refused = save(client, fields)
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert '<a href="#site-2-postal_code">Site 2, postal code: "12345" is not a postal code' in page
    assert re.search(r'id="site-2-postal_code" name="postal_code" value="12345"[^>]*aria-invalid="true"', page)
    assert len(program(app)["sites"]) == 1


# History in words.

def _record(app, changes, at="2026-11-30T20:05:00+00:00", version=2):
    with Database(app.config["DATABASE"]) as db, db.write():
        user = db.accounts.find_user("editor@own.example.org")
        db.audit.record({"who": f"user:{user['id']}", "user_id": user["id"], "organization": "own-org"}, "edit",
                        "program", "own-program", changes, version=version, at=at)


def _history(client):
    page = client.get("/programs/own-program/history").get_data(as_text=True)
    return page, visible(page)


def test_history_leaves_out_lists_merely_saved_in_another_order(app, client, people):
    _record(app, {"populations": ["youth;newcomers", "newcomers;youth"]}, at="2020-03-01T15:00:00+00:00")
    _record(app, {"languages": ["en;fr", "fr;en"], "seats": ["20", "25"]}, at="2020-03-02T15:00:00+00:00", version=3)
    sign_in(client, people["editor"])
    page, text = _history(client)
    assert "<td>2 March 2020, 10:00 a.m.</td><td>Own editor</td><td>Seats</td><td>20</td><td>25</td>" in page
    assert text.count("2 March 2020") == 1  # the languages, merely reordered, are left out
    assert "1 March 2020" not in text  # the entry that only reordered is not shown at all


def test_history_says_what_changed_in_words_and_toronto_time(app, client, people):
    _record(app, {"service_area": ["city-wide", "ward:07;neighbourhood:001"], "delivery_mode": ["in-person", "hybrid"],
                  "intake": ["continuous", "cohort"], "next_intake_date": ["", "2027-01-10"],
                  "populations": ["youth", "youth;refugees"]})
    sign_in(client, people["editor"])
    page, text = _history(client)
    assert "<td>30 November 2026, 3:05 p.m.</td><td>Own editor</td>" in page
    assert "<td>Service area</td><td>All of Toronto</td><td>Ward 7, Neighbourhood 1</td>" in page
    assert "<td>Delivery</td><td>In person</td><td>Hybrid</td>" in page
    assert ("<td>Intake</td><td>Continuous intake: people can start at any time</td>"
            "<td>Cohorts (set start dates)</td>") in page
    assert "<td>Next intake</td><td></td><td>10 January 2027</td>" in page
    assert "<td>Who it serves</td><td>Youth</td><td>Youth, Refugees</td>" in page
    for code in ("city-wide", "ward:07", "in-person", "2027-01-10", "T20:05"):
        assert code not in text, code


def test_what_a_person_wrote_is_escaped_in_the_history(app, client, people):
    _record(app, {"fee": ["free", "<script>alert(1)</script>"]})
    sign_in(client, people["editor"])
    page, _ = _history(client)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Administrators.

def _pending(app, **account):
    with Database(app.config["DATABASE"]) as db, db.write():
        return db.accounts.add_user({"email": "new@example.org", "name": "Nia New", "password_hash": "x",
                                     "role": "member", "organization_id": "own-org", "status": "pending",
                                     "created": "2026-11-30T20:05:00+00:00", **account})


def test_an_administrator_lands_on_the_waiting_accounts(client, people):
    assert sign_in(client, people["admin"]).headers["Location"] == "/admin/"


@pytest.mark.parametrize("role, landing", [("editor", "/"), ("member", "/")])
def test_everyone_else_lands_on_the_home_page(client, people, role, landing):
    assert sign_in(client, people[role]).headers["Location"] == landing


def test_an_administrator_asked_to_sign_in_returns_to_the_page(client, people):
    data = {"email": people["admin"], "password": "a long enough passphrase", "next": "/programs/own-program/edit",
            "csrf_token": form_token(client)}
    assert client.post("/login", data=data).headers["Location"] == "/programs/own-program/edit"


def test_requests_show_the_organization_and_date_not_ids(app, client, people):
    _pending(app)
    sign_in(client, people["admin"])
    text = visible(client.get("/admin/").get_data(as_text=True))
    assert "Nia New" in text and "new@example.org" in text and "Own Org" in text
    assert "30 November 2026, 3:05 p.m." in text
    assert "own-org" not in text


def test_the_approval_form_has_no_role_chosen(app, client, people):
    user_id = _pending(app)
    sign_in(client, people["admin"])
    page = client.get("/admin/").get_data(as_text=True)
    form = re.search(rf'<form method="post" action="/admin/users/{user_id}/approve".*?</form>', page, re.S).group(0)
    assert "selected" not in form and '<option value="">Choose a role</option>' in form


def test_approving_without_a_role_is_refused_with_a_clear_error(app, client, people):
    user_id = _pending(app)
    sign_in(client, people["admin"])
    refused = client.post(f"/admin/users/{user_id}/approve", data={"version": "1", "csrf_token": form_token(client)})
    assert refused.status_code == 400
    page = html.unescape(refused.get_data(as_text=True))
    assert f'<a href="#role-{user_id}">Choose a role for Nia New before approving the account.</a>' in page
    assert f'aria-invalid="true" aria-describedby="role-{user_id}-error"' in page
    with Database(app.config["DATABASE"]) as db:
        assert db.accounts.get_user(user_id)["status"] == "pending"
    approved = client.post(f"/admin/users/{user_id}/approve",
                           data={"role": "editor", "version": "1", "csrf_token": form_token(client)})
    assert approved.status_code == 302

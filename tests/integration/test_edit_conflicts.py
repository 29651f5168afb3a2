"""Two people editing one listing: nothing either of them saved is lost, and nothing is
overwritten silently. A save based on an older version is refused with what changed meanwhile,
and the form keeps what the person typed."""

import html

from app.db import Database

from ..support.accounts import form_token, sign_in
from ..support.forms import form_fields, value_of, with_value

EDIT = "/programs/own-program/edit"


def load(client):
    """What a browser tab holds after opening the edit form."""
    return form_fields(client.get(EDIT).get_data(as_text=True), EDIT)


def save(client, fields):
    return client.post(EDIT, data=_multi(fields))


def _multi(fields):
    from werkzeug.datastructures import MultiDict

    return MultiDict(fields)


def program(app):
    with Database(app.config["DATABASE"]) as db:
        return db.catalog.get_program("own-program")


def test_a_stale_form_cannot_revert_another_editors_change(app, two_editors):
    """A changes the eligibility, then B (who opened the form earlier) changes the description."""
    client, b = two_editors
    a_form, b_form = load(client), load(b)

    assert save(client, with_value(a_form, "eligibility", "Toronto residents aged 18 to 29.")).status_code == 302
    refused = save(b, with_value(b_form, "description", "Twelve weeks of cloud support training."))

    assert refused.status_code == 409
    page = html.unescape(refused.get_data(as_text=True))
    assert "Someone else saved this listing while you were editing it" in page
    assert "Toronto residents aged 18 to 29." in page  # what changed meanwhile, and its current value
    review = form_fields(refused.get_data(as_text=True), EDIT)
    assert value_of(review, "description") == "Twelve weeks of cloud support training."  # B's typing kept
    assert value_of(review, "eligibility") == "Toronto residents aged 18 to 29."  # A's change shown
    assert program(app)["description"] != "Twelve weeks of cloud support training."  # nothing of B's saved yet

    assert save(b, review).status_code == 302  # B checks the form and saves again
    saved = program(app)
    assert saved["eligibility"] == "Toronto residents aged 18 to 29."
    assert saved["description"] == "Twelve weeks of cloud support training."
    with Database(app.config["DATABASE"]) as db:
        edits = [e["changes"] for e in db.audit.history("program", "own-program") if e["action"] == "edit"]
    assert edits == [{"description": [program_row_description(), "Twelve weeks of cloud support training."]},
                     {"eligibility": ["Ontario resident, not in full-time school.", "Toronto residents aged 18 to 29."]}]


def program_row_description():
    from ..support.rows import program_row

    return program_row()["description"]


def test_when_both_changed_the_same_field_the_form_says_so(app, two_editors):
    client, b = two_editors
    a_form, b_form = load(client), load(b)
    save(client, with_value(a_form, "seats", "25"))
    refused = save(b, with_value(b_form, "seats", "30"))
    assert refused.status_code == 409
    page = html.unescape(refused.get_data(as_text=True))
    assert "You both changed Seats: your value is the one in the form." in page
    assert value_of(form_fields(refused.get_data(as_text=True), EDIT), "seats") == "30"
    assert program(app)["seats"] == 25


def test_saving_a_form_unchanged_records_nothing_even_if_lists_come_back_reordered(app, client, people):
    sign_in(client, people["editor"])
    fields = load(client)
    populations = [(n, v) for n, v in fields if n == "populations" and v]
    reordered = [(n, v) for n, v in fields if n != "populations"] + populations[::-1]
    assert len(populations) == 2
    assert save(client, reordered).status_code == 302
    with Database(app.config["DATABASE"]) as db:
        assert [e["action"] for e in db.audit.history("program", "own-program")] == ["import"]
        assert db.catalog.get_program("own-program")["version"] == 1


def test_a_form_cut_short_in_transit_changes_nothing(app, client, people):
    sign_in(client, people["editor"])
    fields = load(client)
    cut = fields[: len(fields) // 2]  # the second half never arrived
    response = save(client, cut)
    assert response.status_code == 400 and "arrived incomplete" in response.get_data(as_text=True)
    assert program(app)["eligibility"] == "Ontario resident, not in full-time school."


def test_a_listing_changed_since_it_was_read_is_not_confirmed_unseen(app, client, people):
    sign_in(client, people["editor"])
    confirm_form = form_fields(client.get("/programs/own-program").get_data(as_text=True), "/confirm")
    other = app.test_client()
    sign_in(other, people["admin"])
    assert save(other, with_value(load(other), "seats", "21")).status_code == 302
    refused = client.post("/programs/own-program/confirm", data=_multi(confirm_form), follow_redirects=True)
    assert "Someone changed this listing since you opened it" in html.unescape(refused.get_data(as_text=True))
    assert program(app)["verification"] == "compiled" and program(app)["seats"] == 21
    fresh = form_fields(client.get("/programs/own-program").get_data(as_text=True), "/confirm")
    client.post("/programs/own-program/confirm", data=_multi(fresh))
    assert program(app)["verification"] == "confirmed"


def test_renaming_an_organization_from_a_stale_form_is_refused(app, two_editors):
    client, b = two_editors
    path = "/organizations/own-org/edit"
    a_form = form_fields(client.get(path).get_data(as_text=True), path)
    b_form = form_fields(b.get(path).get_data(as_text=True), path)
    assert client.post(path, data=_multi(with_value(a_form, "name", "Own Org North"))).status_code == 302
    refused = b.post(path, data=_multi(with_value(b_form, "name", "Own Org South")))
    assert refused.status_code == 409
    assert "Own Org North" in html.unescape(refused.get_data(as_text=True))
    with Database(app.config["DATABASE"]) as db:
        assert db.catalog.get_organization("own-org")["name"] == "Own Org North"


def as_browser_sends(fields):
    """Browsers send a text area's line breaks as CRLF."""
    return [(name, value.replace("\n", "\r\n")) for name, value in fields]


def test_a_stale_form_keeps_sites_someone_else_added(app, two_editors):
    client, b = two_editors
    two = "5100 Yonge St | M2N 5V7\n789 Yonge St | M4W 2G8"
    assert save(client, as_browser_sends(with_value(load(client), "further_sites", two))).status_code == 302
    a_form, b_form = load(client), load(b)
    three = two + "\n100 Queen St W | M5H 2N2"
    assert save(b, as_browser_sends(with_value(b_form, "further_sites", three))).status_code == 302
    refused = save(client, as_browser_sends(with_value(a_form, "fee", "$10 materials fee")))
    assert refused.status_code == 409
    assert "You both changed" not in refused.get_data(as_text=True)  # only the fee was A's
    review = form_fields(refused.get_data(as_text=True), EDIT)
    assert save(client, as_browser_sends(review)).status_code == 302
    saved = program(app)
    assert saved["fee"] == "$10 materials fee" and len(saved["sites"]) == 4


def test_saving_an_untouched_multi_line_description_records_nothing(app, client, people, catalogue):
    from ..support.rows import program_row

    catalogue([program_row(id="own-program", name="Own Program", organization="Own Org", organization_id="own-org",
                           description="First line.\nSecond line.")])
    sign_in(client, people["editor"])
    assert save(client, as_browser_sends(load(client))).status_code == 302
    with Database(app.config["DATABASE"]) as db:
        assert [e["action"] for e in db.audit.history("program", "own-program")] == ["import", "import"]

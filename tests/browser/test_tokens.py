"""Making, using and revoking a personal API token in a real browser, checked by axe."""

import json
import urllib.error
import urllib.request

import pytest

from ..support.accounts import PASSWORD
from .conftest import axe_violations

pytestmark = pytest.mark.browser


def api_status(base, token):
    """What the partner's system gets when it reads a listing with the token."""
    request = urllib.request.Request(base + "/api/programs/own-program", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_person_makes_uses_and_revokes_a_token(live_server, axe_page, people):
    page = axe_page
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(people["editor"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="API tokens").click()
    assert page.get_by_text("You have no API tokens yet.").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Make a token").click()  # no name: the field says what is missing
    assert page.get_by_label("Token name").evaluate("element => element.validity.valueMissing")
    page.get_by_label("Token name").fill("Case system")
    page.get_by_role("button", name="Make a token").click()
    shown = page.get_by_label("Token (copy it now)")
    assert shown.evaluate("element => element === document.activeElement")
    token = shown.input_value()
    assert token.startswith("atlas_")
    assert axe_violations(page) == []
    assert api_status(live_server, token)[0] == 200

    page.goto(live_server + "/account/tokens")
    assert token not in page.content()
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Case system"))
    assert card.get_by_text("Active").is_visible()
    card.get_by_role("button", name="Revoke “Case system”").click()
    assert page.get_by_role("status").filter(has_text="The token “Case system” is revoked").is_visible()
    assert card.get_by_text("Revoked on").is_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})  # a narrow phone: nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    status, body = api_status(live_server, token)
    assert status == 401 and body["error"]["code"] == "invalid_token"
    assert page.errors == []

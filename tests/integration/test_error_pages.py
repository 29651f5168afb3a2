"""Someone who follows a dead link, sends a form twice or meets a fault still lands in the atlas:
its header, a plain explanation and a way on, never the server's stock page or a trace. The API
answers the same faults in JSON."""

import re

import pytest
from flask import flash, redirect, request

from app.web.shared import errors

from ..support.accounts import sign_in

STOCK_WORDING = (
    "The requested URL was not found on the server",
    "The method is not allowed for the requested URL",
    "The data value transmitted exceeds the capacity limit",
    "The server encountered an internal error",
    "You don't have the permission to access the requested resource",
    "The browser (or proxy) sent a request that this server could not understand",
    "<h1>Not Found</h1>",
    "Traceback",
)


def title(page):
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def assert_friendly(page):
    for stock in STOCK_WORDING:
        assert stock not in page, stock
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert title(page).endswith(" · Toronto Workforce Atlas")


@pytest.fixture
def failing_app(app):
    """The test app with a page and an API route that fail the way a bug would."""

    def broken():
        raise RuntimeError("secret detail from deep inside")

    def needs_a_parameter():
        return request.args["missing"]

    app.add_url_rule("/broken", "broken", broken)
    app.add_url_rule("/api/broken", "api_broken", broken)
    app.add_url_rule("/needs-a-parameter", "needs_a_parameter", needs_a_parameter)
    return app


def test_a_dead_link_lands_on_a_friendly_page_in_the_layout(client):
    response = client.get("/no/such/page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<h1>We can't find that page</h1>" in page
    assert title(page) == "Page not found · Toronto Workforce Atlas"
    assert re.search(r'<form[^>]*role="search"[^>]*action="/programs"', page)
    for link in ('href="/"', 'href="/programs"', 'href="/organizations"'):
        assert link in page
    assert "/no/such/page" not in page  # the explanation is the same whatever was typed
    assert_friendly(page)


def test_a_missing_program_keeps_its_own_explanation_inside_the_friendly_page(client):
    page = client.get("/programs/gone-away").get_data(as_text=True)
    assert "We can't find that page" in page and "No program has that id" in page
    assert_friendly(page)


def test_the_api_still_answers_a_dead_link_in_json(client):
    response = client.get("/api/nonexistent")
    assert response.status_code == 404 and response.is_json
    error = response.get_json()["error"]
    assert error["code"] == "not_found" and error["message"] and error["field"] is None


def test_a_fault_shows_no_trace_and_apologises(failing_app):
    response = failing_app.test_client().get("/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in page
    assert "secret detail" not in page and "RuntimeError" not in page
    assert_friendly(page)


def test_a_fault_in_the_api_is_json_without_the_detail(failing_app):
    response = failing_app.test_client().get("/api/broken")
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert error["code"] == "internal_server_error" and "secret detail" not in error["message"]


def test_a_wrong_method_is_explained_and_still_names_the_allowed_one(client):
    response = client.get("/logout")
    page = response.get_data(as_text=True)
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert "That can't be done at this address" in page
    assert_friendly(page)


def test_an_oversized_form_is_explained(client):
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "That is too large to send" in page
    assert_friendly(page)


def test_a_refusal_says_the_account_cannot_do_it(client, people):
    sign_in(client, people["member"])
    response = client.get("/programs/other-program/edit")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Your account cannot do that" in page and "Your account does not allow this." in page
    assert_friendly(page)


def test_an_expired_form_names_the_problem_in_the_layout(client):
    response = client.post("/signup", data={"csrf_token": "stale"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That request has a mistake in it" in page and "This form has expired" in page
    assert_friendly(page)


def test_a_missing_parameter_is_a_plain_bad_request(failing_app):
    response = failing_app.test_client().get("/needs-a-parameter")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "That request has a mistake in it" in page
    assert_friendly(page)


def test_a_bad_filter_still_names_the_parameter(client):
    response = client.get("/organizations?ward=99")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "ward:" in page
    assert title(page) == "Bad request · Toronto Workforce Atlas"
    assert_friendly(page)


def test_a_page_that_cannot_draw_the_layout_still_answers_in_plain_words(client, monkeypatch):
    def unusable(*args, **kwargs):
        raise RuntimeError("the layout is broken")

    monkeypatch.setattr(errors, "render_template", unusable)
    response = client.get("/no/such/page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "We can't find that page" in page
    assert "The requested URL was not found" not in page and "the layout is broken" not in page


@pytest.mark.parametrize("category, css", [("message", "flash flash-success"), ("success", "flash flash-success"),
                                           ("error", "flash flash-error")])
def test_flashed_messages_look_like_what_they_say(app, client, category, css):
    def flashing():
        flash("Something to tell you.", category)
        return redirect("/")

    app.add_url_rule("/flashing", "flashing", flashing)
    page = client.get("/flashing", follow_redirects=True).get_data(as_text=True)
    assert f'<p class="{css}" role="status">Something to tell you.</p>' in page


def test_every_page_title_names_the_page_then_the_atlas(client, people):
    sign_in(client, people["admin"])
    for path, expected in [("/", "Home"), ("/organizations", "Organizations"), ("/signup", "Request an account"),
                           ("/reset", "Reset your password"), ("/admin/", "Administration")]:
        assert title(client.get(path).get_data(as_text=True)) == f"{expected} · Toronto Workforce Atlas", path

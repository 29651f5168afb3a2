"""Signing up, approval, signing in, password resets and editing a listing."""

import datetime as dt
import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from ..support.accounts import PASSWORD, form_token, loaded_version, sign_in
from ..support.forms import form_fields
from ..support.rows import program_row


def test_sign_up_for_a_new_organization_then_approval_then_sign_in(client, people):
    data = {"name": "Ada", "email": "ada@new.example.org", "password": PASSWORD,
            "new_organization": "New Futures Collective", "csrf_token": form_token(client)}
    assert client.post("/signup", data=data).status_code == 200
    assert sign_in(client, "ada@new.example.org").status_code == 403  # waiting for approval
    sign_in(client, people["admin"])
    page = client.get("/admin/").get_data(as_text=True)
    assert "ada@new.example.org" in page and "New Futures Collective (new)" in page
    user_id = re.search(r'/admin/users/(\d+)/approve', page).group(1)
    client.post(f"/admin/users/{user_id}/approve", data={"role": "editor", "version": "1", "csrf_token": form_token(client)})
    client.post("/logout", data={"csrf_token": form_token(client)})
    assert sign_in(client, "ada@new.example.org").status_code == 302
    assert client.get("/organizations/new-futures-collective").status_code == 200


def test_sign_up_problems_are_named(client, people):
    data = {"name": "", "email": "not an email", "password": "password", "csrf_token": form_token(client)}
    page = client.post("/signup", data=data)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "enter your name" in text and "enter a valid email address" in text
    assert "most common passwords" in text and "choose your organization" in text


def test_password_reset_by_a_time_limited_link(app, client, people, caplog):
    asked = client.post("/reset", data={"email": people["member"], "csrf_token": form_token(client)})
    assert "Ask your administrator" in asked.get_data(as_text=True)  # this site sends no email
    assert "/reset/" not in caplog.text  # a link in a log would act as a password
    admin = app.test_client()
    sign_in(admin, people["admin"])
    member_id = re.search(r'/admin/users/(\d+)/reset-link', admin.get("/admin/").get_data(as_text=True)).group(1)
    page = admin.post(f"/admin/users/{member_id}/reset-link", data={"csrf_token": form_token(admin)})
    link = re.search(r'value="http://localhost(/reset/[^"]+)"', page.get_data(as_text=True)).group(1)
    assert "/reset/" not in caplog.text
    response = client.post(link, data={"password": "a brand new passphrase", "csrf_token": form_token(client)})
    assert response.status_code == 302
    assert sign_in(client, people["member"], "a brand new passphrase").status_code == 302
    again = client.post(link, data={"password": "another new passphrase", "csrf_token": form_token(client)})
    assert again.status_code == 400  # a link works once


def test_with_a_mail_server_the_reset_link_is_emailed_to_the_account(app, client, people, monkeypatch):
    sent = []
    monkeypatch.setattr("app.mail.send", lambda config, to, subject, body: sent.append((to, body)) or True)
    app.config["ATLAS_SMTP_HOST"] = "mail.example.org"
    client.post("/reset", data={"email": people["member"], "csrf_token": form_token(client)})
    client.post("/reset", data={"email": "nobody@example.org", "csrf_token": form_token(client)})
    [(to, body)] = sent
    link = re.search(r"http://localhost(/reset/\S+)", body).group(1)
    assert to == people["member"]
    response = client.post(link, data={"password": "a brand new passphrase", "csrf_token": form_token(client)})
    assert response.status_code == 302


def test_reset_requests_do_not_reveal_accounts(client, people):
    known = client.post("/reset", data={"email": people["member"], "csrf_token": form_token(client)})
    unknown = client.post("/reset", data={"email": "nobody@example.org", "csrf_token": form_token(client)})
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)


def edit(client, program_id, **changes):
    form = program_row(id=program_id, name="Own Program", organization="Own Org", organization_id="own-org")
    form.update(changes)
    data = {key: value for key, value in form.items()}
    for name in ("sectors", "populations", "interventions", "languages", "funders", "streams"):
        data[name] = [slug for slug in form[name].split(";") if slug]
    data.update(csrf_token=form_token(client), form_complete="1",
                version=loaded_version(client, f"/programs/{program_id}/edit"))
    return client.post(f"/programs/{program_id}/edit", data=data)


def test_an_editor_edits_with_the_importer_rules_and_search_follows(client, people):
    sign_in(client, people["editor"])
    bad = edit(client, "own-program", postal_code="12345", age_min="eighteen")
    assert bad.status_code == 400
    text = html.unescape(bad.get_data(as_text=True))
    assert '"12345" is not a postal code' in text and '"eighteen" is not a whole number' in text
    good = edit(client, "own-program", description="Cloud support apprenticeship with paid placement.")
    assert good.status_code == 302
    assert client.get("/api/programs?q=cloud").get_json()["total"] == 1


def test_every_change_is_recorded_and_shown_as_history(client, people):
    sign_in(client, people["editor"])
    edit(client, "own-program", seats="35")
    page = client.get("/programs/own-program/history").get_data(as_text=True)
    assert "<td>Seats</td><td>20</td><td>35</td>" in page and "Own editor" in page


def test_confirming_renews_last_verified(app, client, people, catalogue):
    catalogue([program_row(id="own-program", name="Own Program", organization="Own Org", organization_id="own-org",
                           last_verified="2020-01-01")])
    assert client.get("/api/programs/own-program").get_json()["stale"] is True
    sign_in(client, people["editor"])
    page = client.get("/programs/own-program").get_data(as_text=True)
    client.post("/programs/own-program/confirm", data=dict(form_fields(page, "/confirm")))
    program = client.get("/api/programs/own-program").get_json()
    assert program["last_verified"] == dt.date.today().isoformat()
    assert program["verification"] == "confirmed" and program["stale"] is False


def test_create_user_makes_an_administrator(runner):
    result = runner.invoke(args=["create-user", "root@example.org", "--password", PASSWORD])
    assert result.exit_code == 0 and "Created admin root@example.org" in result.output
    refused = runner.invoke(args=["create-user", "weak@example.org", "--password", "12345678"])
    assert refused.exit_code == 1 and "most common passwords" in refused.output


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_session_holds_across_four_gunicorn_workers(app, people, tmp_path):
    """The secret key is shared by the workers, so every request is signed in."""
    port = _free_port()
    env = dict(os.environ, ATLAS_INSTANCE_PATH=app.instance_path)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen([gunicorn, "-w", "4", "-b", f"127.0.0.1:{port}", "app:create_app()"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        deadline = time.monotonic() + 60
        while True:
            try:
                page = opener.open(base + "/login", timeout=5).read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"email": people["editor"], "password": PASSWORD, "csrf_token": token}).encode()
        opener.open(base + "/login", data=body, timeout=10)
        signed_in = sum("Own editor" in opener.open(base + "/programs", timeout=10).read().decode() for _ in range(50))
        assert signed_in == 50
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_an_editor_renames_the_organization_everywhere(client, people):
    sign_in(client, people["editor"])
    data = {"name": "Own Org Renamed", "csrf_token": form_token(client), "form_complete": "1",
            "version": loaded_version(client, "/organizations/own-org/edit")}
    response = client.post("/organizations/own-org/edit", data=data)
    assert response.status_code == 302
    assert client.get("/api/programs/own-program").get_json()["organization"] == "Own Org Renamed"
    assert client.get("/api/programs?q=renamed").get_json()["total"] == 1
    assert "Own Org Renamed" in client.get("/programs/own-program/history").get_data(as_text=True)


def test_an_editor_manages_further_sites(client, people):
    sign_in(client, people["editor"])
    bad = edit(client, "own-program", further_sites="1 Main St | 12345")
    assert bad.status_code == 400 and "line 1:" in html.unescape(bad.get_data(as_text=True))
    edit(client, "own-program", further_sites="5100 Yonge St | M2N 5V7\n\n789 Yonge St | M4W 2G8")
    sites = client.get("/api/programs/own-program").get_json()["sites"]
    assert [site["postal_code"] for site in sites] == ["M5H 2N2", "M2N 5V7", "M4W 2G8"]
    assert "Further sites" in client.get("/programs/own-program/history").get_data(as_text=True)



@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "/\\evil.example",
                                    "https://evil.example/", "javascript:alert(1)"])
def test_sign_in_never_redirects_to_another_host(client, people, target):
    data = {"email": people["member"], "password": PASSWORD, "next": target, "csrf_token": form_token(client)}
    response = client.post("/login", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_returns_to_the_page_asked_for(client, people):
    data = {"email": people["member"], "password": PASSWORD, "next": "/programs?q=youth", "csrf_token": form_token(client)}
    assert client.post("/login", data=data).headers["Location"] == "/programs?q=youth"


def test_signing_up_cannot_claim_an_existing_organization_as_new(client, people):
    data = {"name": "Mallory", "email": "m@example.org", "password": PASSWORD,
            "new_organization": "Own  Org!", "csrf_token": form_token(client)}
    response = client.post("/signup", data=data)
    assert response.status_code == 400
    assert "already listed" in response.get_data(as_text=True)

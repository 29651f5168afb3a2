"""Serving in production: gunicorn with start-up work done once, a health check, logs without
secrets, the client's address behind a proxy, compression, cached static files, an index that
catches up by itself and bodies over the size limit refused however they are sent."""

import gzip
import json
import logging
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from app import create_app, search, startup
from app.db import Database, migrations
from app.search import watcher
from app.settings import PROJECT_ROOT

from ..support.accounts import form_token
from ..support.rows import program_row

LIMIT = 2 * 1024 * 1024
SERVER_START_SECONDS = 60


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


class Server:
    """gunicorn started as `make run` starts it, on a free loopback port, with its output kept."""

    def __init__(self, folder):
        self.instance = folder / "instance"
        self.stdout_path, self.stderr_path = folder / "stdout.log", folder / "stderr.log"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self):
        env = dict(os.environ, HOST="127.0.0.1", PORT=str(self.port), WORKERS="2",
                   ATLAS_INSTANCE_PATH=str(self.instance), ATLAS_INDEX_CHECK_SECONDS="0.5", ATLAS_LOG_LEVEL="INFO")
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen([gunicorn, "-c", "gunicorn.conf.py", "wsgi:app"], cwd=PROJECT_ROOT,
                                            env=env, stdout=out, stderr=err, start_new_session=True)
        if not _wait_until(self._answers, SERVER_START_SECONDS):
            self.stop()
            pytest.fail(f"gunicorn did not start:\n{self.stderr()}")

    def _answers(self):
        try:
            return self.get("/healthz")[0] == 200
        except OSError:
            return False

    def get(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stdout(self):
        return self.stdout_path.read_text(errors="replace")

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("gunicorn"))
    running.start()
    yield running
    running.stop()


def raw_post(port, path, body, chunked):
    """POST a form over a socket, chunked or with a Content-Length; returns the status code.

    The body is sent from a thread while the answer is read, since a server refusing a large
    body answers before reading all of it.
    """
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}"
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"{length}\r\nConnection: close\r\n\r\n").encode()
    connection = socket.create_connection(("127.0.0.1", port), timeout=20)

    def send():
        try:
            connection.sendall(head)
            if not chunked:
                connection.sendall(body)
                return
            for start in range(0, len(body), 65536):
                piece = body[start:start + 65536]
                connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed before taking the whole body

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n" not in answer:
            received = connection.recv(65536)
            if not received:
                break
            answer += received
    finally:
        connection.close()
        sender.join(timeout=20)
    return int(answer.split(b" ", 2)[1])


# gunicorn, as `make run` serves the site


def test_gunicorn_serves_the_site_and_its_health_check(server):
    status, body = server.get("/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, page = server.get("/")
    assert status == 200 and b"Toronto Workforce Atlas" in page


def test_the_start_up_work_runs_once_in_the_master_before_the_workers(server):
    """The master migrated the database and built the index; the two workers only started."""
    assert _wait_until(lambda: server.stderr().count("Booting worker") == 2, 10), server.stderr()
    log = server.stderr()
    assert log.count("Start-up work done") == 1, log
    assert log.index("Start-up work done") < log.index("Booting worker")
    with Database(server.instance / "atlas.sqlite") as db:
        assert db.schema_version() == migrations.KNOWN[-1]
    assert search.SearchIndex(server.instance).usable()


def test_a_worker_skips_the_start_up_work_and_starts_its_index_watcher(app, monkeypatch):
    """What wsgi.py does in each gunicorn worker."""
    started = []

    def refuse(_app):
        raise AssertionError("a worker must not do the start-up work")

    monkeypatch.setattr(startup, "prepare", refuse)
    monkeypatch.setattr(watcher, "start", lambda worker_app: started.append(worker_app))
    monkeypatch.setenv("ATLAS_INSTANCE_PATH", app.instance_path)
    module = runpy.run_path(str(PROJECT_ROOT / "wsgi.py"))
    assert started == [module["app"]]
    assert module["app"].instance_path == app.instance_path


def test_the_access_log_is_on_stdout_without_reset_tokens_or_queries(server):
    server.get("/reset/SECRETTOKEN123?email=someone%40example.org")
    assert _wait_until(lambda: "/reset/[token]" in server.stdout(), 5)
    time.sleep(1)  # a server's own access line would follow the app's, once the response is sent
    output = server.stdout()
    assert "SECRETTOKEN123" not in output and "someone" not in output
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S* INFO app\.requests: GET /reset/\[token\] 200 \d+ms", output)
    assert "SECRETTOKEN123" not in server.stderr()


def test_each_worker_catches_the_index_up_with_changes_made_elsewhere(server, write_csv):
    """A change committed by another process (no catch-up of its own) reaches searches by itself."""
    command_app = create_app({"ATLAS_INSTANCE_PATH": str(server.instance)})
    result = command_app.test_cli_runner().invoke(args=["import-programs", str(write_csv([program_row()]))])
    assert result.exit_code == 0, result.output
    with Database(server.instance / "atlas.sqlite") as db, db.write():
        db.connection.execute("UPDATE programs SET description = 'Quokka husbandry training.'")

    def found():
        return json.loads(server.get("/api/programs?q=quokka")[1])["total"] == 1

    assert _wait_until(found, 10)


# Request bodies over the limit, however they are sent


def test_a_chunked_body_over_the_limit_is_refused(server):
    assert raw_post(server.port, "/login", b"email=" + b"a" * (LIMIT + 1024 * 1024), chunked=True) == 413


def test_a_small_chunked_body_reaches_the_app(server):
    """400: the form arrived whole and was checked (it has no CSRF token), not refused for size."""
    assert raw_post(server.port, "/login", b"email=someone%40example.org&password=x", chunked=True) == 400


def test_a_content_length_over_the_limit_is_refused(server):
    assert raw_post(server.port, "/login", b"email=" + b"a" * (LIMIT + 1024 * 1024), chunked=False) == 413


def test_a_chunked_body_just_within_the_limit_is_taken(server):
    assert raw_post(server.port, "/login", b"email=" + b"a" * (LIMIT - 6), chunked=True) == 400


# Logging


def _request_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "app.requests"]


def test_a_reset_link_is_logged_without_its_token(client, caplog):
    client.get("/reset/SECRETTOKEN123?next=%2Fprivate-query")
    assert any(re.fullmatch(r"GET /reset/\[token\] 200 \d+ms", line) for line in _request_lines(caplog))
    assert "SECRETTOKEN123" not in caplog.text and "private-query" not in caplog.text


def test_a_forged_line_break_in_a_path_stays_on_one_line(client, caplog):
    client.get("/programs%0A2024-01-01 INFO app.requests: GET /admin/ 200")
    assert all("\n" not in line for line in _request_lines(caplog))


@pytest.mark.parametrize("level, logged", [("WARNING", False), ("info", True)])
def test_the_log_level_setting(tmp_path, caplog, level, logged):
    app = create_app({"ATLAS_INSTANCE_PATH": str(tmp_path / "instance"), "ATLAS_LOG_LEVEL": level})
    app.test_client().get("/")
    assert bool(_request_lines(caplog)) is logged


def test_an_unknown_log_level_stops_the_start(tmp_path):
    with pytest.raises(SystemExit, match="ATLAS_LOG_LEVEL"):
        create_app({"ATLAS_INSTANCE_PATH": str(tmp_path / "instance"), "ATLAS_LOG_LEVEL": "LOUD"})


def test_each_request_is_written_once_however_many_apps_were_made(tmp_path, capsys):
    for _ in range(3):
        app = create_app({"ATLAS_INSTANCE_PATH": str(tmp_path / "instance")})
    capsys.readouterr()
    app.test_client().get("/programs")
    lines = [line for line in capsys.readouterr().out.splitlines() if "GET /programs" in line]
    assert len(lines) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} INFO app\.requests: GET /programs 200 \d+ms", lines[0])


# Behind a reverse proxy


def _fail_sign_ins(client, address, times):
    statuses = []
    for n in range(times):
        data = {"email": f"nobody{n}@example.org", "password": "wrong password", "csrf_token": form_token(client)}
        statuses.append(client.post("/login", data=data, headers={"X-Forwarded-For": address}).status_code)
    return statuses


def test_behind_a_trusted_proxy_sign_in_limits_are_per_client(app, people):
    proxied = create_app({"ATLAS_INSTANCE_PATH": app.instance_path, "TESTING": True,
                          "ATLAS_TRUSTED_PROXIES": 1, "ATLAS_LOGIN_LIMIT_ADDRESS": 3})
    client = proxied.test_client()
    assert _fail_sign_ins(client, "203.0.113.1", 4) == [401, 401, 401, 429]
    assert _fail_sign_ins(client, "203.0.113.2", 1) == [401]


def test_without_trusted_proxies_forwarded_addresses_are_ignored(app, people):
    direct = create_app({"ATLAS_INSTANCE_PATH": app.instance_path, "TESTING": True, "ATLAS_LOGIN_LIMIT_ADDRESS": 3})
    client = direct.test_client()
    assert _fail_sign_ins(client, "203.0.113.1", 3) == [401, 401, 401]
    assert _fail_sign_ins(client, "203.0.113.2", 1) == [429]  # a forged header does not reset the count


# /healthz


def test_a_healthy_site_reports_its_schema_and_no_index_lag(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": True, "index": True,
                                   "schema_version": migrations.KNOWN[-1], "index_lag": 0}


def test_health_counts_committed_changes_the_index_has_not_applied(app, client, catalogue):
    catalogue([program_row()])
    with Database(app.config["DATABASE"]) as db, db.write():
        db.connection.execute("UPDATE programs SET description = 'Changed behind the index.'")
    report = client.get("/healthz")
    assert report.status_code == 200 and report.get_json()["index_lag"] == 1


def test_a_missing_index_makes_the_site_unavailable(app, client):
    os.unlink(os.path.join(app.instance_path, "index"))
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.get_json()
    assert report["status"] == "unavailable" and report["index"] is False and report["database"] is True


def test_an_unreachable_database_is_reported_without_a_trace(app, client, tmp_path):
    app.config["DATABASE"] = str(tmp_path)  # a folder: SQLite cannot open it
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] is False
    assert "Traceback" not in response.get_data(as_text=True)


# Compression and static files


def test_pages_are_compressed_for_browsers_that_accept_it(bundled_client):
    plain = bundled_client.get("/programs")
    compressed = bundled_client.get("/programs", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.data) == plain.data
    ratio = len(compressed.data) / len(plain.data)
    print(f"/programs: {len(plain.data)} bytes, {len(compressed.data)} gzipped ({ratio:.0%})")
    assert ratio < 0.4


def _stylesheet(client):
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="(/static/css/atlas\.css\?v=[0-9a-f]{12})"', page).group(1)


def _cache_control(client, url):
    response = client.get(url)
    response.close()
    assert response.status_code == 200
    return response.headers["Cache-Control"]


def test_static_files_are_cached_for_a_year_under_their_versioned_url(client):
    url = _stylesheet(client)
    assert _cache_control(client, url) == "public, max-age=31536000, immutable"
    assert _cache_control(client, "/static/css/atlas.css") == "public, max-age=3600"
    assert _cache_control(client, "/static/css/atlas.css?v=000000000000") == "public, max-age=3600"


def test_static_files_stay_cacheable_for_signed_in_people(client, people):
    client.post("/login", data={"email": people["member"], "password": "a long enough passphrase",
                                "csrf_token": form_token(client)})
    assert client.get("/").headers["Cache-Control"] == "no-store"  # their pages are private
    assert _cache_control(client, _stylesheet(client)) == "public, max-age=31536000, immutable"


def test_a_changed_static_file_gets_a_new_url(app, tmp_path):
    from app.web.shared.static_assets import static_url

    app.static_folder = str(tmp_path)
    asset = tmp_path / "site.css"
    asset.write_text("body { color: black; }")
    with app.test_request_context():
        before = static_url("site.css")
        asset.write_text("body { color: navy; }")
        os.utime(asset, ns=(time.time_ns(), time.time_ns() + 10**9))
        after = static_url("site.css")
        assert before != after and before.startswith("/static/site.css?v=")
        assert static_url("missing.css") == "/static/missing.css"


def test_every_page_links_static_files_by_version(client, catalogue):
    catalogue([program_row()])
    for url in ["/", "/programs", "/map", "/programs/test-youth-tech"]:
        page = client.get(url).get_data(as_text=True)
        links = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
        assert links and all(re.search(r"\?v=[0-9a-f]{12}$", link) for link in links), (url, links)


# The index watcher


@pytest.fixture
def start_watcher(app):
    started = []

    def start(interval):
        started.append(watcher.start(app, interval))
        return started[-1]

    yield start
    for running in started:
        running.stop()


def _changed_behind_the_index(app, description):
    with Database(app.config["DATABASE"]) as db, db.write():
        db.connection.execute("UPDATE programs SET description = ? WHERE id = 'test-youth-tech'", [description])


def _index_clean(app):
    with Database(app.config["DATABASE"]) as db:
        return search.check(app, db).clean


def test_the_watcher_applies_changes_the_index_missed(app, client, catalogue, start_watcher):
    catalogue([program_row()])
    start_watcher(0.2)
    _changed_behind_the_index(app, "Aardvark care and handling.")
    assert _wait_until(lambda: client.get("/api/programs?q=aardvark").get_json()["total"] == 1, 5)
    assert _index_clean(app)


def test_the_watcher_survives_errors(app, client, catalogue, start_watcher, monkeypatch, caplog):
    catalogue([program_row()])
    real, failures = search.catch_up, []

    def flaky(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise RuntimeError("disk hiccup")
        return real(*args, **kwargs)

    monkeypatch.setattr(search, "catch_up", flaky)
    _changed_behind_the_index(app, "Pangolin conservation jobs.")
    start_watcher(0.2)
    assert _wait_until(lambda: client.get("/api/programs?q=pangolin").get_json()["total"] == 1, 5)
    assert failures and "disk hiccup" in caplog.text


def test_the_watcher_rebuilds_a_lost_index(app, client, catalogue, start_watcher):
    catalogue([program_row()])
    os.unlink(os.path.join(app.instance_path, "index"))
    assert client.get("/healthz").status_code == 503
    start_watcher(0.2)
    assert _wait_until(lambda: client.get("/healthz").status_code == 200, 5)
    assert client.get("/api/programs?q=pathways").get_json()["total"] == 1


def test_the_watcher_can_be_turned_off(app):
    assert watcher.start(app, 0) is None


def test_the_watcher_logs_what_it_applied(app, catalogue, caplog):
    catalogue([program_row()])
    _changed_behind_the_index(app, "Changed behind the index.")
    with caplog.at_level(logging.INFO, logger="app.search.watcher"):
        assert watcher.Watcher(app, 1).check() == 1
    assert "Applied 1 changed program" in caplog.text

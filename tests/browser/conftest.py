"""A real server and Debian's Chromium, driven by Playwright, for end-to-end tests."""

import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# A page the browser leaves before it has loaded every script abandons a static file mid-response;
# the development server these tests serve with leaves that file to the garbage collector, which
# reports it during whichever test runs next. Only static files, only in browser tests.
ABANDONED_STATIC_FILE = (
    "ignore:unclosed file <_io.BufferedReader name='[^']*/static/:ResourceWarning",
    "ignore:Exception ignored in. <_io.FileIO name='[^']*/static/:pytest.PytestUnraisableExceptionWarning",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("browser"):
            for rule in ABANDONED_STATIC_FILE:
                item.add_marker(pytest.mark.filterwarnings(rule))


class Served:
    """An app served on a free loopback port until stopped."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port for the length of one test."""
    served = Served(app)
    yield served.url
    served.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def watched_page(context):
    """A page that records dialogs, page errors, console errors and every request it makes."""
    page = context.new_page()
    page.dialogs, page.errors, page.requests = [], [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("request", lambda request: page.requests.append(request.url))
    return page


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield watched_page(context)
    context.close()


@pytest.fixture
def axe_page(browser):
    """A page for accessibility checks: axe-core is injected, so the page's CSP is bypassed."""
    context = browser.new_context(bypass_csp=True)
    yield watched_page(context)
    context.close()


def axe_violations(page):
    """WCAG 2.0 and 2.1 A and AA violations axe-core finds on the page, one line each, target
    size (WCAG 2.2's 2.5.8) included: a caseworker on a phone taps map markers and filters."""
    from .test_map import AXE

    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}});
            return results.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
        }"""
    )

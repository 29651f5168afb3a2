"""Every page of the site, on a phone and on a desktop: nothing axe can find (WCAG 2.0 and 2.1 A
and AA, target size included), and nothing that makes a phone scroll sideways."""

import pytest

from ..support.accounts import PASSWORD
from .conftest import axe_violations, watched_page

pytestmark = pytest.mark.browser

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PUBLIC = [
    "/", "/programs", "/programs?near=M1B&population=youth&q=program", "/programs?q=zzzzqq",
    "/programs/own-program", "/organizations", "/organizations?population=youth", "/organizations/own-org",
    "/map", "/map?population=youth", "/match", "/match?age=19&population=youth&near=M1B", "/match?age=x",
    "/match/plan?program=own-program", "/login", "/signup", "/reset", "/no-such-page",
]
SIGNED_IN = {
    "admin": ["/programs/own-program/edit", "/programs/own-program/history", "/organizations/own-org/edit",
              "/admin/", "/referrals", "/gaps", "/gaps?view=continuum&population=youth", "/account/tokens"],
    "member": ["/referrals", "/referrals?box=outgoing", "/referrals/new", "/referrals/new?program=other-program",
               "/programs/other-program"],
}


def _problems(page, base, paths):
    problems = {}
    for path in paths:
        page.goto(base + path)
        found = axe_violations(page)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            found.append("scrolls sideways")
        if found:
            problems[path] = found
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_has_accessibility_problems(live_server, browser, people, width):
    context = browser.new_context(bypass_csp=True, viewport=WIDTHS[width])
    page = watched_page(context)
    problems = _problems(page, live_server, PUBLIC)
    context.close()
    for role, paths in SIGNED_IN.items():
        context = browser.new_context(bypass_csp=True, viewport=WIDTHS[width])
        page = watched_page(context)
        page.goto(live_server + "/login")
        page.get_by_label("Email").fill(people[role])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        problems.update({f"{path} ({role})": found for path, found in _problems(page, live_server, paths).items()})
        context.close()
    assert problems == {}

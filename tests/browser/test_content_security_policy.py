"""Every kind of page and the Swagger UI page work under factlog's Content-Security-Policy: Chromium reports
no violation, and the pages' own scripts still run (type-ahead, Swagger UI's rendering)."""
from __future__ import annotations

import pytest

from factlog.security_headers import POLICY, content_security_policy
from tests.browser.test_phone_width import pages  # noqa: F401 (the seeded pages fixture)
from tests.support import figures
from tests.support.web import PASSWORD

pytestmark = pytest.mark.browser
VIOLATIONS = """() => window.__cspViolations || []"""
WATCH = """document.addEventListener("securitypolicyviolation", event => {
    (window.__cspViolations = window.__cspViolations || []).push(event.violatedDirective + " " + event.blockedURI);
});"""


def _watch(page, console: list[str]) -> None:
    page.add_init_script(WATCH)
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error" else None)


def test_no_page_breaks_the_content_security_policy(browser, live_app, pages):  # noqa: F811
    base = live_app.config["BASE_URL"]
    context = browser.new_context()
    page = context.new_page()
    console: list[str] = []
    _watch(page, console)
    response = page.goto(f"{base}/login")
    assert response.headers["content-security-policy"] == content_security_policy(POLICY)
    page.fill("#email", "fact-checker@example.org")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")
    for name, path in pages.items():
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(VIOLATIONS) == [], f"{name}: {page.evaluate(VIOLATIONS)}"
        figures.add("security checks")
    # factlog.js ran: the record form's type-ahead answers under the policy.
    page.goto(f"{base}/claims/new")
    page.fill("#speaker", "Matt")
    page.wait_for_selector("text=Matthew Miller", timeout=5000)
    assert page.evaluate(VIOLATIONS) == [] and console == [], console
    context.close()


def test_swagger_ui_renders_the_api_under_its_policy(browser, live_app):
    base = live_app.config["BASE_URL"]
    page = browser.new_context().new_page()
    console: list[str] = []
    _watch(page, console)
    response = page.goto(f"{base}/api/v1/docs")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    page.get_by_text("/api/v1/claims/{claim_id}/verdicts", exact=True).first.wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(VIOLATIONS) == [] and console == [], (page.evaluate(VIOLATIONS), console)
    figures.add("security checks")

"""The API's docs page in a real browser: Swagger UI from the app's own static files, every
operation listed, nothing fetched from another origin, and no content-security-policy
violation: the page keeps the strict policy of every page, trying an operation out too."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_shows_every_operation_within_its_policy(live_server, page):
    requests, problems = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        # The operation tried answers 401 (the public site is off): that is no problem.
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "status of 401" not in message.text
            else None
        ),
    )
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => "
        "window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Follow-up")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/lines/{line_id}/updates/" in [p.replace("\u200b", "") for p in paths]
    page.locator(".opblock-summary-path", has_text="/api/v1/rollups/").first.click()
    expect(page.get_by_text("Not modified: the ETag sent in If-None-Match").first).to_be_visible()
    themes = page.locator(".opblock", has_text="/api/v1/themes/").first
    themes.locator(".opblock-summary").click()
    themes.get_by_role("button", name="Try it out").click()
    themes.get_by_role("button", name="Execute").click()
    expect(themes.locator(".responses-wrapper .live-responses-table")).to_contain_text(
        "public-site-off"
    )
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert problems == []
    assert page.evaluate("window.__violations") == []

"""Follow-up in the browser: what a focal point, a coordinator and a viewer see and do.

Chromium drives the real pages against the live server: logging in through the form,
filtering the recommendations, recording status updates (also with a stale form and with
the keyboard only), what a viewer may not do, accessibility (axe-core), narrow windows
and screenshots for review in test-artifacts/.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from hearings.loading import load_report
from hearings.models import Actor
from tracker import services
from tracker.models import FollowUpLine, Profile, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}

CODE = "R42.1"
REC_TITLE = "Civil society to continue responding to the needs of migrants in crisis"
ACTOR_NAME = "Civil society organizations and NGOs"
RECORD_LINK = "Record an update for Civil society organizations and NGOs"  # one name (#8)
HISTORY = "History for Civil society organizations and NGOs, latest first"
THEME = "Migrant rights and protection"
MINE = "Mine (lines of the actors I report for)"
CONFLICT = "coord recorded an update on this line at "  # names who (issue #8)
FORBIDDEN = "You are not allowed to do this"


# ---------------------------------------------------------------- helpers


def make_account(username: str, role: str, actor_keys=()):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    profile = Profile.objects.create(user=user, role=role)
    if actor_keys:
        actors = list(Actor.objects.filter(key__in=actor_keys))
        assert len(actors) == len(actor_keys), f"unknown actor keys in {actor_keys}"
        profile.actors.set(actors)
    return user


def civil_society_line() -> FollowUpLine:
    return FollowUpLine.objects.get(recommendation__code=CODE, actor__key="civil-society")


def record(line, user, status, note, days_ago=30, links=()):
    """Record an update through the service (set-up for pages that need a history)."""
    return services.status_update_record(
        line_id=line.pk,
        user=user,
        status=status,
        note=note,
        effective_date=datetime.date.today() - datetime.timedelta(days=days_ago),
        evidence_links=list(links),
        seen_version=FollowUpLine.objects.get(pk=line.pk).update_count,
    )


def log_in(page, base_url: str, username: str):
    page.goto(f"{base_url}/auth/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="How far follow-up has come")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def status_count(page, heading: str, label: str) -> int:
    """The figure beside a status badge in a dashboard section's list of counts."""
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )
    expect(section).to_have_count(1)
    items = section.get_by_role("listitem").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s+\d+\s*$")
    )
    if items.count() == 0:
        return 0  # some lists leave statuses with no line out
    expect(items).to_have_count(1)
    return int(items.inner_text().split()[-1])


def open_line_form(page):
    """From a recommendation page, follow the line's "Record an update" link."""
    page.get_by_role("link", name=RECORD_LINK).click()
    expect(page.get_by_role("heading", level=1, name=f"Record an update for {ACTOR_NAME}"))
    expect(page.get_by_role("button", name="Record the update")).to_be_visible()


def fill_update(page, status: str, note: str, date: datetime.date, link: str = ""):
    page.get_by_role("radio", name=status).check()
    page.get_by_role("textbox", name="Note").fill(note)
    if link:
        page.get_by_label("Evidence links").fill(link)
    page.get_by_label("Date the status took effect").fill(date.isoformat())


def history(page):
    """The entries of the civil society line's history (not the evidence links inside)."""
    timeline = page.get_by_role("article", name=ACTOR_NAME).get_by_role("list", name=HISTORY)
    return timeline.locator(":scope > li")


def run_axe(page) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    assert page.evaluate("() => axe.version") == "4.14.1", "axe-core was not injected"
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  - {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"      {node['target']} {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"      ... and {len(v['nodes']) - 8} more nodes")
    return "\n".join(lines)


def dangling_aria_references(page) -> list[str]:
    """aria-describedby / aria-labelledby ids that name no element on the page."""
    return page.evaluate(
        """() => {
          const bad = [];
          for (const attr of ['aria-describedby', 'aria-labelledby']) {
            for (const el of document.querySelectorAll(`[${attr}]`)) {
              for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) {
                  bad.push(`${el.tagName.toLowerCase()}#${el.id} ${attr}="${id}"`);
                }
              }
            }
          }
          return bad;
        }"""
    )


def overflow(page) -> dict:
    """Horizontal scroll of the page and the elements that stick out on the right."""
    return page.evaluate(
        """() => {
          const width = window.innerWidth;
          const culprits = [];
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > width + 1) {
              const cls = typeof el.className === 'string' && el.className
                ? '.' + el.className.split(' ').join('.') : '';
              culprits.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(r.right)}`);
            }
          }
          return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
                  culprits: culprits.slice(0, 12)};
        }"""
    )


def within_width(page, locator) -> bool:
    box = locator.bounding_box()
    width = page.evaluate("() => window.innerWidth")
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0, f"empty screenshot {path}"
    return path


# Keyboard-only helpers: where the focus is, and Tab until it reaches something.

FOCUSED_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: 'body', text: '', label: '', type: '', id: ''};
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  return {tag: e.tagName.toLowerCase(), type: e.type || '', id: e.id || '',
          text: (e.innerText || '').trim(), label: label.trim(), value: e.value ?? '',
          inMain: !!e.closest('main')};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED_JS)


def press_until(page, matches, what: str, key: str = "Tab", limit: int = 80) -> dict:
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        info = focused(page)
        if matches(info):
            return info
        seen.append(f"{info['tag']}:{info['text'] or info['label'] or info['id']}"[:40])
    pytest.fail(f"{key} never reached {what}; focus went through: {seen}")


def is_link(text: str):
    return lambda f: f["tag"] == "a" and f["text"] == text


def is_field(label_start: str):
    return lambda f: (
        f["tag"] in {"input", "textarea", "select"} and f["label"].startswith(label_start)
    )


def date_keystrokes(page, date: datetime.date) -> str:
    """Digits to type into a date input, in the order of the browser locale's segments."""
    order = page.evaluate(
        """() => new Intl.DateTimeFormat().formatToParts(new Date(2024, 10, 25))
                 .map(p => p.type).filter(t => ['day', 'month', 'year'].includes(t))"""
    )
    parts = {"day": f"{date.day:02d}", "month": f"{date.month:02d}", "year": f"{date.year}"}
    return "".join(parts[p] for p in order)


# ---------------------------------------------------------------- 1. focal point flow


def test_focal_point_finds_a_recommendation_and_records_an_update(live_server, page):
    load_report()
    make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    base = live_server.url

    log_in(page, base, "focal")
    in_progress_before = status_count(page, "Status of the recommendations", "In progress")
    my_in_progress_before = status_count(page, "My lines", "In progress")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Recommendations").click()
    expect(page.get_by_role("heading", level=1, name="Recommendations")).to_be_visible()
    all_count = int(page.locator("#results-heading").inner_text().split()[0])

    page.get_by_label(MINE).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]mine=on"))
    expect(page.get_by_label(MINE)).to_be_checked()
    results = page.get_by_role("region", name=re.compile(r"\d+ recommendations?"))
    mine_count = int(results.get_by_role("heading", level=2).inner_text().split()[0])
    assert 0 < mine_count < all_count, (mine_count, all_count)
    for row in results.get_by_role("listitem").filter(has_text="To:").all():
        expect(row).to_contain_text("Civil society")

    page.get_by_role("checkbox", name=THEME).check()  # themes are checkboxes (issue #8)
    page.get_by_label("Search title and text").fill("crisis")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label(MINE)).to_be_checked()
    expect(page.get_by_label("Search title and text")).to_have_value("crisis")
    rows = page.locator("ol.rec-list > li")
    expect(rows.first).to_be_visible()
    assert rows.count() < mine_count
    for row in rows.all():
        expect(row).to_contain_text(THEME)
        expect(row).to_contain_text("Civil society")
    page.get_by_role("link", name=CODE, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{CODE} {REC_TITLE}")
    expect(page.get_by_role("article", name=ACTOR_NAME)).to_contain_text("Nothing recorded yet.")
    open_line_form(page)

    note = "Shelters for stranded migrants opened in two transit cities; hotline staffed."
    link = "https://example.org/civil-society/crisis-response-2024"
    date = datetime.date(2024, 5, 1)
    fill_update(page, "In progress", note, date, link)
    page.get_by_role("button", name="Record the update").click()

    expect(page.get_by_role("status")).to_contain_text("Update recorded.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{CODE} {REC_TITLE}")
    line = page.get_by_role("article", name=ACTOR_NAME)
    expect(line.locator(".line__head")).to_contain_text("In progress")
    entries = history(page).filter(has_text=note)
    expect(entries).to_have_count(1)
    entry = entries.first
    expect(entry).to_contain_text("In progress")
    expect(entry).to_contain_text("1 May 2024")
    expect(entry).to_contain_text("Recorded by focal")
    expect(entry.get_by_role("link", name=link)).to_have_attribute("href", link)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    recent = page.locator("section").filter(
        has=page.get_by_role("heading", name="Recent updates", exact=True)
    )
    recent_item = recent.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=f"{CODE} · Civil society")
    )
    expect(recent_item).to_have_count(1)
    expect(recent_item).to_contain_text("In progress")
    expect(recent_item).to_contain_text("by focal")
    assert status_count(page, "Status of the recommendations", "In progress") == (
        in_progress_before + 1
    )
    assert status_count(page, "My lines", "In progress") == my_in_progress_before + 1


# ---------------------------------------------------------------- 2. stale form


def test_stale_form_shows_the_newer_update_and_keeps_the_text(live_server, browser):
    load_report()
    make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    make_account("coord", Role.COORDINATOR)
    base = live_server.url
    focal_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    coord_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        focal, coord = focal_ctx.new_page(), coord_ctx.new_page()
        for p, username in ((focal, "focal"), (coord, "coord")):
            p.set_default_timeout(10_000)
            log_in(p, base, username)
            p.goto(f"{base}/recommendations/{CODE}/")
            open_line_form(p)

        coord_note = "Coordinator: funding for the crisis response is confirmed."
        fill_update(coord, "Planned", coord_note, datetime.date(2024, 3, 1))
        coord.get_by_role("button", name="Record the update").click()
        expect(coord.get_by_role("status")).to_contain_text("Update recorded.")

        focal_note = "Focal point: shelters opened in two transit cities."
        fill_update(focal, "In progress", focal_note, datetime.date(2024, 4, 1))
        focal.get_by_role("button", name="Record the update").click()

        expect(focal.get_by_role("alert").filter(has_text=CONFLICT)).to_be_visible()
        conflict = focal.locator("section.conflict")
        expect(
            conflict.get_by_role("heading", name="Recorded by someone else since you opened")
        ).to_be_visible()
        expect(conflict).to_contain_text(coord_note)
        expect(conflict).to_contain_text("Planned")
        expect(conflict).to_contain_text("Recorded by coord")
        expect(focal.get_by_role("textbox", name="Note")).to_have_value(focal_note)
        expect(focal.get_by_role("radio", name="In progress")).to_be_checked()
        expect(focal.get_by_label("Date the status took effect")).to_have_value("2024-04-01")
        # The message says "Read it above": the newer update must come before it.
        message_y = focal.get_by_role("alert").filter(has_text=CONFLICT).bounding_box()["y"]
        newer_y = conflict.get_by_text(coord_note).bounding_box()["y"]
        ARTIFACTS.mkdir(exist_ok=True)
        focal.screenshot(path=ARTIFACTS / "screen-update-conflict.png", full_page=True)

        focal.get_by_role("button", name="Record the update").click()
        expect(focal.get_by_role("status")).to_contain_text("Update recorded.")
        items = history(focal)
        expect(items).to_have_count(2)
        expect(items.nth(0)).to_contain_text(focal_note)
        expect(items.nth(0)).to_contain_text("In progress")
        expect(items.nth(1)).to_contain_text(coord_note)
        expect(items.nth(1)).to_contain_text("Planned")
        expect(
            focal.get_by_role("article", name=ACTOR_NAME).locator(".line__head")
        ).to_contain_text("In progress")
        assert newer_y < message_y, (
            "The conflict message says 'Read it above' but the newer update is shown below "
            f"it (update at y={newer_y}, message at y={message_y})"
        )
    finally:
        focal_ctx.close()
        coord_ctx.close()


# ---------------------------------------------------------------- 3. viewer


def test_viewer_sees_no_edit_controls_and_gets_403(live_server, page):
    load_report()
    make_account("viewer", Role.VIEWER)
    line = civil_society_line()
    base = live_server.url

    log_in(page, base, "viewer")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Recommendations")).to_be_visible()
    expect(nav.get_by_role("link", name="Accounts")).to_have_count(0)
    expect(nav.get_by_role("link", name="Audit log")).to_have_count(0)

    nav.get_by_role("link", name="Recommendations").click()
    page.get_by_label("Search title and text").fill("crisis")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=CODE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{CODE} {REC_TITLE}")
    expect(page.get_by_role("article", name=ACTOR_NAME)).to_be_visible()
    main = page.get_by_role("main")
    for name in ("Record an update", "Add a line", "Set target date"):
        expect(main.get_by_role("link", name=name)).to_have_count(0)
        expect(main.get_by_role("button", name=name)).to_have_count(0)
    expect(main.get_by_text("Record an update")).to_have_count(0)

    for path in (
        f"/lines/{line.pk}/update/",
        f"/lines/{line.pk}/target/",
        f"/recommendations/{CODE}/lines/add/",
        "/accounts/",
        "/audit/",
    ):
        response = page.goto(f"{base}{path}")
        assert response.status == 403, f"{path}: {response.status}"
        expect(page.get_by_role("heading", level=1, name=FORBIDDEN)).to_be_visible()
        expect(page.get_by_role("button", name="Record the update")).to_have_count(0)


# ---------------------------------------------------------------- 4. keyboard only


def test_keyboard_only_records_an_update(live_server, page):
    load_report()
    make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    base = live_server.url
    kb = page.keyboard

    page.goto(f"{base}/auth/login/")  # the only navigation not done with the keyboard
    if not is_field("User name")(focused(page)):
        press_until(page, is_field("User name"), "the user name field")
    kb.type("focal")
    kb.press("Tab")
    assert is_field("Password")(focused(page)), focused(page)
    kb.type(PASSWORD)
    with page.expect_navigation():
        kb.press("Enter")
    expect(page.get_by_role("heading", level=1, name="How far follow-up has come")).to_be_visible()

    # The skip link is the first Tab stop, shows up, and moves the focus to <main>.
    kb.press("Tab")
    assert focused(page)["text"] == "Skip to main content", focused(page)
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    kb.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    kb.press("Tab")
    assert focused(page)["inMain"], f"Tab after the skip link left <main>: {focused(page)}"

    # Back up to the navigation, then search the list.
    press_until(page, is_link("Recommendations"), "the Recommendations link", key="Shift+Tab")
    with page.expect_navigation():
        kb.press("Enter")
    press_until(page, is_field("Search title and text"), "the search field")
    kb.type("crisis")
    with page.expect_navigation():
        kb.press("Enter")
    expect(page.get_by_label("Search title and text")).to_have_value("crisis")
    press_until(page, is_link(CODE), f"the {CODE} link", limit=120)
    with page.expect_navigation():
        kb.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{CODE} {REC_TITLE}")

    press_until(page, is_link(RECORD_LINK), "the Record an update link")
    with page.expect_navigation():
        kb.press("Enter")
    expect(page.get_by_role("heading", level=1, name=f"Record an update for {ACTOR_NAME}"))

    # The radio group is one Tab stop; arrows move the choice.
    radio = press_until(page, lambda f: f["type"] == "radio", "the status radio group")
    assert radio["value"] == "no-information", radio
    for _ in range(3):
        kb.press("ArrowDown")
    expect(page.get_by_role("radio", name="In progress")).to_be_checked()
    expect(page.get_by_role("radio", name="In progress")).to_be_focused()

    note = "Recorded with the keyboard only: hotline staffed around the clock."
    press_until(page, is_field("Note"), "the note field")
    kb.type(note)
    date = datetime.date(2024, 6, 15)
    press_until(page, is_field("Date the status took effect"), "the date field")
    kb.type(date_keystrokes(page, date))
    expect(page.get_by_label("Date the status took effect")).to_have_value(date.isoformat())
    press_until(page, lambda f: f["tag"] == "button" and f["text"] == "Record the update", "submit")
    with page.expect_navigation():
        kb.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Update recorded.")
    entry = history(page).filter(has_text=note)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("In progress")
    expect(entry).to_contain_text("15 Jun 2024")


# ---------------------------------------------------------------- 5. accessibility


def test_no_serious_accessibility_violations_on_any_page(live_server, page):
    load_report()
    coordinator = make_account("coord", Role.COORDINATOR)
    make_account("viewer", Role.VIEWER)
    focal = make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    line = civil_society_line()
    record(line, focal, "planned", "A plan and a budget exist.", days_ago=90)
    record(line, coordinator, "in-progress", "Work has begun.", 30, ["https://example.org/a"])
    base = live_server.url
    found: dict[str, list[dict]] = {}

    def check(name: str, expected_status: int = 200, response=None):
        if response is not None:
            assert response.status == expected_status, f"{name}: HTTP {response.status}"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        found[name] = run_axe(page)

    def visit(name: str, path: str, expected_status: int = 200):
        check(name, expected_status, page.goto(f"{base}{path}"))

    visit("login", "/auth/login/")
    visit("password reset", "/auth/password_reset/")

    log_in(page, base, "coord")
    check("dashboard")
    visit("recommendations (filtered)", "/recommendations/?q=crisis&theme=rights&sort=title")
    visit("recommendations (invalid filter, 400)", "/recommendations/?paragraph=abc", 400)
    expect(page.get_by_role("alert")).to_contain_text("Some filters are not valid")
    visit("recommendation with history", f"/recommendations/{CODE}/")
    expect(history(page)).to_have_count(2)

    page.get_by_role("link", name=RECORD_LINK).click()
    check("update form")
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    check("update form with errors")

    visit("add-line form", f"/recommendations/{CODE}/lines/add/")
    visit("target-date form", f"/lines/{line.pk}/target/")
    visit("report index", "/report/")
    visit("report chapter", "/report/chapters/VI/")
    visit("accounts list", "/accounts/")
    visit("account form (new)", "/accounts/new/")
    visit("account form (edit)", f"/accounts/{focal.pk}/")
    visit("audit log", "/audit/")
    visit("preferences", "/preferences/")
    visit("password change", "/auth/password_change/")
    visit("export form", "/export/?theme=rights")
    visit("export form with errors (400)", "/export/?format=pdf&as_of=2001-01-01&download=", 400)
    visit("import form", "/import/")
    visit("404", "/recommendations/NO-SUCH-CODE/", 404)

    log_out(page)
    log_in(page, base, "viewer")
    visit("403", f"/lines/{line.pk}/update/", 403)

    report = "\n".join(
        f"{name}: " + ("no serious/critical violation" if not v else "\n" + describe_violations(v))
        for name, v in found.items()
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-report.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    failing = {name: v for name, v in found.items() if v}
    assert not failing, "Serious or critical axe violations:\n" + "\n".join(
        f"{name}:\n{describe_violations(v)}" for name, v in failing.items()
    )


def test_form_fields_announce_their_help_and_errors(live_server, page):
    """What a screen reader says on a field: its help text and, after a bad submission,
    its error (aria-describedby must name elements that exist)."""
    load_report()
    make_account("coord", Role.COORDINATOR)
    line = civil_society_line()
    base = live_server.url
    log_in(page, base, "coord")
    problems = []

    page.goto(f"{base}/lines/{line.pk}/update/")
    page.get_by_label("Evidence links").fill("not a link")
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    expected = {
        "Note": ["What happened, in a few sentences.", "This field is required."],
        "Evidence links": ["One http or https address per line.", "Not an http(s) link"],
        "Date the status took effect": ["Not before the hearings (15 July 2013)"],
    }
    for label, phrases in expected.items():
        # Labels that begin so: "Publish this note" is another field's.
        field = page.get_by_label(re.compile("^" + re.escape(label)))
        for phrase in phrases:
            expect(page.get_by_text(phrase).first).to_be_visible()  # shown on the page...
            try:  # ...and announced with the field
                expect(field).to_have_accessible_description(
                    re.compile(re.escape(phrase)), timeout=500
                )
            except AssertionError:
                problems.append(f"update form, {label!r}: description lacks {phrase!r}")
    expect(page.get_by_role("textbox", name="Note")).to_have_attribute("aria-invalid", "true")

    for name, path in (
        ("update form (after errors)", None),
        ("recommendations (invalid filter)", "/recommendations/?paragraph=abc"),
        ("target-date form", f"/lines/{line.pk}/target/"),
        ("account form", "/accounts/new/"),
        ("password change", "/auth/password_change/"),
    ):
        if path:
            page.goto(f"{base}{path}")
        problems += [f"{name}: {ref} names no element" for ref in dangling_aria_references(page)]

    assert not problems, "Help texts and errors not tied to their fields:\n" + "\n".join(problems)


# ---------------------------------------------------------------- 6. narrow window


def test_narrow_window_has_no_horizontal_scroll(live_server, page):
    load_report()
    focal = make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    line = civil_society_line()
    record(line, focal, "planned", "A plan and a budget exist.", 60, ["https://example.org/plan"])
    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    problems = []

    def check(name: str, actions):
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        shoot(page, f"narrow-{name}.png")
        sizes = overflow(page)
        if sizes["scrollWidth"] > sizes["innerWidth"]:
            problems.append(
                f"{name}: scrollWidth {sizes['scrollWidth']} > innerWidth "
                f"{sizes['innerWidth']}; sticking out: {sizes['culprits']}"
            )
        for action in actions:
            action.scroll_into_view_if_needed()
            if not action.is_visible() or not within_width(page, action):
                problems.append(f"{name}: {action} is not fully visible at 375px")

    log_in(page, base, "focal")
    nav = page.get_by_role("navigation", name="Main")
    check("dashboard", [nav.get_by_role("link", name="Recommendations")])

    nav.get_by_role("link", name="Recommendations").click()
    check(
        "list",
        [
            page.get_by_role("button", name="Apply filters"),
            page.get_by_label("Search title and text"),
            page.locator("ol.rec-list > li").first.get_by_role("link").first,
        ],
    )

    page.goto(f"{base}/recommendations/{CODE}/")
    check("recommendation", [page.get_by_role("link", name=RECORD_LINK)])
    open_line_form(page)
    check(
        "update-form",
        [
            page.get_by_role("radio", name="In progress"),
            page.get_by_role("textbox", name="Note"),
            page.get_by_label("Date the status took effect"),
            page.get_by_role("button", name="Record the update"),
        ],
    )
    assert not problems, "Narrow window (375px) problems:\n" + "\n".join(problems)


# ---------------------------------------------------------------- 7. screenshots


def test_screenshots_of_the_main_pages(live_server, page):
    load_report()
    coordinator = make_account("coord", Role.COORDINATOR)
    focal = make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    line = civil_society_line()
    record(line, focal, "planned", "A plan and a budget exist.", 120)
    record(
        line,
        coordinator,
        "in-progress",
        "Shelters opened in two transit cities; a hotline is staffed.",
        20,
        ["https://example.org/civil-society/crisis-response"],
    )
    base = live_server.url
    log_in(page, base, "coord")

    shots = [
        ("screen-dashboard.png", "/", "How far follow-up has come"),
        ("screen-list.png", "/recommendations/", "Recommendations"),
        ("screen-recommendation.png", f"/recommendations/{CODE}/", f"{CODE} {REC_TITLE}"),
        ("screen-update-form.png", f"/lines/{line.pk}/update/", "Record an update for"),
        ("screen-report-chapter.png", "/report/chapters/VI/", "VI."),
        ("screen-accounts.png", "/accounts/", "Accounts"),
    ]
    for name, path, heading in shots:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, f"{path}: HTTP {response.status}"
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        shoot(page, name)

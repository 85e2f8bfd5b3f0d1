"""Evidence files in the browser: a focal point attaches files through the update form (a
refused SVG first, its reason beside the field), another staff member downloads the file
from the timeline, and a coordinator withdraws it."""

import datetime

import pytest
from playwright.sync_api import expect

from hearings.loading import load_report
from tests.evidence import samples
from tests.test_browser_follow_up import (
    ACTOR_NAME,
    CODE,
    fill_update,
    history,
    log_in,
    log_out,
    make_account,
    open_line_form,
    run_axe,
)
from tracker.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_file_attached_by_a_focal_point_is_downloaded_by_a_viewer(live_server, page, tmp_path):
    load_report()
    make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    make_account("coord", Role.COORDINATOR)
    make_account("reader", Role.VIEWER)
    base = live_server.url
    svg, pdf, png = tmp_path / "logo.svg", tmp_path / "Rapport annuel é.pdf", tmp_path / "a.png"
    svg.write_bytes(samples.svg())
    pdf.write_bytes(samples.pdf())
    png.write_bytes(samples.png())

    log_in(page, base, "focal")
    page.goto(f"{base}/recommendations/{CODE}/")
    open_line_form(page)
    note = "The hotline's first annual report, attached."
    fill_update(page, "In progress", note, datetime.date(2024, 5, 1))
    page.get_by_label("Evidence files").set_input_files([str(svg), str(png)])
    page.get_by_role("button", name="Record the update").click()
    errors = page.locator("#id_evidence_files_error")
    expect(errors).to_contain_text("“logo.svg” was not attached: SVG images are not accepted")
    expect(page.get_by_role("textbox", name="Note")).to_have_value(note)  # the text is kept

    page.get_by_label("Evidence files").set_input_files([str(pdf), str(png)])
    page.get_by_role("button", name="Record the update").click()
    expect(page.get_by_role("status")).to_contain_text("Update recorded.")
    entry = history(page).filter(has_text=note).first
    expect(entry.get_by_role("link", name="Rapport annuel é.pdf")).to_be_visible()
    expect(entry).to_contain_text(f"PDF document, {len(samples.pdf())}\xa0bytes")
    expect(entry).to_contain_text("not scanned (no virus scanner is configured)")
    log_out(page)

    log_in(page, base, "reader")
    page.goto(f"{base}/recommendations/{CODE}/")
    entry = history(page).filter(has_text=note).first
    with page.expect_download() as download_info:
        entry.get_by_role("link", name="Rapport annuel é.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "Rapport annuel é.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == samples.pdf()
    assert run_axe(page) == []
    log_out(page)

    log_in(page, base, "coord")
    page.goto(f"{base}/recommendations/{CODE}/")
    entry = history(page).filter(has_text=note).first
    entry.get_by_role("link", name="Withdraw Rapport annuel é.pdf").click()
    page.get_by_label("Why is this file withdrawn?").fill("Wrong report: the draft.")
    page.get_by_role("button", name="Withdraw the file").click()
    expect(page.get_by_role("status")).to_contain_text("“Rapport annuel é.pdf” is withdrawn.")
    line = page.get_by_role("article", name=ACTOR_NAME)
    expect(line).to_contain_text("withdrawn by coord on")
    expect(line).to_contain_text("Wrong report: the draft.")
    expect(line.get_by_role("link", name="Rapport annuel é.pdf")).to_have_count(0)
    expect(line.get_by_role("link", name="a.png", exact=True)).to_be_visible()

"""What the public site shows and never shows, page by page: the matrix of issue 11.

A marker is planted in every field that is not public (the recorder's name and e-mail, an
unpublished note, a withholding's reason, target dates while they are private) and looked
for in every public page and file."""

import datetime
from collections import Counter

import pytest
from django.test import Client

from hearings.models import Actor, GcmTag, Recommendation, SdgTag
from tracker import services
from tracker.evidence import uploads
from tracker.models import FollowUpLine, Status
from tracker.public import selectors, shares
from tracker.publication import services as publication
from tracker.publication import visibility
from tracker.rollup import roll_up
from tracker.tallies import is_active

from ..evidence import samples
from .conftest import LINE_REC, SECRET
from .urls import every_url

pytestmark = pytest.mark.django_db

DETAIL = f"/en/public/recommendations/{LINE_REC}/"
TARGET = datetime.date(2015, 3, 31)
TARGET_TEXT = "31 Mar 2015"


def everything(client=None) -> str:
    """Every public page and file, as one text."""
    client = client or Client()
    bodies = []
    for url in every_url():
        response = client.get(url, follow=True)
        assert response.status_code in {200, 404}, url  # 404: kept out of public view
        bodies.append(
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    return b"\n".join(bodies).decode("utf-8", "replace")


def test_nothing_that_is_not_public_is_on_any_public_page(site_on, users, record, line):
    coordinator = users["coordinator"]
    record(note="Published: the hotline opened.", publish=True, links=["https://example.org/r"])
    record(note=f"{SECRET} internal note: the minister has not answered.", status="planned")
    services.line_set_target_date(line=line, user=coordinator, target_date=TARGET)
    held = FollowUpLine.objects.get(recommendation__code="R30a", actor__key="governments")
    record(on=held, note=f"{SECRET} on a withheld line", publish=True)
    publication.withhold(user=coordinator, line=held, reason=f"{SECRET} reason for the line")
    rec = Recommendation.objects.get(code="R24.1")
    publication.withhold(user=coordinator, recommendation=rec, reason=f"{SECRET} reason")

    text = everything()
    assert "Published: the hotline opened." in text
    assert "https://example.org/r" in text
    assert SECRET not in text  # names, e-mails, unpublished notes, reasons
    for user in users.values():
        assert user.username not in text
    assert TARGET_TEXT not in text
    assert "2015-03-31" not in text
    assert "Overdue" not in text
    assert "overdue" not in text.replace("overdue_", "")


def test_target_dates_and_what_reveals_them_only_once_published(site_on, users, line):
    services.line_set_target_date(line=line, user=users["coordinator"], target_date=TARGET)
    client = Client()
    assert TARGET_TEXT not in client.get(DETAIL).content.decode()
    assert "overdue lines" not in client.get("/en/public/").content.decode()
    assert 'name="overdue"' not in client.get("/en/public/recommendations/").content.decode()
    # ?overdue=on is not a filter while target dates are private: it filters nothing.
    listed = client.get("/en/public/recommendations/?overdue=on").content.decode()
    everything_listed = client.get("/en/public/recommendations/?kind=main").content.decode()
    count = everything_listed.split('id="results-heading"')[1].split("<")[0]
    assert count in listed
    assert "recommendations" in count
    assert "Overdue" not in listed

    publication.site_set(user=users["coordinator"], target_dates_public=True)
    detail = client.get(DETAIL).content.decode()
    assert f"target {TARGET_TEXT}" in detail
    assert "Overdue:" in detail
    dashboard = client.get("/en/public/").content.decode()
    assert "overdue lines" in dashboard
    assert "Stale lines" in dashboard
    overdue = client.get("/en/public/recommendations/?overdue=on").content.decode()
    assert 'name="overdue"' in overdue
    assert "1 recommendation" in overdue
    assert LINE_REC in overdue


def test_a_withheld_recommendation_is_nowhere(site_on, users):
    rec = Recommendation.objects.get(code="R24.1")
    restatements = list(Recommendation.objects.filter(restates=rec).values_list("code", flat=True))
    publication.withhold(user=users["coordinator"], recommendation=rec, reason="Sensitive")
    client = Client()
    assert client.get("/en/public/recommendations/R24.1/").status_code == 404
    for code in restatements:
        assert client.get(f"/en/public/recommendations/{code}/").status_code == 404
    hidden = {
        "/en/public/recommendations/R24.1/",
        *(f"/en/public/recommendations/{c}/" for c in restatements),
    }
    text = everything()
    for url in hidden:
        assert url not in text
    assert "R24.1" not in client.get("/en/public/recommendations/?kind=all").content.decode()


def test_a_withheld_line_is_nowhere_and_its_share_leaves_the_figures(site_on, users, record):
    coordinator = users["coordinator"]
    rec = Recommendation.objects.get(code="R25.2")
    lines = {line.actor.key: line for line in rec.follow_up_lines.select_related("actor")}
    assert set(lines) == {"governments", "gfmd"}
    held = lines.pop("governments")
    record(on=held, status="implemented", note="Done by the Governments.", publish=True)
    for other in lines.values():
        record(on=other, status="planned", note="Planned.")
    staff_status = rec.progress.__class__.objects.get(recommendation=rec).status
    assert staff_status == Status.PARTIALLY_IMPLEMENTED
    publication.withhold(user=coordinator, line=held, reason="Sensitive talks")

    client = Client()
    detail = client.get("/en/public/recommendations/R25.2/").content.decode()
    assert f'id="line-{held.pk}"' not in detail
    assert "Done by the Governments." not in detail
    # Its overall status is rolled up from the public lines alone.
    assert "Partially implemented" not in detail
    assert "Planned" in detail
    actor_page = client.get("/en/public/actors/governments/").content.decode()
    assert "R25.2" not in actor_page
    listed = "/en/public/recommendations/?status="
    assert "R25.2" not in client.get(f"{listed}partially-implemented").content.decode()
    assert "R25.2" in client.get(f"{listed}planned").content.decode()
    by_actor = "/en/public/recommendations/?actor=governments&actor_only=on"
    assert "R25.2" not in client.get(by_actor).content.decode()
    assert "R25.2" in client.get("/en/public/recommendations/?actor=gfmd").content.decode()
    # Sorted by status, it sits with the planned ones, not the partially implemented
    # (R24.1, before it in report order, is partially implemented).
    for other in Recommendation.objects.get(code="R24.1").follow_up_lines.all():
        record(on=other, status="implemented" if other.actor.key == "governments" else "planned")
    both = "/en/public/recommendations/?status=planned&status=partially-implemented&sort="
    results = client.get(f"{both}-status").content.decode().split('id="results-heading"')[1]
    assert results.index("/R25.2/") < results.index("/R24.1/")
    results = client.get(f"{both}status").content.decode().split('id="results-heading"')[1]
    assert results.index("/R24.1/") < results.index("/R25.2/")
    assert_figures_are_a_fresh_count_of_what_is_public()


def assert_figures_are_a_fresh_count_of_what_is_public():
    """The dashboard's public figures equal a count afresh over visibility's querysets."""
    withheld = shares.withheld()
    assert withheld.line_ids == visibility.withheld_line_ids()
    site = visibility.site()
    figures = selectors.dashboard(site, withheld)
    public_lines = list(
        visibility.lines().values(
            "recommendation_id", "actor_id", "status", "addressed", "added_by_id"
        )
    )
    lines_by_actor = Counter((line["actor_id"], line["status"]) for line in public_lines)
    shown = {
        (actor.pk, status): n
        for actor, counts in figures["actors"]
        for status, n in counts.items()
        if n
    }
    assert shown == dict(lines_by_actor)
    statuses: dict[int, list[str]] = {}
    for line in public_lines:
        if is_active(line):
            statuses.setdefault(line["recommendation_id"], []).append(line["status"])
    main = visibility.recommendations().filter(restates__isnull=True)
    by_theme = Counter(
        (theme_id, roll_up(statuses.get(pk, [])).value)
        for pk, theme_id in main.values_list("pk", "theme_id")
    )
    shown_themes = {
        (theme.pk, status): n
        for theme, counts in figures["themes"]
        for status, n in counts.items()
        if n
    }
    assert shown_themes == dict(by_theme)
    public_status = {
        pk: roll_up(statuses.get(pk, [])).value for pk in main.values_list("pk", flat=True)
    }
    for figure, tags, field in (
        ("gcm_objectives", GcmTag, "objective_id"),
        ("sdg_targets", SdgTag, "target_id"),
    ):
        counted = Counter(
            (group, public_status[rec])
            for rec, group in tags.objects.values_list("recommendation_id", field)
            if rec in public_status
        )
        shown_groups = {
            (group.pk, status): n
            for group, counts in figures[figure]
            for status, n in counts.items()
            if n
        }
        assert shown_groups == dict(counted), figure
        assert counted, figure
    assert figures["recommendation_count"] == main.count()


def test_figures_equal_a_fresh_count_with_both_kinds_of_withholding(site_on, users, record):
    coordinator = users["coordinator"]
    for i, line in enumerate(
        FollowUpLine.objects.filter(recommendation__code__in=["R30a", "R24.1", "R42.1"])
    ):
        record(on=line, status=["planned", "implemented", "in-progress"][i % 3])
    publication.withhold(
        user=coordinator, recommendation=Recommendation.objects.get(code="R24.1"), reason="x"
    )
    publication.withhold(
        user=coordinator,
        line=FollowUpLine.objects.get(recommendation__code="R30a", actor__key="governments"),
        reason="y",
    )
    # Both are tagged: their share leaves the objectives' and targets' figures too.
    assert GcmTag.objects.filter(recommendation__code__in=["R24.1", "R30a"]).count() >= 2
    assert SdgTag.objects.filter(recommendation__code__in=["R24.1", "R30a"]).exists()
    member = Actor.objects.get(key="gha")
    added = services.line_add(
        recommendation=Recommendation.objects.get(code="R42.1"), actor=member, user=coordinator
    )
    publication.withhold(user=coordinator, line=added, reason="z")
    assert_figures_are_a_fresh_count_of_what_is_public()
    dashboard = Client().get("/en/public/").content.decode()
    assert "Ghana" not in dashboard


def test_an_unpublished_note_and_its_files_stay_private_until_published(site_on, users, record):
    upload = samples.upload("hotline-report.pdf", samples.pdf())
    update = record(note="A private account of it.", files=uploads.check_uploads([upload]))
    evidence = update.evidence_files.get()
    url = f"/en/public/evidence/{evidence.key}/"
    client = Client()
    assert "A private account of it." not in client.get(DETAIL).content.decode()
    assert client.get(url).status_code == 404
    publication.note_publish(update=update, user=users["coordinator"])
    detail = client.get(DETAIL).content.decode()
    assert "A private account of it." in detail
    assert url in detail
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == samples.pdf()
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "Set-Cookie" not in download.headers
    publication.note_withdraw(update=update, user=users["coordinator"])
    assert client.get(url).status_code == 404
    assert "A private account of it." not in client.get(DETAIL).content.decode()


def test_a_withdrawn_file_and_a_withheld_lines_file_are_not_downloaded(
    site_on, users, record, line
):
    from tracker.evidence import services as evidence_services

    upload = samples.upload("hotline-report.pdf", samples.pdf())
    update = record(publish=True, files=uploads.check_uploads([upload]))
    evidence = update.evidence_files.get()
    url = f"/en/public/evidence/{evidence.key}/"
    client = Client()
    assert client.get(url).status_code == 200
    publication.withhold(user=users["coordinator"], line=line, reason="Sensitive")
    assert client.get(url).status_code == 404
    publication.release(user=users["coordinator"], line=line)
    assert client.get(url).status_code == 200
    evidence_services.evidence_file_withdraw(
        evidence_file_id=evidence.pk, user=users["coordinator"], reason="Personal data"
    )
    assert client.get(url).status_code == 404
    assert "hotline-report.pdf" not in client.get(DETAIL).content.decode()
    assert "Personal data" not in everything(client)

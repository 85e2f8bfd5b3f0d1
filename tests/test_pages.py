"""The tracker's pages through the test client: who may open what, bad input, the stale
form, escaping, security headers, query counts, the list's filters and the account pages."""

import datetime
import math
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import urls as auth_urls
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hearings.models import Actor, Recommendation
from tests.listing import listed
from tracker import services
from tracker import urls as tracker_urls
from tracker.evidence import uploads
from tracker.evidence.models import EvidenceFile
from tracker.jobs.models import Job
from tracker.models import FollowUpLine, Profile, StatusUpdate
from tracker.notifications.models import UpdateRequest
from tracker.notifications.tokens import unsubscribe_token
from tracker.publication.models import NotePublication, PublicSite, Withholding

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
PASSWORD = "pw-for-tests"

# The line under test: civil society on R42.1. Another actor's line: employers on R30.3.
LINE_REC, LINE_ACTOR = "R42.1", "civil-society"
OTHER_REC, OTHER_ACTOR = "R30.3", "employers"
MEMBER_STATES = ["mex", "bra", "fra", "deu", "phl"]

ROLES = ["anonymous", "viewer", "other-focal-point", "focal-point", "coordinator", "superuser"]


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def users(loaded_report):
    User = get_user_model()

    def make(username, role, actor_keys=()):
        user = User.objects.create_user(
            username, email=f"{username}@example.org", password=PASSWORD
        )
        profile = Profile.objects.create(user=user, role=role)
        profile.actors.set(Actor.objects.filter(key__in=actor_keys))
        return user

    return {
        "viewer": make("viewer", "viewer"),
        "other-focal-point": make("focal-employers", "focal-point", [OTHER_ACTOR]),
        "focal-point": make("focal-civil-society", "focal-point", [LINE_ACTOR]),
        "coordinator": make("coordinator", "coordinator"),
        "superuser": User.objects.create_superuser(
            "admin", email="admin@example.org", password=PASSWORD
        ),
    }


@pytest.fixture
def line(loaded_report):
    return FollowUpLine.objects.get(recommendation__code=LINE_REC, actor__key=LINE_ACTOR)


@pytest.fixture
def other_line(loaded_report):
    return FollowUpLine.objects.get(recommendation__code=OTHER_REC, actor__key=OTHER_ACTOR)


def log_in(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


def update_data(**changes):
    """What the update form posts: a valid update on a line never updated (version 0)."""
    data = {
        "status": "in-progress",
        "note": "A hotline for migrants caught in crises now runs in three languages.",
        "evidence_links": "https://example.org/hotline",
        "effective_date": "2014-01-10",
        "version": "0",
    }
    data.update(changes)
    return data


def record(line, user, *, note="Recorded meanwhile.", status="planned", day=1, corrects=None):
    line.refresh_from_db()
    return services.status_update_record(
        line_id=line.pk,
        user=user,
        status=status,
        note=note,
        effective_date=datetime.date(2014, 1, 1) + datetime.timedelta(days=day),
        evidence_links=[f"https://example.org/evidence/{day}"],
        seen_version=line.update_count,
        corrects=corrects,
    )


def snapshot():
    """Everything a forged or invalid POST could change."""
    return (
        list(StatusUpdate.objects.order_by("pk").values_list("pk", flat=True)),
        list(
            FollowUpLine.objects.order_by("pk").values_list(
                "pk", "status", "update_count", "target_date", "current_update_id"
            )
        ),
        list(
            get_user_model()
            .objects.order_by("pk")
            .values_list("pk", "username", "email", "is_active")
        ),
        list(Profile.objects.order_by("pk").values_list("pk", "role", "time_zone")),
        list(Profile.actors.through.objects.order_by("pk").values_list("pk", flat=True)),
        list(EvidenceFile.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        list(PublicSite.objects.values_list("is_on", "target_dates_public")),
        list(NotePublication.objects.order_by("pk").values_list("pk", flat=True)),
        list(Withholding.objects.order_by("pk").values_list("pk", flat=True)),
    )


def text(response):
    return response.content.decode()


def field_errors(response, field):
    """The error list rendered beside a field (empty string when there is none)."""
    match = re.search(
        rf'<ul class="errorlist" id="id_{field}_errors?">(.*?)</ul>', text(response), re.S
    )
    return unescape(match.group(1)) if match else ""


def hidden_version(response):
    return int(re.search(r'name="version" value="(\d+)"', text(response)).group(1))


# --- 1. the permission matrix --------------------------------------------------------------

# Expected status per role, in ROLES order:
#   anonymous, viewer, other actor's focal point, this actor's focal point, coordinator, superuser
READ = (302, 200, 200, 200, 200, 200)
READ_REDIRECT = (302, 302, 302, 302, 302, 302)
OWN_LINE_GET = (302, 403, 403, 200, 200, 200)
OWN_LINE_POST = (302, 403, 403, 302, 302, 302)
OTHER_LINE_GET = (302, 403, 200, 403, 200, 200)
OTHER_LINE_POST = (302, 403, 302, 403, 302, 302)
COORDINATOR_GET = (302, 403, 403, 403, 200, 200)
COORDINATOR_POST = (302, 403, 403, 403, 302, 302)
ANY_USER_POST = (302, 302, 302, 302, 302, 302)
IMPORTER_GET = (302, 403, 200, 200, 200, 200)
IMPORTER_POST = (302, 403, 302, 302, 302, 302)
# A background job: its requester's alone (this actor's focal point here); 404 for others.
REQUESTER_GET = (302, 404, 404, 200, 404, 404)
REQUESTER_REDIRECT = (302, 404, 404, 302, 404, 404)
NOT_ALLOWED = (405, 405, 405, 405, 405, 405)
PUBLIC = (200, 200, 200, 200, 200, 200)

# (url name, symbolic args, method, expected statuses)
MATRIX = [
    ("dashboard", (), "get", READ),
    ("recommendations", (), "get", READ),
    ("recommendation", ("rec",), "get", READ),
    ("report", (), "get", READ),
    ("report-chapter", ("chapter",), "get", READ),
    ("report-paragraph", ("paragraph",), "get", READ_REDIRECT),
    ("preferences", (), "get", READ),
    ("preferences", (), "post", ANY_USER_POST),
    # The language switcher: anyone, signed in or not, back to `next`.
    ("language", (), "post", ANY_USER_POST),
    ("line-update", ("line",), "get", OWN_LINE_GET),
    ("line-update", ("line",), "post", OWN_LINE_POST),
    ("line-update", ("other-line",), "get", OTHER_LINE_GET),
    ("line-update", ("other-line",), "post", OTHER_LINE_POST),
    ("line-add", ("rec",), "get", COORDINATOR_GET),
    ("line-add", ("rec",), "post", COORDINATOR_POST),
    ("line-target", ("line",), "get", COORDINATOR_GET),
    ("line-target", ("line",), "post", COORDINATOR_POST),
    ("accounts", (), "get", COORDINATOR_GET),
    ("account-new", (), "get", COORDINATOR_GET),
    ("account-new", (), "post", COORDINATOR_POST),
    ("account-edit", ("account",), "get", COORDINATOR_GET),
    ("account-edit", ("account",), "post", COORDINATOR_POST),
    ("account-unlock", (), "post", COORDINATOR_POST),
    ("account-unlock", (), "get", NOT_ALLOWED),
    ("audit", (), "get", COORDINATOR_GET),
    ("audit-csv", (), "get", COORDINATOR_GET),
    # Reminders and requests (tracker/notifications; more in tests/notifications/).
    ("line-request-update", ("line",), "post", COORDINATOR_POST),
    ("line-request-update", ("line",), "get", NOT_ALLOWED),
    ("digest-frequency", (), "get", READ),
    ("digest-frequency", (), "post", ANY_USER_POST),
    ("digest-unsubscribe", ("unsubscribe",), "get", PUBLIC),  # the signed link is the key
    ("digest-unsubscribe", ("unsubscribe",), "post", PUBLIC),
    ("deliveries", (), "get", COORDINATOR_GET),
    # Evidence files: anyone logged in downloads; coordinators withdraw (tracker/evidence/).
    ("evidence-download", ("evidence",), "get", READ),
    ("evidence-download", ("evidence",), "post", NOT_ALLOWED),
    ("evidence-withdraw", ("evidence",), "get", COORDINATOR_GET),
    ("evidence-withdraw", ("evidence",), "post", COORDINATOR_POST),
    # Exports: anyone logged in. Imports: focal points and coordinators (tracker/imports.py).
    ("export", (), "get", READ),
    ("import", (), "get", IMPORTER_GET),
    ("import", (), "post", IMPORTER_GET),  # no file: the form again, with its error
    ("import-confirm", (), "post", IMPORTER_POST),  # nothing pending: back to the upload
    ("import-confirm", (), "get", NOT_ALLOWED),
    # Background jobs (tracker/jobs): starting a report is anyone's; a job is its requester's.
    ("export-background", (), "post", ANY_USER_POST),
    ("export-background", (), "get", NOT_ALLOWED),
    ("job", ("report-job",), "get", REQUESTER_GET),
    ("job", ("report-job",), "post", NOT_ALLOWED),
    ("job-progress", ("report-job",), "get", REQUESTER_GET),
    ("job-download", ("report-job",), "get", REQUESTER_GET),
    ("import-job", ("import-job",), "get", REQUESTER_REDIRECT),
    # What is public (tracker/publication; effects in tests/publication/): coordinators only.
    ("public-site", (), "get", COORDINATOR_GET),
    ("public-site", (), "post", NOT_ALLOWED),
    ("public-site-switch", (), "post", COORDINATOR_POST),
    ("public-site-switch", (), "get", NOT_ALLOWED),
    ("public-site-target-dates", (), "post", COORDINATOR_POST),
    ("public-site-target-dates", (), "get", NOT_ALLOWED),
    ("update-publish", ("update",), "post", COORDINATOR_POST),
    ("update-publish", ("update",), "get", NOT_ALLOWED),
    ("update-withdraw", ("update",), "post", COORDINATOR_POST),
    ("update-withdraw", ("update",), "get", NOT_ALLOWED),
    ("recommendation-withhold", ("rec",), "get", COORDINATOR_GET),
    ("recommendation-withhold", ("rec",), "post", COORDINATOR_POST),
    ("recommendation-release", ("rec",), "post", COORDINATOR_POST),
    ("recommendation-release", ("rec",), "get", NOT_ALLOWED),
    ("line-withhold", ("line",), "get", COORDINATOR_GET),
    ("line-withhold", ("line",), "post", COORDINATOR_POST),
    ("line-release", ("line",), "post", COORDINATOR_POST),
    ("line-release", ("line",), "get", NOT_ALLOWED),
    # The auth pages (django.contrib.auth.urls under /auth/).
    ("login", (), "get", PUBLIC),
    ("logout", (), "post", ANY_USER_POST),
    ("password_change", (), "get", READ),
    ("password_change_done", (), "get", READ),
    ("password_reset", (), "get", PUBLIC),
    ("password_reset_done", (), "get", PUBLIC),
    ("password_reset_confirm", ("uid", "token"), "get", PUBLIC),
    ("password_reset_complete", (), "get", PUBLIC),
]


@pytest.fixture
def evidence(users, line):
    """A PDF attached by the line's focal point, for the evidence file pages."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n")
    line.refresh_from_db()
    services.status_update_record(
        line_id=line.pk, user=users["focal-point"], status="planned", note="With a file.",
        effective_date=datetime.date(2014, 1, 1), evidence_links=[], seen_version=0,
        evidence_files=uploads.check_uploads([pdf]),
    )  # fmt: skip
    return EvidenceFile.objects.get()


def a_finished_job(users, **fields) -> int:
    """A job of this actor's focal point, done."""
    now = timezone.now()
    job = Job.objects.create(requester=users["focal-point"], state=Job.State.DONE,
                             finished_at=now, keep_until=now + datetime.timedelta(days=7),
                             **fields)  # fmt: skip
    if fields["kind"] == "report":
        job.result_file.save("progress.pdf", ContentFile(b"%PDF-1.7"))
    return job.pk


def resolve_args(symbols, users, line, other_line, evidence=None):
    jobs = {
        "report-job": lambda: a_finished_job(users, kind="report", title="PDF report",
                                             result_name="progress.pdf",
                                             result_type="application/pdf"),
        "import-job": lambda: a_finished_job(users, kind="import", title="Import",
                                             result_view="import-job",
                                             result={"recorded": 1}),
    }  # fmt: skip
    if symbols and symbols[0] in jobs:
        return [jobs[symbols[0]]()]
    if list(symbols) == ["update"]:
        return [record(line, users["focal-point"]).pk]
    values = {
        "rec": LINE_REC,
        "line": line.pk,
        "other-line": other_line.pk,
        "chapter": "VI",
        "paragraph": 42,
        "account": users["viewer"].pk,
        "uid": "MTIzNDU2",
        "token": "not-a-valid-token",
        "unsubscribe": unsubscribe_token(users["focal-point"]),
        "evidence": evidence.key if evidence else None,
    }
    return [values[s] for s in symbols]


def post_data(name):
    """A valid submission for each form, so that only permissions decide the outcome."""
    return {
        "line-update": update_data(),
        "line-add": {"actor": Actor.objects.get(key="mex").pk, "target_date": "2030-01-01"},
        "line-target": {"target_date": "2030-01-01"},
        "account-new": {
            "username": "new-viewer",
            "email": "new-viewer@example.org",
            "role": "viewer",
            "is_active": "on",
        },
        "account-edit": {
            "email": "renamed-viewer@example.org",
            "role": "viewer",
            "is_active": "on",
        },
        "preferences": {"time_zone": "Europe/Zurich"},
        "language": {"language": "en", "next": "/"},
        "digest-frequency": {"frequency": "monthly"},
        "account-unlock": {"username": "viewer"},
        "evidence-withdraw": {"reason": "Uploaded to the wrong line."},
        "public-site-switch": {"state": "on"},
        "public-site-target-dates": {"state": "on"},
        "recommendation-withhold": {"reason": "The Government's response is pending."},
        "line-withhold": {"reason": "The Government's response is pending."},
        "export-background": {"query": "format=pdf&as_of=2014-10-03&grouping=theme&theme=labour"},
    }.get(name, {})


@pytest.mark.parametrize(
    ("name", "symbols", "method", "role", "expected"),
    [
        pytest.param(
            name,
            symbols,
            method,
            role,
            statuses[i],
            id=f"{method}-{name}-{'-'.join(symbols)}-{role}",
        )
        for name, symbols, method, statuses in MATRIX
        for i, role in enumerate(ROLES)
    ],
)
@pytest.mark.usefixtures("jobs_here")
def test_permission_matrix(
    client, users, line, other_line, request, name, symbols, method, role, expected
):
    evidence = request.getfixturevalue("evidence") if "evidence" in symbols else None
    url = reverse(name, args=resolve_args(symbols, users, line, other_line, evidence))
    log_in(client, users, role)
    before = snapshot()
    response = client.get(url) if method == "get" else client.post(url, post_data(name))
    assert response.status_code == expected, text(response)[:2000]
    sent_to_login = role == "anonymous" and expected == 302 and name not in {"logout", "language"}
    if sent_to_login:
        location = urlsplit(response["Location"])
        assert location.path == resolve_url(settings.LOGIN_URL) == "/auth/login/"
        assert parse_qs(location.query)["next"] == [url]
    if method == "post" and (expected in (403, 405) or sent_to_login):
        assert snapshot() == before, "a refused POST changed data"
    if expected == 403:
        assert "You are not allowed to do this" in text(response)


def url_names(patterns):
    names = set()
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            names |= url_names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_the_matrix_covers_every_page():
    covered = {name for name, _symbols, _method, _expected in MATRIX}
    # The API's addresses (api-...) have their own matrix: tests/api/test_access.py.
    pages = {name for name in url_names(tracker_urls.urlpatterns) if not name.startswith("api-")}
    assert pages - covered == set()
    assert url_names(auth_urls.urlpatterns) - covered == set()


def test_paragraph_link_goes_to_its_place_in_the_chapter(client, users):
    client.force_login(users["viewer"])
    response = client.get(reverse("report-paragraph", args=[42]))
    assert response.status_code == 302
    assert response["Location"] == reverse("report-chapter", args=["VI"]) + "#p42"


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("focal-point", "line"),
        ("coordinator", "line"),
        ("superuser", "line"),
        ("other-focal-point", "other-line"),
        ("coordinator", "other-line"),
    ],
)
def test_allowed_update_is_recorded(client, users, line, other_line, role, target):
    target = {"line": line, "other-line": other_line}[target]
    client.force_login(users[role])
    response = client.post(reverse("line-update", args=[target.pk]), update_data())
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("recommendation", args=[target.recommendation.code]) + f"#line-{target.pk}"
    )
    target.refresh_from_db()
    assert target.status == "in-progress"
    assert target.update_count == 1
    update = target.updates.get()
    assert update.recorded_by == users[role]
    assert update.evidence_links == ["https://example.org/hotline"]


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("viewer", "line"),
        ("other-focal-point", "line"),
        ("viewer", "other-line"),
        ("focal-point", "other-line"),
    ],
)
def test_forged_update_changes_nothing(client, users, line, other_line, role, target):
    target = {"line": line, "other-line": other_line}[target]
    client.force_login(users[role])
    updates_before = StatusUpdate.objects.count()
    response = client.post(
        reverse("line-update", args=[target.pk]), update_data(status="implemented")
    )
    assert response.status_code == 403
    assert StatusUpdate.objects.count() == updates_before
    target.refresh_from_db()
    assert (target.status, target.update_count) == ("no-information", 0)


@pytest.mark.parametrize("role", ["viewer", "other-focal-point", "focal-point"])
@pytest.mark.parametrize("name", ["line-add", "line-target", "account-new", "account-edit"])
def test_forged_coordinator_post_changes_nothing(client, users, line, role, name):
    symbols = {"line-add": ("rec",), "line-target": ("line",), "account-edit": ("account",)}
    url = reverse(name, args=resolve_args(symbols.get(name, ()), users, line, line))
    client.force_login(users[role])
    before = snapshot()
    assert client.post(url, post_data(name)).status_code == 403
    assert snapshot() == before


# --- 2. bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "name", "args"),
    [
        ("viewer", "recommendation", ["R999"]),
        ("viewer", "recommendation", ["<script>"]),
        ("focal-point", "line-update", [999_999]),
        ("coordinator", "line-update", [999_999]),
        ("coordinator", "line-target", [999_999]),
        ("coordinator", "line-add", ["R999"]),
        ("viewer", "report-chapter", ["XLII"]),
        ("viewer", "report-paragraph", [999]),
        ("coordinator", "account-edit", [999_999]),
    ],
)
def test_unknown_objects_are_404(client, users, role, name, args):
    client.force_login(users[role])
    response = client.get(reverse(name, args=args))
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert "<script>" not in text(response)


@pytest.mark.parametrize(
    ("method", "name", "symbols"),
    [
        ("put", "line-update", ("line",)),
        ("delete", "line-update", ("line",)),
        ("patch", "line-update", ("line",)),
        ("post", "dashboard", ()),
        ("post", "recommendations", ()),
        ("post", "recommendation", ("rec",)),
        ("post", "report", ()),
        ("post", "report-chapter", ("chapter",)),
        ("post", "report-paragraph", ("paragraph",)),
        ("post", "accounts", ()),
        ("post", "audit", ()),
        ("post", "audit-csv", ()),
        ("delete", "account-edit", ("account",)),
        ("put", "preferences", ()),
    ],
)
def test_wrong_method_is_405(client, users, line, method, name, symbols):
    client.force_login(users["coordinator"])
    url = reverse(name, args=resolve_args(symbols, users, line, line))
    before = snapshot()
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"]
    assert snapshot() == before


INVALID_UPDATES = [
    # (field, changes to a valid submission, error shown beside the field)
    ("note", {"note": ""}, "This field is required."),
    ("note", {"note": "   \n  "}, "This field is required."),
    ("status", {"status": "done"}, "Select a valid choice. done is not one of the"),
    ("status", {"status": ""}, "This field is required."),
    ("effective_date", {"effective_date": "2013-07-14"}, "cannot be before the hearings"),
    ("effective_date", {"effective_date": "1999-01-01"}, "cannot be before the hearings"),
    ("effective_date", {"effective_date": "tomorrow+2"}, "The date cannot be in the future."),
    ("effective_date", {"effective_date": "2014-13-45"}, "Enter a valid date."),
    ("effective_date", {"effective_date": ""}, "This field is required."),
    ("evidence_links", {"evidence_links": "javascript:alert(1)"}, "Not an http(s) link"),
    ("evidence_links", {"evidence_links": "ftp://x"}, "Not an http(s) link: ftp://x"),
    (
        "evidence_links",
        {"evidence_links": "https://example.org/ok\njavascript:alert(1)"},
        "Not an http(s) link: javascript:alert(1)",
    ),
    (
        "evidence_links",
        {"evidence_links": "\n".join(f"https://example.org/{i}" for i in range(21))},
        "At most 20 links.",
    ),
]


@pytest.mark.parametrize(("field", "changes", "error"), INVALID_UPDATES)
def test_invalid_update_shows_the_form_again_and_saves_nothing(
    client, users, line, field, changes, error
):
    if changes.get("effective_date") == "tomorrow+2":
        changes = {"effective_date": (timezone.now().date() + datetime.timedelta(days=2))}
    client.force_login(users["focal-point"])
    before = snapshot()
    response = client.post(reverse("line-update", args=[line.pk]), update_data(**changes))
    assert response.status_code == 200
    assert '<form method="post"' in text(response)
    assert error in field_errors(response, field), text(response)
    assert "javascript:alert(1)</a>" not in text(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("theme=no-such-theme", "theme"),
        ("agenda=no-such-point", "agenda"),
        ("actor=no-such-actor", "actor"),
        ("status=done", "status"),
        ("chapter=XLII", "chapter"),
        ("paragraph=abc", "paragraph"),
        ("paragraph=0", "paragraph"),
        ("sort=password", "sort"),
        ("kind=everything", "kind"),
    ],
)
def test_bad_list_filter_is_400_with_a_readable_error(client, users, query, field):
    client.force_login(users["viewer"])
    response = client.get(reverse("recommendations") + "?" + query)
    assert response.status_code == 400
    assert "Some filters are not valid: correct them to see results." in text(response)
    assert field_errors(response, field)
    assert response.context["page"] is None


@pytest.mark.parametrize(
    ("page", "number"), [("999", 5), ("abc", 1), ("0", 5), ("-1", 5), ("2", 2), ("", 1)]
)
def test_any_page_number_is_handled(client, users, page, number):
    client.force_login(users["viewer"])
    response = client.get(reverse("recommendations"), {"page": page})
    assert response.status_code == 200
    assert response.context["page"].num_pages == 5
    assert response.context["page"].number == number


def test_post_without_csrf_token_is_refused_and_saves_nothing(users, line):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["focal-point"])
    url = reverse("line-update", args=[line.pk])
    before = snapshot()
    assert client.post(url, update_data()).status_code == 403
    assert snapshot() == before
    # The same submission with the form's token is accepted: the 403 was the token.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(client.get(url)))
    response = client.post(url, update_data(csrfmiddlewaretoken=token.group(1)))
    assert response.status_code == 302
    assert line.updates.count() == 1


# --- 3. the stale form ----------------------------------------------------------------------


def test_stale_form_keeps_the_users_text_and_shows_the_newer_update(client, users, line):
    client.force_login(users["focal-point"])
    url = reverse("line-update", args=[line.pk])
    opened = client.get(url)
    version = hidden_version(opened)
    assert version == 0

    newer = record(line, users["coordinator"], note="Newer note from the coordinator", day=30)

    typed = update_data(
        status="partially-implemented",
        note="My own account of the hotline & its reach",
        evidence_links="https://example.org/a\nhttps://example.org/b?x=1&y=2",
        effective_date="2014-03-01",
        version=str(version),
    )
    response = client.post(url, typed)
    assert response.status_code == 200
    page = text(response)
    # Issue #8: the message names who recorded the newer update, and when.
    assert "coordinator recorded an update on this line at " in page
    assert "after you opened the form" in page
    assert "Newer note from the coordinator" in page
    # Everything the user typed is still in the form.
    form = response.context["form"]
    assert form["note"].value() == typed["note"]
    assert form["evidence_links"].value() == typed["evidence_links"]
    assert form["effective_date"].value() == "2014-03-01"
    assert form["status"].value() == "partially-implemented"
    assert "My own account of the hotline &amp; its reach</textarea>" in page
    assert "https://example.org/a\nhttps://example.org/b?x=1&amp;y=2</textarea>" in page
    assert 'value="2014-03-01"' in page
    assert re.search(r'value="partially-implemented"[^>]*\bchecked\b', page)
    # Nothing saved: only the coordinator's update is on the line.
    assert list(line.updates.all()) == [newer]
    line.refresh_from_db()
    assert line.status == "planned"

    # Submitting again, against the version the page now carries, records the update.
    assert hidden_version(response) == 1
    again = client.post(url, {**typed, "version": str(hidden_version(response))})
    assert again.status_code == 302
    line.refresh_from_db()
    assert line.update_count == 2
    assert line.updates.order_by("-id").first().note == typed["note"]


# --- 4. escaping ----------------------------------------------------------------------------


def test_user_input_is_escaped_on_the_recommendation_page(client, users, line):
    client.force_login(users["focal-point"])
    note = "<script>alert(1)</script> and <b>x</b>"
    response = client.post(
        reverse("line-update", args=[line.pk]),
        update_data(note=note, evidence_links="https://example.org/evidence?a=1&b=2"),
    )
    assert response.status_code == 302
    page = text(client.get(reverse("recommendation", args=[LINE_REC])))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;x&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page
    assert "<b>x</b>" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "an inline <script> on the page"
    evidence = re.findall(r'<ul class="evidence">(.*?)</ul>', page, re.S)
    hrefs = [unescape(h) for block in evidence for h in re.findall(r'href="([^"]*)"', block)]
    assert hrefs == ["https://example.org/evidence?a=1&b=2"]
    assert 'href="https://example.org/evidence?a=1&amp;b=2"' in page
    assert "javascript:" not in page


def test_search_text_is_escaped_on_the_list(client, users):
    client.force_login(users["viewer"])
    response = client.get(reverse("recommendations"), {"q": '"><script>alert(1)</script>'})
    assert response.status_code == 200
    assert "<script>alert(1)" not in text(response)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text(response)


# --- 5. security headers and templates ------------------------------------------------------


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


HEADER_PAGES = [
    (role, name, symbols)
    for name, symbols, method, _expected in MATRIX
    # Evidence files: a download has its own sandboxing policy (tests/evidence/).
    if method == "get" and "evidence" not in symbols
    for role in ("anonymous", "viewer", "coordinator")
] + [("viewer", "recommendation", ("missing",)), ("viewer", "line-update", ("line",))]


@pytest.mark.parametrize(("role", "name", "symbols"), HEADER_PAGES)
def test_every_page_sends_a_strict_content_security_policy(
    client, users, line, role, name, symbols
):
    args = ["R999" if s == "missing" else resolve_args([s], users, line, line)[0] for s in symbols]
    log_in(client, users, role)
    response = client.get(reverse(name, args=args))
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert "'self'" in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_CODE = [
    ("inline <script>", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("event handler attribute", re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def test_templates_have_no_inline_script_or_style():
    templates = sorted(TEMPLATES_DIR.rglob("*.html"))
    assert len(templates) > 20
    found = []
    for path in templates:
        for number, line_text in enumerate(path.read_text().splitlines(), start=1):
            for what, pattern in INLINE_CODE:
                if pattern.search(line_text):
                    found.append(f"{path.relative_to(TEMPLATES_DIR)}:{number}: {what}")
    assert found == []


# --- 6. query counts ------------------------------------------------------------------------


def add_rows(users, line):
    """More of everything the pages list: lines for Member States on the line's recommendation
    and on R30a, 20 status updates (some corrections) spread over several lines, overdue and
    stale lines, requests for an update."""
    coordinator = users["coordinator"]
    for code in (LINE_REC, "R30a"):
        rec = Recommendation.objects.get(code=code)
        for key in MEMBER_STATES:
            services.line_add(
                recommendation=rec,
                actor=Actor.objects.get(key=key),
                user=coordinator,
                target_date=datetime.date(2014, 6, 30),
            )
    # The line's own recommendation first, so its page has history to show.
    lines = list(FollowUpLine.objects.filter(recommendation__code=LINE_REC)) + list(
        FollowUpLine.objects.filter(recommendation__code__in=["R30a", "R53.1"])
    )
    assert len(lines) >= 12
    statuses = ["planned", "in-progress", "partially-implemented", "not-started"]
    previous = {}
    for i in range(20):
        target = lines[i % 4]
        previous[target.pk] = record(
            target,
            coordinator,
            note=f"Update number {i}",
            status=statuses[i % len(statuses)],
            day=i,
            corrects=previous.get(target.pk) if i % 3 == 0 else None,
        )
    # Old, never-updated lines are stale; lines with a past target date are overdue.
    FollowUpLine.objects.filter(update_count=0).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    FollowUpLine.objects.filter(recommendation__code__in=["R53.1", "R30.3"]).update(
        target_date=datetime.date(2015, 1, 1)
    )
    # Requests for an update on the line's recommendation, on its timelines.
    for i, target in enumerate(lines[:6]):
        UpdateRequest.objects.create(
            line=target,
            requested_by=coordinator,
            requested_on=datetime.date(2014, 1, 1) + datetime.timedelta(days=i),
        )


# 1 session, 2 user, 3 profile (the time-zone middleware; cached on the user for the role),
# 4 the tallies (every figure per status: lines per actor, recommendations per theme, per
# agenda point, per GCM objective and per SDG target), 5 themes, 6 agenda points,
# 7 GCM objectives, 8 SDG targets,
# 9 the 10 recent updates with line, recommendation, actor and recorder,
# 10 overdue lines counted, 11 the first of them, 12 open lines touched lately (the stale
# count is the open lines less these), 13 the first stale lines, 14 whether the public
# site is on (a link to the public dashboard)
DASHBOARD_QUERIES = 14


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # + the focal point's actors (represented_actor_ids, after the profile); its lines
        # per status come from the tallies
        ("focal-point", DASHBOARD_QUERIES + 1),
        ("coordinator", DASHBOARD_QUERIES),
    ],
)
def test_dashboard_query_count_does_not_grow_with_rows(
    client, users, line, django_assert_num_queries, role, queries
):
    client.force_login(users[role])
    url = reverse("dashboard")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    add_rows(users, line)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["recent_updates"]) == 10
    assert response.context["overdue_count"] > 10
    assert response.context["stale_count"] > 10


# 1 session, 2 user, 3 profile (time-zone middleware), 4 the count (from the dashboard's
# tallies where they hold it, else counted up to paging.COUNT_CAP),
# 5-10 the filter form's choices (rendered above the rows): themes, agenda points, GCM
# objectives, SDG targets, actors, chapters, 11 the page's ids (a narrow read, however
# deep), 12 those rows with paragraph, theme, progress and restates' progress,
# 13 addressees of the page's rows, 14 their agenda points, 15 whether the public site is
# on (a link to the same list there)
LIST_QUERIES = 15


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ({}, LIST_QUERIES),
        # + the theme looked up by its key when the filter is validated (before the count)
        ({"theme": "rights", "status": "no-information"}, LIST_QUERIES + 1),
        # + the objective looked up by its key; the count from the tallies still
        ({"gcm": "gcm-6"}, LIST_QUERIES + 1),
        # + the objective and the target by their keys; the count counted (up to the cap)
        ({"gcm": "gcm-6", "sdg": "sdg-8-8"}, LIST_QUERIES + 2),
        # + the focal point's actors for ?mine=on, + their lines' recommendations (a few
        # actors' lines are read first: filters.with_lines_of)
        ({"mine": "on", "sort": "title"}, LIST_QUERIES + 2),
    ],
)
def test_list_query_count_does_not_grow_with_rows(
    client, users, line, django_assert_num_queries, query, queries
):
    client.force_login(users["focal-point"])
    url = reverse("recommendations")
    with django_assert_num_queries(queries):
        assert client.get(url, query).status_code == 200
    add_rows(users, line)
    with django_assert_num_queries(queries):
        response = client.get(url, query)
    assert response.context["page"].object_list


# 1 session, 2 user, 3 profile (time-zone middleware),
# 4 the recommendation with paragraph, chapter, section, theme, progress and restates,
# 5 addressee links, 6 their actors, 7 mentioned actors, 8 agenda points, 9 GCM tags with
# their objectives, 10 SDG tags with their targets, 11 restatements,
# 12 lines with actor and current update, 13 their updates with recorder and correction,
# 14 the updates' evidence files with who withdrew them (asked once there is an update),
# 15 the update requests on the lines (tracker.notifications), with who asked,
# 16 whether the public site is on (a link to the public page)
DETAIL_QUERIES = 16


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # + the focal point's actors, asked once for every line's "record" button
        ("focal-point", DETAIL_QUERIES + 1),
        ("coordinator", DETAIL_QUERIES),
    ],
)
def test_recommendation_query_count_does_not_grow_with_rows(
    client, users, line, django_assert_num_queries, role, queries
):
    client.force_login(users[role])
    url = reverse("recommendation", args=[LINE_REC])
    record(line, users["coordinator"])
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    add_rows(users, line)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["lines"]) == 1 + len(MEMBER_STATES)
    assert sum(len(x.updates.all()) for x in response.context["lines"]) >= 5
    assert response.content.decode().count('id="update-request-') == 6


# --- 7. the list ----------------------------------------------------------------------------


def main_codes(**filters):
    return set(Recommendation.objects.main().filter(**filters).values_list("code", flat=True))


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ({"theme": "rights"}, {"theme__key": "rights"}),
        ({"agenda": "distress-transit"}, {"agenda_points__key": "distress-transit"}),
        ({"chapter": "VI"}, {"paragraph__chapter__numeral": "VI"}),
        ({"paragraph": "30"}, {"paragraph__number": 30}),
        ({"status": "no-information"}, {"progress__status": "no-information"}),
    ],
)
def test_list_filters(client, users, query, filters):
    client.force_login(users["viewer"])
    response = client.get(reverse("recommendations"), query)
    assert response.status_code == 200
    codes = {r.code for r in listed(response)}
    assert codes
    assert codes == main_codes(**filters)
    assert response.context["page"].count == len(codes)


def test_paragraph_filter_lists_the_items_of_paragraph_30(client, users):
    client.force_login(users["viewer"])
    codes = {r.code for r in listed(client.get(reverse("recommendations"), {"paragraph": 30}))}
    assert {"R30a", "R30b", "R30c", "R30d", "R30.1", "R30.2", "R30.3"} <= codes
    assert all(code.startswith("R30") for code in codes)


def test_actor_filter_lists_lines_and_addressees_of_the_actor(client, users, line):
    # A coordinator's line for civil society on a recommendation not addressed to it.
    rec = Recommendation.objects.main().exclude(follow_up_lines__actor__key=LINE_ACTOR).first()
    services.line_add(
        recommendation=rec, actor=Actor.objects.get(key=LINE_ACTOR), user=users["coordinator"]
    )
    client.force_login(users["viewer"])
    # Civil society is a group: "only" leaves its members' lines out (issue #8).
    response = client.get(reverse("recommendations"), {"actor": LINE_ACTOR, "actor_only": "on"})
    codes = {r.code for r in listed(response)}
    expected = main_codes(follow_up_lines__actor__key=LINE_ACTOR) | main_codes(
        addressee_links__actor__key=LINE_ACTOR
    )
    assert {LINE_REC, rec.code} <= codes
    assert codes == expected


def test_status_filter_follows_recorded_updates(client, users, line):
    record(line, users["coordinator"], status="implemented")
    client.force_login(users["viewer"])
    url = reverse("recommendations")
    implemented = {r.code for r in listed(client.get(url, {"status": "implemented"}))}
    assert implemented == {LINE_REC}
    waiting = {r.code for r in listed(client.get(url, {"status": "no-information"}))}
    assert LINE_REC not in waiting
    assert waiting


def test_overdue_filter(client, users, line, other_line):
    past, future = datetime.date(2015, 1, 1), datetime.date(2099, 1, 1)
    coordinator = users["coordinator"]
    services.line_set_target_date(line=line, user=coordinator, target_date=past)
    services.line_set_target_date(line=other_line, user=coordinator, target_date=future)
    # A line past its target date but implemented is not overdue.
    done = FollowUpLine.objects.get(recommendation__code="R53.1", actor__key=OTHER_ACTOR)
    services.line_set_target_date(line=done, user=coordinator, target_date=past)
    record(done, coordinator, status="implemented")
    client.force_login(users["viewer"])
    response = client.get(reverse("recommendations"), {"overdue": "on"})
    assert [r.code for r in listed(response)] == [LINE_REC]
    everything = client.get(reverse("recommendations"), {"overdue": ""})
    assert everything.context["page"].count == Recommendation.objects.main().count()


def test_mine_filter_for_a_focal_point(client, users):
    client.force_login(users["focal-point"])
    codes = {r.code for r in listed(client.get(reverse("recommendations"), {"mine": "on"}))}
    assert LINE_REC in codes
    assert codes == main_codes(follow_up_lines__actor__key=LINE_ACTOR)
    assert OTHER_REC not in codes


def test_mine_filter_for_a_viewer_lists_nothing(client, users):
    client.force_login(users["viewer"])
    response = client.get(reverse("recommendations"), {"mine": "on"})
    assert response.status_code == 200
    assert listed(response) == []
    assert "No recommendation matches these filters." in text(response)


@pytest.mark.parametrize("q", ["recruitment", "Recruitment", "recruitment agencies"])
def test_search_finds_titles_and_texts(client, users, q):
    client.force_login(users["viewer"])
    found = listed(client.get(reverse("recommendations"), {"q": q}))
    codes = {r.code for r in found}
    if q == "recruitment agencies":
        assert {"R30b", "R30c", "R30d"} <= codes
    else:
        assert {"R30a", "R30b", "R30c", "R30d"} <= codes
    for rec in found:
        haystack = (rec.title + " " + rec.text).lower()
        assert all(word.lower()[:7] in haystack for word in q.split()), rec.code
    assert "R42.1" not in codes


def test_search_for_nothing_known_finds_nothing(client, users):
    client.force_login(users["viewer"])
    response = client.get(reverse("recommendations"), {"q": "zyxwvut"})
    assert response.status_code == 200
    assert listed(response) == []
    assert "0 recommendations" in text(response)
    assert "No recommendation matches these filters." in text(response)


def test_sort_by_title(client, users):
    client.force_login(users["viewer"])
    url = reverse("recommendations")
    by_title = [r.title for r in listed(client.get(url, {"sort": "title"}))]
    expected = list(Recommendation.objects.main().order_by("title").values_list("title", flat=True))
    assert by_title == expected
    assert [r.title for r in listed(client.get(url, {"sort": "-title"}))] == expected[::-1]
    report_order = [r.title for r in listed(client.get(url))]
    assert report_order != by_title
    assert sorted(report_order) == sorted(by_title)


def test_list_counts_and_pages_by_25(client, users):
    client.force_login(users["viewer"])
    url = reverse("recommendations")
    total = Recommendation.objects.main().count()
    response = client.get(url)
    page = response.context["page"]
    assert page.count == total
    assert f"{total} recommendations" in text(response)
    assert len(page.object_list) == 25
    assert page.num_pages == math.ceil(total / 25)
    assert f"page 1 of {page.num_pages}" in text(response)
    last = client.get(url, {"page": page.num_pages}).context["page"]
    assert len(last.object_list) == total - 25 * (page.num_pages - 1)
    everything = client.get(url, {"kind": "all"}).context["page"].count
    assert everything == Recommendation.objects.current().count()
    assert everything > total


def test_filters_live_in_the_query_string_and_pagination_keeps_them(client, users):
    client.force_login(users["viewer"])
    url = reverse("recommendations")
    response = client.get(url, {"theme": "rights", "sort": "title", "page": "2"})
    page = response.context["page"]
    assert page.number == 2
    assert page.count == len(main_codes(theme__key="rights")) > 25
    assert '<form method="get" class="filters"' in text(response)
    # Themes are checkboxes since issue #8 (several at once).
    assert re.search(
        r'<input type="checkbox" name="theme" value="rights"[^>]* checked>', text(response)
    )
    nav = re.search(r'<nav class="pagination".*?</nav>', text(response), re.S).group(0)
    links = [unescape(h) for h in re.findall(r'href="([^"]*)"', nav)]
    assert links
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["theme"] == ["rights"], link
        assert query["sort"] == ["title"], link
        assert len(query["page"]) == 1, link
    first = client.get(url + next(link for link in links if "page=1" in link))
    assert first.context["page"].number == 1
    assert {r.theme.key for r in first.context["page"].object_list} == {"rights"}


# --- 8. account pages -----------------------------------------------------------------------


def account_data(**changes):
    data = {
        "username": "new-focal",
        "email": "new-focal@example.org",
        "first_name": "Ana",
        "last_name": "Lima",
        "role": "focal-point",
        "actors": [Actor.objects.get(key=LINE_ACTOR).pk, Actor.objects.get(key="bra").pk],
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_coordinator_creates_a_focal_point_who_is_emailed_a_link(client, users, mailoutbox):
    client.force_login(users["coordinator"])
    response = client.post(reverse("account-new"), account_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts")
    account = get_user_model().objects.get(username="new-focal")
    assert account.is_active
    assert account.email == "new-focal@example.org"
    assert account.profile.role == "focal-point"
    assert set(account.profile.actors.values_list("key", flat=True)) == {LINE_ACTOR, "bra"}
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["new-focal@example.org"]
    assert "new-focal" in mail.body
    # On PUBLIC_BASE_URL, not on the request's host (testserver).
    link = re.search(rf"{re.escape(settings.PUBLIC_BASE_URL)}(/auth/reset/\S+/)", mail.body)
    assert link, mail.body
    # The link lets the new user choose a password.
    anonymous = Client()
    chosen = anonymous.get(link.group(1), follow=True)
    assert chosen.status_code == 200
    assert chosen.context["validlink"]
    listing = client.get(reverse("accounts"))
    assert "new-focal" in text(listing)
    assert "Account new-focal created" in text(listing)


def test_invitation_goes_to_the_new_account_only(client, users, mailoutbox):
    """Issue #8 made e-mail addresses unique in any case (they were shared, as a team
    mailbox, before): another account's address is refused, and the invitation goes to the
    new account only."""
    client.force_login(users["coordinator"])
    shared = client.post(reverse("account-new"), account_data(email=users["viewer"].email.upper()))
    assert shared.status_code == 200
    assert "Another account has this e-mail address." in field_errors(shared, "email")
    assert not mailoutbox
    response = client.post(reverse("account-new"), account_data())
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "new-focal" in mailoutbox[0].body
    assert "Your user name: viewer" not in mailoutbox[0].body


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"actors": []}, "actors", "A focal point reports for at least one actor."),
        ({"username": "viewer"}, "username", "This user name is taken."),
        ({"username": "a b"}, "username", "Enter a valid value."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"role": "administrator"}, "role", "Select a valid choice."),
    ],
)
def test_account_form_errors(client, users, mailoutbox, changes, field, error):
    client.force_login(users["coordinator"])
    before = snapshot()
    response = client.post(reverse("account-new"), account_data(**changes))
    assert response.status_code == 200
    assert error in field_errors(response, field)
    assert snapshot() == before
    assert mailoutbox == []


def test_deactivating_an_account_through_the_edit_page(client, users):
    focal = users["focal-point"]
    client.force_login(users["coordinator"])
    url = reverse("account-edit", args=[focal.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "focal-civil-society" in text(form)
    response = client.post(url, account_data(username="ignored", email=focal.email, is_active=""))
    assert response.status_code == 302
    focal.refresh_from_db()
    assert not focal.is_active
    assert focal.username == "focal-civil-society"
    # A deactivated account cannot use the tracker any more.
    other = Client()
    other.force_login(focal)
    assert other.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize("role", ["coordinator", "superuser"])
def test_coordinator_cannot_deactivate_themselves(client, users, role):
    me = users[role]
    client.force_login(me)
    response = client.post(
        reverse("account-edit", args=[me.pk]),
        account_data(email=me.email, role="coordinator", actors=[], is_active=""),
    )
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in field_errors(response, "is_active")
    me.refresh_from_db()
    assert me.is_active


def test_overall_status_is_shown_beside_the_lines_per_status(client, users, line):
    record(line, users["coordinator"], status="in-progress")
    client.force_login(users["viewer"])
    listing = client.get(reverse("recommendations"), {"actor": LINE_ACTOR}).content.decode()
    detail = client.get(reverse("recommendation", args=[LINE_REC])).content.decode()
    assert "(lines: 1 in progress)" in listing
    assert "(lines: 1 in progress)" in detail

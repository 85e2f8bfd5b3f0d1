"""At most once per person and period, whatever happens: runs that repeat, a mail server
refusing one recipient half-way, a run stopped after claiming, two runs at once; claims
committed before the e-mail goes; e-mails read back from Django's file backend; queries
that do not grow with lines or recipients."""

import datetime
import email
import email.policy

import pytest
from django.core.management import CommandError

from tracker.models import FollowUpLine, Role
from tracker.notifications import digests, emails
from tracker.notifications.digests import digests_send
from tracker.notifications.models import Delivery

from . import backends
from .conftest import MONDAY, make_user, send_reminders

pytestmark = pytest.mark.django_db

WEEK = datetime.timedelta(days=7)
ACTORS = ["employers", "trade-unions", "civil-society", "gfmd", "governments", "un-system"]


@pytest.fixture
def everything_overdue(lines_made):
    FollowUpLine.objects.update(target_date=datetime.date(2027, 2, 1))


def focal_points(n):
    return [make_user(f"focal-{key}", Role.FOCAL_POINT, actor_keys=[key]) for key in ACTORS[:n]]


@pytest.fixture
def failing_backend(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailFor"
    settings.FAIL_FOR = {"focal-trade-unions@example.org"}
    backends.SEEN.clear()
    return backends.SEEN


def test_a_recipient_refused_half_way_leaves_the_others_sent_and_is_recorded(
    everything_overdue, failing_backend, mailoutbox, settings
):
    focal_points(3)
    with pytest.raises(CommandError, match="1 digest\\(s\\) could not be sent; they are"):
        send_reminders(MONDAY)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "focal-civil-society@example.org",
        "focal-employers@example.org",
    ]
    rows = Delivery.objects.order_by("email").values_list("email", "state", "error")
    assert list(rows) == [
        ("focal-civil-society@example.org", "sent", ""),
        ("focal-employers@example.org", "sent", ""),
        (
            "focal-trade-unions@example.org",
            "failed",
            "SMTPRecipientsRefused: {'focal-trade-unions@example.org': (550, b'No such user')}",
        ),
    ]
    # Running again the same week sends nothing to anyone: not the sent ones, and not
    # the failed one either (the server may have taken it after all).
    settings.FAIL_FOR = set()
    out = send_reminders(MONDAY)
    assert "3 already claimed this period" in out
    assert len(mailoutbox) == 2
    send_reminders(MONDAY + WEEK)  # the next week, everyone
    assert len(mailoutbox) == 5


def test_an_email_that_cannot_be_written_is_recorded_and_the_others_go(
    everything_overdue, mailoutbox, monkeypatch
):
    focal_points(3)
    write = emails.digest_message

    def broken_for_unions(digest):
        if digest.recipient.username == "focal-trade-unions":
            raise ValueError("a template went wrong")
        return write(digest)

    monkeypatch.setattr(emails, "digest_message", broken_for_unions)
    run = digests_send(MONDAY)
    assert len(run.sent) == len(mailoutbox) == 2
    failed = Delivery.objects.get(state="failed")
    assert (failed.email, failed.error) == (
        "focal-trade-unions@example.org",
        "ValueError: a template went wrong",
    )


def test_every_claim_is_in_the_database_before_its_email_goes(
    everything_overdue, failing_backend, mailoutbox
):
    focal_points(3)
    with pytest.raises(CommandError):
        send_reminders(MONDAY)
    assert [state for _address, state, _in_transaction in failing_backend] == ["claimed"] * 3


@pytest.mark.django_db(transaction=True)
def test_claims_are_committed_before_any_email_goes(loaded_report, failing_backend, mailoutbox):
    FollowUpLine.objects.update(target_date=datetime.date(2027, 2, 1))
    focal_points(2)
    digests_send(MONDAY)
    assert failing_backend == [
        ("focal-employers@example.org", "claimed", False),
        ("focal-trade-unions@example.org", "claimed", False),
    ]


def test_a_run_stopped_after_claiming_is_not_sent_again(everything_overdue, mailoutbox):
    [stopped, fine] = focal_points(2)
    Delivery.objects.create(
        recipient=stopped,
        kind="digest",
        period="2027-W09",
        email=stopped.email,
        claim="00000000-0000-0000-0000-000000000001",
    )  # claimed, then the process was killed: nobody knows whether it went
    send_reminders(MONDAY)
    assert [m.to for m in mailoutbox] == [[fine.email]]
    assert Delivery.objects.get(recipient=stopped).state == "claimed"


def test_two_runs_at_once_send_one_digest(everything_overdue, mailoutbox, monkeypatch):
    [person] = focal_points(1)
    first = digests.digests_due(MONDAY)  # a run that read before the other one claimed
    monkeypatch.setattr(digests, "digests_due", lambda today: first)
    Delivery.objects.create(
        recipient=person,
        kind="digest",
        period="2027-W09",
        email=person.email,
        claim="00000000-0000-0000-0000-000000000002",
    )  # the other run's claim, made meanwhile
    run = digests.digests_send(MONDAY)
    assert (run.sent, run.taken) == ([], 1)
    assert mailoutbox == []


def test_runs_read_back_from_the_file_backend(everything_overdue, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    settings.PUBLIC_BASE_URL = "https://tracker.example.org"
    focal_points(2)
    for day in range(10):  # every day for ten days: two ISO weeks
        send_reminders(MONDAY + datetime.timedelta(days=day))
    raw = b"".join(path.read_bytes() for path in sorted(tmp_path.iterdir()))
    messages = [
        email.message_from_bytes(chunk.strip() + b"\n", policy=email.policy.default)
        for chunk in raw.split(b"-" * 79)
        if chunk.strip()
    ]
    assert sorted((m["To"], m["Subject"].split(":")[0]) for m in messages) == [
        ("focal-employers@example.org", "Your follow-up lines as of 1 March 2027"),
        ("focal-employers@example.org", "Your follow-up lines as of 8 March 2027"),
        ("focal-trade-unions@example.org", "Your follow-up lines as of 1 March 2027"),
        ("focal-trade-unions@example.org", "Your follow-up lines as of 8 March 2027"),
    ]
    message = messages[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<https://tracker.example.org/reminders/unsubscribe/")
    )
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Overdue (" in text
    assert "<h2>Overdue (" in html


# 1 the focal points with profile and choice, 2 their actors, 3 the claims already made
# this period, 4-6 the lines of each section (overdue, due, stale), 7 the claims inserted,
# 8 read back; then one query per e-mail to record it sent or failed.
READS_AND_CLAIMS = 8


@pytest.mark.parametrize("people", [2, 6])
def test_queries_do_not_grow_with_lines_or_recipients(
    everything_overdue, mailoutbox, django_assert_num_queries, people
):
    focal_points(people)
    with django_assert_num_queries(6):  # a dry run reads only
        run = digests_send(MONDAY, dry_run=True)
    assert len(run.digests) == people
    assert sum(d.line_count for d in run.digests) > people  # some have many lines
    with django_assert_num_queries(READS_AND_CLAIMS + people):
        run = digests_send(MONDAY)
    assert len(run.sent) == len(mailoutbox) == people

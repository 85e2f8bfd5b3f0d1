"""The digest, with the clock moved (`send_reminders --now`): lines becoming due, overdue
and stale; weekly, monthly, never; one digest per period however often it runs; quiet when
there is nothing to say; what the e-mail says, in which language, with which links."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from tracker import services
from tracker.models import FollowUpLine, Role
from tracker.notifications.digests import digests_send, period_of
from tracker.notifications.models import Delivery, DigestPreference, Frequency

from .conftest import (
    FIRST_STALE_DAY,
    MONDAY,
    employers_lines,
    html_part,
    make_user,
    send_reminders,
    text_part,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def set_target(line, day):
    FollowUpLine.objects.filter(pk=line.pk).update(target_date=day)


def test_nothing_to_say_sends_nothing_and_claims_nothing(employers_focal, mailoutbox):
    out = send_reminders(MONDAY)
    assert mailoutbox == []
    assert not Delivery.objects.exists()
    assert "0 sent" in out
    assert "1 with nothing to say" in out


def test_a_line_becomes_due_then_overdue(employers_focal, mailoutbox):
    line = employers_lines()[0]
    set_target(line, datetime.date(2027, 4, 11))  # 41 days after MONDAY
    send_reminders(MONDAY)
    assert mailoutbox == []  # not yet within 30 days

    send_reminders(datetime.date(2027, 3, 15))  # 27 days before: due
    [due] = mailoutbox
    assert due.to == ["focal-employers@example.org"]
    assert due.subject == "Your follow-up lines as of 15 March 2027: 1 due soon"
    body = text_part(due)
    assert "Due within 30 days (1)" in body
    assert f"- R30.3, {line.actor.name}: {line.recommendation.title}" in body
    assert "target date 11 April 2027, in 27 days" in body
    assert "Overdue" not in body

    send_reminders(datetime.date(2027, 4, 13))  # two days after its target date
    overdue = mailoutbox[1]
    assert overdue.subject == "Your follow-up lines as of 13 April 2027: 1 overdue"
    assert "Overdue (1)" in text_part(overdue)
    assert "target date 11 April 2027, 2 days ago" in text_part(overdue)


def test_a_line_in_a_final_status_is_not_due(employers_focal, coordinator, mailoutbox):
    line = employers_lines()[0]
    set_target(line, datetime.date(2027, 3, 20))
    with time_machine.travel(datetime.datetime(2027, 3, 5, 12, tzinfo=datetime.UTC)):
        services.status_update_record(
            line_id=line.pk,
            user=coordinator,
            status="implemented",
            note="Done in full.",
            effective_date=datetime.date(2027, 3, 5),
            evidence_links=[],
            seen_version=0,
        )
    send_reminders(datetime.date(2027, 3, 8))
    send_reminders(datetime.date(2027, 3, 29))  # its target date passed
    assert mailoutbox == []


def test_lines_become_stale_and_an_update_takes_one_out(employers_focal, coordinator, mailoutbox):
    send_reminders(FIRST_STALE_DAY - DAY)
    assert mailoutbox == []
    send_reminders(FIRST_STALE_DAY + DAY)  # 5 July 2027, a Monday
    [first] = mailoutbox
    assert "Nothing recorded for 180 days (2)" in text_part(first)
    assert text_part(first).count("nothing recorded yet") == 2

    updated, still_stale = employers_lines()
    with time_machine.travel(datetime.datetime(2027, 7, 7, 9, tzinfo=datetime.UTC)):
        services.status_update_record(
            line_id=updated.pk,
            user=coordinator,
            status="planned",
            note="A plan is agreed.",
            effective_date=datetime.date(2027, 7, 6),
            evidence_links=[],
            seen_version=0,
        )
    send_reminders(datetime.date(2027, 7, 12))  # the next week
    second = mailoutbox[1]
    assert "Nothing recorded for 180 days (1)" in text_part(second)
    assert still_stale.recommendation.title in text_part(second)
    assert updated.recommendation.title not in text_part(second)


def test_each_line_is_listed_once_in_the_first_section_that_applies(employers_focal, mailoutbox):
    overdue, due = employers_lines()
    set_target(overdue, datetime.date(2027, 7, 1))
    set_target(due, datetime.date(2027, 7, 20))
    send_reminders(datetime.date(2027, 7, 5))  # both are stale too
    body = text_part(mailoutbox[0])
    assert "Overdue (1)" in body
    assert "Due within 30 days (1)" in body
    assert "Nothing recorded" not in body
    assert mailoutbox[0].subject.endswith(": 1 overdue, 1 due soon")


def test_two_runs_send_one_digest_per_week(employers_focal, mailoutbox):
    set_target(employers_lines()[0], MONDAY + 5 * DAY)
    send_reminders(MONDAY)
    out = send_reminders(MONDAY)
    send_reminders(MONDAY + 3 * DAY)  # the same ISO week
    assert len(mailoutbox) == 1
    assert "1 already claimed this period" in out
    send_reminders(MONDAY + 7 * DAY)  # the next week: overdue now
    assert len(mailoutbox) == 2
    assert list(Delivery.objects.order_by("pk").values_list("period", "state")) == [
        ("2027-W09", "sent"),
        ("2027-W10", "sent"),
    ]


def test_a_week_with_nothing_on_monday_sends_when_there_is(employers_focal, mailoutbox):
    set_target(employers_lines()[0], MONDAY + 33 * DAY)
    send_reminders(MONDAY)  # 33 days away: nothing to say, nothing claimed
    send_reminders(MONDAY + 3 * DAY)  # 30 days away: due
    assert len(mailoutbox) == 1
    assert Delivery.objects.get().period == "2027-W09"


def test_monthly_digest_once_a_month(employers_focal, mailoutbox):
    DigestPreference.objects.create(user=employers_focal, frequency=Frequency.MONTHLY)
    set_target(employers_lines()[0], datetime.date(2027, 2, 1))  # overdue all along
    for week in range(9):  # every Monday from 1 March to 26 April
        send_reminders(MONDAY + 7 * week * DAY)
    assert [m.subject.split(":")[0] for m in mailoutbox] == [
        "Your follow-up lines as of 1 March 2027",
        "Your follow-up lines as of 5 April 2027",
    ]
    assert "every month" in text_part(mailoutbox[0])


def test_default_frequency_comes_from_the_setting(employers_focal, mailoutbox, settings):
    settings.DIGEST_DEFAULT_FREQUENCY = "monthly"
    set_target(employers_lines()[0], datetime.date(2027, 2, 1))
    send_reminders(MONDAY)
    send_reminders(MONDAY + 7 * DAY)
    assert len(mailoutbox) == 1
    assert Delivery.objects.get().period == "2027-03"


def test_never_sends_nothing(employers_focal, mailoutbox):
    DigestPreference.objects.create(user=employers_focal, frequency=Frequency.NEVER)
    set_target(employers_lines()[0], datetime.date(2027, 2, 1))
    out = send_reminders(MONDAY)
    assert mailoutbox == []
    assert "1 opted out" in out


def test_only_active_focal_points_with_an_address_get_one(lines_made, mailoutbox):
    set_target(employers_lines()[0], datetime.date(2027, 2, 1))
    make_user("viewer", Role.VIEWER, actor_keys=["employers"])
    make_user("coordinator", Role.COORDINATOR, actor_keys=["employers"])
    make_user("no-address", Role.FOCAL_POINT, actor_keys=["employers"], email="")
    gone = make_user("gone", Role.FOCAL_POINT, actor_keys=["employers"])
    gone.is_active = False
    gone.save()
    make_user("group-focal", Role.FOCAL_POINT, actor_keys=["civil-society"])  # no line due
    make_user("focal", Role.FOCAL_POINT, actor_keys=["employers"])
    send_reminders(MONDAY)
    assert [m.to for m in mailoutbox] == [["focal@example.org"]]


def test_a_person_with_several_actors_gets_one_digest_of_all(lines_made, mailoutbox):
    make_user("both", Role.FOCAL_POINT, actor_keys=["employers", "trade-unions"])
    employers_line = employers_lines()[0]
    unions_line = FollowUpLine.objects.get(actor__key="trade-unions")
    set_target(employers_line, datetime.date(2027, 2, 20))
    set_target(unions_line, datetime.date(2027, 2, 10))
    send_reminders(MONDAY)
    [digest] = mailoutbox
    body = text_part(digest)
    assert "Overdue (2)" in body
    # The longest overdue first, whichever actor's it is.
    assert body.index("Trade unions") < body.index("target date 20 February 2027")
    assert "because you report for: Employers" in " ".join(body.split())


def test_long_sections_list_the_first_and_link_to_the_rest(lines_made, mailoutbox, settings):
    settings.PUBLIC_BASE_URL = "https://tracker.example.org"
    make_user("gov", Role.FOCAL_POINT, actor_keys=["governments"])
    count = FollowUpLine.objects.followed().active().filter(actor__key="governments").count()
    assert count > 25
    send_reminders(datetime.date(2027, 7, 5))  # every line stale
    body = text_part(mailoutbox[0])
    assert f"Nothing recorded for 180 days ({count})" in body
    assert body.count("Record an update:") == 25
    assert (
        f"And {count - 25} more lines: https://tracker.example.org/recommendations/?mine=on" in body
    )


def test_the_email_has_both_parts_links_and_one_click_headers(
    employers_focal, mailoutbox, settings
):
    settings.PUBLIC_BASE_URL = "https://tracker.example.org"
    settings.REMINDERS_FROM_EMAIL = "reminders@example.org"
    line = employers_lines()[0]
    set_target(line, datetime.date(2027, 2, 1))
    send_reminders(MONDAY)
    [message] = mailoutbox
    assert message.from_email == "reminders@example.org"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://tracker.example.org/reminders/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    update_url = f"https://tracker.example.org/lines/{line.pk}/update/"
    for part in (text_part(message), html_part(message)):
        assert update_url in part
        assert unsubscribe[1:-1] in part
        assert "https://tracker.example.org/preferences/#digest" in part
    html = html_part(message)
    assert f'<a href="https://tracker.example.org/recommendations/R30.3/#line-{line.pk}">' in html
    assert "<h2>Overdue (1)</h2>" in html
    assert "http://testserver" not in text_part(message) + html


def test_html_part_escapes_what_people_typed(employers_focal, mailoutbox):
    employers_focal.first_name = "<b>Eve</b>"
    employers_focal.save()
    set_target(employers_lines()[0], datetime.date(2027, 2, 1))
    send_reminders(MONDAY)
    [message] = mailoutbox
    assert "Hello &lt;b&gt;Eve&lt;/b&gt;," in html_part(message)
    assert "Hello <b>Eve</b>," in text_part(message)  # plain text is not HTML


def test_written_in_the_recipients_language_not_the_callers(employers_focal, mailoutbox, settings):
    set_target(employers_lines()[0], datetime.date(2027, 2, 1))
    with translation.override("de"):  # whatever language the caller has active
        digests_send(MONDAY)
    assert "1 February 2027" in text_part(mailoutbox[0])
    settings.LANGUAGE_CODE = "fr"  # the site's language, until people choose their own
    digests_send(MONDAY + 7 * DAY)
    assert "1 février 2027" in text_part(mailoutbox[1])


def test_dry_run_says_who_would_get_what_and_sends_nothing(
    employers_focal, unions_focal, mailoutbox
):
    set_target(employers_lines()[0], datetime.date(2027, 2, 1))
    out = send_reminders(MONDAY, "--dry-run")
    assert "(dry run)" in out
    assert (
        "would send: focal-employers <focal-employers@example.org>, weekly 2027-W09: 1 overdue"
        in out
    )
    assert "focal-unions" not in out  # nothing to say to them
    assert "1 would send, 0 failed, 0 already claimed this period" in out
    assert mailoutbox == []
    assert not Delivery.objects.exists()
    send_reminders(MONDAY)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-13-01", "--now must be a date written YYYY-MM-DD, for example"),
        ("next monday", "--now must be a date written YYYY-MM-DD, for example"),
        ("1999-01-01", "--now must be between 2013-07-15 and 2100-12-31, not 1999-01-01"),
    ],
)
def test_a_bad_date_is_a_clear_error(employers_focal, mailoutbox, value, message):
    with pytest.raises(CommandError, match=message):
        send_reminders_raw("--now", value)
    assert mailoutbox == []
    assert not Delivery.objects.exists()


def send_reminders_raw(*args):
    call_command("send_reminders", *args)


def test_periods():
    assert period_of("weekly", datetime.date(2027, 1, 1)) == "2026-W53"  # ISO weeks
    assert period_of("weekly", datetime.date(2027, 1, 4)) == "2027-W01"
    assert period_of("monthly", datetime.date(2027, 1, 1)) == "2027-01"

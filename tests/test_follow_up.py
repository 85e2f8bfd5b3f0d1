"""Follow-up: lines from the catalogue, recording, the one ordering, stale forms, who may
record, the roll-up, overdue and stale lines, the coordinator's services and the audit trail."""

import datetime
import re

import pytest
import yaml
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from hearings.loading import load_report
from hearings.models import Actor, Addressee, Recommendation
from tracker import selectors, services
from tracker.accounts import services as accounts
from tracker.models import (
    FollowUpLine,
    Profile,
    RecommendationProgress,
    Role,
    Status,
    StatusUpdate,
)
from tracker.rollup import roll_up

pytestmark = pytest.mark.django_db

# R25.2 is a main recommendation addressed to two actors: gfmd and governments.
# R30a is a main recommendation addressed to governments only; R11.2 restates it.
TWO_ACTORS = "R25.2"
ONE_ACTOR = "R30a"
DAY = datetime.date(2014, 3, 1)
NO_INFO, NOT_STARTED, PLANNED = Status.NO_INFORMATION, Status.NOT_STARTED, Status.PLANNED
IN_PROGRESS, PARTIAL = Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED
DONE, WONT, NLR = Status.IMPLEMENTED, Status.WILL_NOT_BE_IMPLEMENTED, Status.NO_LONGER_RELEVANT


# ---------------------------------------------------------------------------- helpers


@pytest.fixture
def make_user(db):
    """A user; with a role, a tracker profile reporting for the actors with these keys."""

    def make(username, role=None, actor_keys=(), **fields):
        user = get_user_model().objects.create_user(
            username, email=f"{username}@example.org", password="pw-for-tests", **fields
        )
        if role is not None:
            profile = Profile.objects.create(user=user, role=role)
            profile.actors.set(Actor.objects.filter(key__in=actor_keys))
        return user

    return make


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", Role.COORDINATOR)


def user_of_kind(make_user, kind, actor_keys=()):
    """viewer, focal-point, coordinator, inactive-<role>, superuser or no-profile."""
    if kind == "superuser":
        return get_user_model().objects.create_superuser("root", password="pw-for-tests")
    if kind == "no-profile":
        return make_user("no-profile")
    role = kind.removeprefix("inactive-")
    return make_user(f"a-{kind}", role, actor_keys, is_active=not kind.startswith("inactive-"))


def line_of(code, actor_key):
    return FollowUpLine.objects.get(recommendation__code=code, actor__key=actor_key)


def record(line, user, status, effective_date=DAY, *, seen_version=None, corrects=None):
    """Record through the service as the form does, with the line's current version."""
    if seen_version is None:
        seen_version = FollowUpLine.objects.get(pk=line.pk).update_count
    return services.status_update_record(
        line_id=line.pk,
        user=user,
        status=status,
        note=f"Reported as {status}.",
        effective_date=effective_date,
        evidence_links=[],
        seen_version=seen_version,
        corrects=corrects,
    )


def progress_of(code):
    progress = RecommendationProgress.objects.get(recommendation__code=code)
    return progress.status, progress.line_counts


def read_catalogue(data_dir):
    return yaml.safe_load((data_dir / "catalogue.yaml").read_text(encoding="utf-8"))


def write_catalogue(data_dir, entries):
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
    (data_dir / "catalogue.yaml").write_text(text, encoding="utf-8")


def set_addressees(data_dir, code, keys):
    entries = read_catalogue(data_dir)
    entry = next(e for e in entries if e["code"] == code)
    entry["addressees"] = keys
    write_catalogue(data_dir, entries)


# ---------------------------------------------------------- 1. lines from the catalogue


def test_every_addressed_actor_of_every_main_recommendation_has_exactly_one_line(loaded_report):
    main = Recommendation.objects.main()
    wanted = sorted(
        Addressee.objects.filter(recommendation__in=main).values_list(
            "recommendation_id", "actor_id"
        )
    )
    lines = sorted(FollowUpLine.objects.values_list("recommendation_id", "actor_id"))
    assert len(wanted) > main.count() > 100
    assert lines == wanted  # no line missing, none extra, none twice
    assert not FollowUpLine.objects.filter(addressed=False).exists()
    assert not FollowUpLine.objects.filter(added_by__isnull=False).exists()
    assert set(FollowUpLine.objects.values_list("status", flat=True)) == {NO_INFO}


def test_restatements_have_no_lines(loaded_report):
    restatements = Recommendation.objects.filter(restates__isnull=False)
    assert Addressee.objects.filter(recommendation__in=restatements).exists()
    assert not FollowUpLine.objects.filter(recommendation__in=restatements).exists()
    assert Recommendation.objects.get(code="R11.2").restates.code == ONE_ACTOR


def test_a_second_line_for_the_same_recommendation_and_actor_is_refused(loaded_report):
    line = line_of(TWO_ACTORS, "gfmd")
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpLine.objects.create(recommendation=line.recommendation, actor=line.actor)
    assert FollowUpLine.objects.filter(recommendation__code=TWO_ACTORS).count() == 2


def test_unchanged_reload_creates_no_line(loaded_report):
    before = list(FollowUpLine.objects.order_by("pk").values_list("pk", "addressed"))
    load_report()
    services.lines_sync()
    assert list(FollowUpLine.objects.order_by("pk").values_list("pk", "addressed")) == before


def test_every_main_recommendation_has_its_progress(loaded_report):
    main_ids = set(Recommendation.objects.main().values_list("pk", flat=True))
    assert set(RecommendationProgress.objects.values_list("recommendation_id", flat=True)) == (
        main_ids
    )
    assert progress_of(TWO_ACTORS) == (NO_INFO, {NO_INFO: 2})
    assert progress_of(ONE_ACTOR) == (NO_INFO, {NO_INFO: 1})


def test_addressee_dropped_from_the_file_keeps_its_line_and_history(
    empty_database, data_dir, coordinator
):
    load_report(data_dir)
    line = line_of(TWO_ACTORS, "gfmd")
    update = record(line, coordinator, DONE)
    record(line_of(TWO_ACTORS, "governments"), coordinator, PLANNED)
    assert progress_of(TWO_ACTORS) == (PARTIAL, {PLANNED: 1, DONE: 1})

    set_addressees(data_dir, TWO_ACTORS, ["governments"])
    load_report(data_dir)

    dropped = line_of(TWO_ACTORS, "gfmd")
    assert dropped.pk == line.pk
    assert not dropped.addressed
    assert (dropped.status, dropped.current_update_id, dropped.update_count) == (DONE, update.pk, 1)
    assert list(dropped.updates.all()) == [update]
    # A line the catalogue no longer addresses no longer counts in the roll-up.
    assert progress_of(TWO_ACTORS) == (PLANNED, {PLANNED: 1})

    set_addressees(data_dir, TWO_ACTORS, ["gfmd", "governments"])
    load_report(data_dir)

    back = line_of(TWO_ACTORS, "gfmd")
    assert (back.pk, back.addressed, back.status) == (line.pk, True, DONE)
    assert FollowUpLine.objects.filter(recommendation__code=TWO_ACTORS).count() == 2
    assert progress_of(TWO_ACTORS) == (PARTIAL, {PLANNED: 1, DONE: 1})


def test_addressee_added_in_the_file_gets_a_line_on_reload(empty_database, data_dir):
    load_report(data_dir)
    set_addressees(data_dir, ONE_ACTOR, ["governments", "gfmd"])
    load_report(data_dir)
    line = line_of(ONE_ACTOR, "gfmd")
    assert (line.addressed, line.added_by, line.status) == (True, None, NO_INFO)
    assert progress_of(ONE_ACTOR) == (NO_INFO, {NO_INFO: 2})


def test_withdrawn_recommendation_keeps_its_lines_and_history(
    empty_database, data_dir, coordinator
):
    load_report(data_dir)
    line = line_of(TWO_ACTORS, "gfmd")
    update = record(line, coordinator, IN_PROGRESS)
    entries = read_catalogue(data_dir)
    write_catalogue(data_dir, [e for e in entries if e["code"] != TWO_ACTORS])
    load_report(data_dir)

    assert Recommendation.objects.get(code=TWO_ACTORS).withdrawn_at is not None
    assert FollowUpLine.objects.filter(recommendation__code=TWO_ACTORS).count() == 2
    assert list(line_of(TWO_ACTORS, "gfmd").updates.all()) == [update]
    assert not FollowUpLine.objects.followed().filter(recommendation__code=TWO_ACTORS).exists()

    write_catalogue(data_dir, entries)
    load_report(data_dir)
    restored = line_of(TWO_ACTORS, "gfmd")
    assert (restored.pk, restored.addressed, restored.status) == (line.pk, True, IN_PROGRESS)
    assert progress_of(TWO_ACTORS) == (IN_PROGRESS, {NO_INFO: 1, IN_PROGRESS: 1})


def test_addressee_added_or_deleted_in_the_admin_creates_or_marks_the_line_at_once(
    loaded_report,
):
    rec = Recommendation.objects.get(code=ONE_ACTOR)
    mex = Actor.objects.get(key="mex")

    link = Addressee.objects.create(recommendation=rec, actor=mex)
    line = line_of(ONE_ACTOR, "mex")
    assert (line.addressed, line.added_by, line.status) == (True, None, NO_INFO)
    assert progress_of(ONE_ACTOR) == (NO_INFO, {NO_INFO: 2})

    link.delete()
    line.refresh_from_db()
    assert FollowUpLine.objects.filter(pk=line.pk).exists()
    assert not line.addressed
    assert progress_of(ONE_ACTOR) == (NO_INFO, {NO_INFO: 1})

    Addressee.objects.create(recommendation=rec, actor=mex)
    assert line_of(ONE_ACTOR, "mex").pk == line.pk
    assert line_of(ONE_ACTOR, "mex").addressed


def test_addressee_added_to_a_restatement_gets_no_line(loaded_report):
    restatement = Recommendation.objects.get(code="R11.2")
    Addressee.objects.create(recommendation=restatement, actor=Actor.objects.get(key="mex"))
    assert not FollowUpLine.objects.filter(recommendation=restatement).exists()


# ------------------------------------------------------------------------ 2. recording


def test_recording_appends_an_update_and_brings_line_and_progress_up_to_date(
    loaded_report, coordinator
):
    line = line_of(TWO_ACTORS, "gfmd")
    count = StatusUpdate.objects.count()
    before = timezone.now()

    update = services.status_update_record(
        line_id=line.pk,
        user=coordinator,
        status=PLANNED,
        note="The review is on the agenda of the next Global Forum.",
        effective_date=DAY,
        evidence_links=["https://example.org/gfmd-agenda"],
        seen_version=0,
    )

    assert StatusUpdate.objects.count() == count + 1
    update = StatusUpdate.objects.get(pk=update.pk)
    assert (update.line_id, update.status, update.effective_date) == (line.pk, PLANNED, DAY)
    assert update.recorded_by == coordinator
    assert update.note == "The review is on the agenda of the next Global Forum."
    assert update.evidence_links == ["https://example.org/gfmd-agenda"]
    assert update.corrects is None
    assert before <= update.recorded_at <= timezone.now()
    line.refresh_from_db()
    assert (line.status, line.status_since, line.current_update) == (PLANNED, DAY, update)
    assert line.update_count == 1
    assert line.last_recorded_at == update.recorded_at
    assert progress_of(TWO_ACTORS) == (PLANNED, {NO_INFO: 1, PLANNED: 1})

    second = record(line, coordinator, IN_PROGRESS, DAY + datetime.timedelta(days=30))
    line.refresh_from_db()
    assert (line.status, line.current_update, line.update_count) == (IN_PROGRESS, second, 2)
    assert line.last_recorded_at == second.recorded_at
    assert progress_of(TWO_ACTORS) == (IN_PROGRESS, {NO_INFO: 1, IN_PROGRESS: 1})


def test_a_status_update_is_never_changed_nor_deleted(loaded_report, coordinator):
    line = line_of(TWO_ACTORS, "gfmd")
    update = record(line, coordinator, PLANNED)
    stored = StatusUpdate.objects.filter(pk=update.pk).values().get()

    update.note = "Rewritten history"
    update.status = DONE
    with pytest.raises(ValidationError):
        update.save()
    with pytest.raises(ValidationError):
        StatusUpdate.objects.get(pk=update.pk).delete()
    with pytest.raises(ProtectedError):
        FollowUpLine.objects.get(pk=line.pk).delete()

    assert StatusUpdate.objects.filter(pk=update.pk).values().get() == stored
    assert FollowUpLine.objects.get(pk=line.pk).status == PLANNED


def test_a_correction_is_a_new_update_naming_the_earlier_one(loaded_report, coordinator):
    line = line_of(TWO_ACTORS, "gfmd")
    wrong = record(line, coordinator, DONE)
    stored = StatusUpdate.objects.filter(pk=wrong.pk).values().get()

    correction = record(line, coordinator, IN_PROGRESS, DAY, corrects=wrong)

    assert correction.pk != wrong.pk
    assert StatusUpdate.objects.get(pk=correction.pk).corrects == wrong
    assert StatusUpdate.objects.filter(pk=wrong.pk).values().get() == stored
    assert list(wrong.corrections.all()) == [correction]
    line.refresh_from_db()
    assert (line.status, line.current_update, line.update_count) == (IN_PROGRESS, correction, 2)
    assert list(line.updates.all()) == [wrong, correction]


def test_a_correction_must_name_an_update_of_the_same_line(loaded_report, coordinator):
    other = record(line_of(TWO_ACTORS, "governments"), coordinator, PLANNED)
    line = line_of(TWO_ACTORS, "gfmd")
    count = StatusUpdate.objects.count()
    with pytest.raises(ValueError, match="same line"):
        record(line, coordinator, DONE, corrects=other)
    assert StatusUpdate.objects.count() == count
    assert FollowUpLine.objects.get(pk=line.pk).update_count == 0


# ---------------------------------------------------------------- 3. the one ordering

D1, D2, D3 = datetime.date(2014, 1, 1), datetime.date(2014, 6, 1), datetime.date(2015, 1, 1)
RECORDED_IN_TURN = [
    # effective dates in the order they are recorded; which one is then current
    pytest.param([D1, D2], 1, id="later-effective-date-recorded-later-is-current"),
    pytest.param([D2, D1], 0, id="recorded-later-with-an-earlier-date-is-not-current"),
    pytest.param([D2, D2], 1, id="same-date-the-later-recorded-is-current"),
    pytest.param([D3, D1, D2], 0, id="latest-date-stays-current-whatever-comes-after"),
    pytest.param([D2, D1, D2], 2, id="same-date-as-current-recorded-later-takes-over"),
]
STATUSES_IN_TURN = [NOT_STARTED, PLANNED, IN_PROGRESS]


@pytest.mark.parametrize(("dates", "current"), RECORDED_IN_TURN)
def test_current_status_is_the_latest_by_effective_date_then_time_recorded(
    loaded_report, coordinator, dates, current
):
    line = line_of(TWO_ACTORS, "gfmd")
    updates = [
        record(line, coordinator, status, date)
        for status, date in zip(STATUSES_IN_TURN, dates, strict=False)
    ]
    line.refresh_from_db()
    assert line.current_update == updates[current]
    assert (line.status, line.status_since) == (STATUSES_IN_TURN[current], dates[current])
    assert line.update_count == len(dates)
    assert line.last_recorded_at == updates[-1].recorded_at  # the last recorded, current or not
    assert StatusUpdate.objects.filter(line=line).last() == updates[current]


EARLY = datetime.datetime(2014, 3, 1, 9, 0, tzinfo=datetime.UTC)
LATE = datetime.datetime(2014, 3, 1, 17, 0, tzinfo=datetime.UTC)
ROWS_IN_ID_ORDER = [
    # (effective date, recorded at) of rows created in this order; which one is the latest
    pytest.param([(D2, LATE), (D2, EARLY)], 0, id="same-date-later-recorded-beats-higher-id"),
    pytest.param([(D2, EARLY), (D2, EARLY)], 1, id="same-date-same-time-higher-id-wins"),
    pytest.param([(D2, EARLY), (D1, LATE)], 0, id="effective-date-beats-time-recorded"),
    pytest.param(
        [(D2, EARLY), (D2, LATE), (D2, EARLY)], 1, id="time-recorded-beats-id-among-three"
    ),
]


@pytest.mark.parametrize(("rows", "latest"), ROWS_IN_ID_ORDER)
def test_the_one_ordering_ends_on_the_latest_row(loaded_report, coordinator, rows, latest):
    line = line_of(TWO_ACTORS, "gfmd")
    updates = [
        StatusUpdate.objects.create(
            line=line,
            status=status,
            note="Imported from an earlier tracker.",
            effective_date=date,
            recorded_by=coordinator,
            recorded_at=recorded_at,
        )
        for status, (date, recorded_at) in zip(STATUSES_IN_TURN, rows, strict=False)
    ]
    assert updates == sorted(updates, key=lambda u: u.pk)
    assert StatusUpdate.objects.filter(line=line).last() == updates[latest]
    expected = sorted(updates, key=lambda u: (u.effective_date, u.recorded_at, u.pk))
    assert list(StatusUpdate.objects.filter(line=line)) == expected

    # The service picks the current update in the same ordering (an older effective date
    # recorded now does not displace it).
    old_news = record(line, coordinator, NOT_STARTED, datetime.date(2013, 12, 1))
    line.refresh_from_db()
    assert line.current_update == updates[latest]
    assert line.status == STATUSES_IN_TURN[latest]
    assert list(StatusUpdate.objects.filter(line=line)) == [old_news, *expected]


def test_history_is_listed_oldest_first_and_newest_first_on_the_recommendation(
    loaded_report, coordinator
):
    line = line_of(TWO_ACTORS, "gfmd")
    late_news = record(line, coordinator, PLANNED, D2)
    old_news = record(line, coordinator, NOT_STARTED, D1)
    same_day = record(line, coordinator, IN_PROGRESS, D2)
    assert list(line.updates.all()) == [old_news, late_news, same_day]

    rec = selectors.recommendation_detail(TWO_ACTORS)
    shown = next(li for li in rec.follow_up_lines.all() if li.pk == line.pk)
    assert list(shown.updates.all()) == [same_day, late_news, old_news]
    assert shown.current_update == same_day


# ------------------------------------------------------------------------ 4. stale form

STALE_FORMS = [
    # updates recorded before the form was opened, updates recorded while it was open
    pytest.param(0, 1, id="first-update-recorded-meanwhile"),
    pytest.param(0, 2, id="two-updates-recorded-meanwhile"),
    pytest.param(1, 1, id="one-more-update-recorded-meanwhile"),
    pytest.param(2, 3, id="three-more-updates-recorded-meanwhile"),
]


@pytest.mark.parametrize(("before", "meanwhile"), STALE_FORMS)
def test_form_opened_before_the_last_update_is_refused_with_what_was_recorded_since(
    loaded_report, make_user, coordinator, before, meanwhile
):
    focal_point = make_user("focal-gfmd", Role.FOCAL_POINT, ["gfmd"])
    line = line_of(TWO_ACTORS, "gfmd")
    for _ in range(before):
        record(line, focal_point, NOT_STARTED, D1)
    seen_version = FollowUpLine.objects.get(pk=line.pk).update_count
    newer = [record(line, coordinator, PLANNED, D2) for _ in range(meanwhile)]
    count = StatusUpdate.objects.count()
    state = FollowUpLine.objects.filter(pk=line.pk).values().get()

    with pytest.raises(services.StaleLine) as stale:
        record(line, focal_point, DONE, D3, seen_version=seen_version)

    assert sorted(u.pk for u in stale.value.newer) == sorted(u.pk for u in newer)
    assert StatusUpdate.objects.count() == count
    assert FollowUpLine.objects.filter(pk=line.pk).values().get() == state
    assert progress_of(TWO_ACTORS) == (PLANNED, {NO_INFO: 1, PLANNED: 1})


# ---------------------------------------------------------- 5. who may record, server side

RECORDING_RIGHTS = [
    # (kind of user, actors reported for, line recorded on, may record)
    ("focal-point", ["gfmd"], "gfmd", True),
    ("focal-point", ["gfmd"], "governments", False),
    ("focal-point", ["gfmd", "governments"], "governments", True),
    ("focal-point", ["governments"], "mex", False),  # a group's focal point, a member's line
    ("focal-point", ["mex"], "governments", False),  # a member's focal point, the group's line
    ("focal-point", ["mex"], "mex", True),
    ("focal-point", [], "gfmd", False),
    ("coordinator", [], "gfmd", True),
    ("coordinator", [], "mex", True),
    ("superuser", [], "governments", True),
    ("viewer", [], "gfmd", False),
    ("viewer", ["gfmd"], "gfmd", False),  # actors on a viewer's profile give no right
    ("no-profile", [], "gfmd", False),
    ("inactive-focal-point", ["gfmd"], "gfmd", False),
    ("inactive-coordinator", [], "gfmd", False),
]


@pytest.fixture
def mex_line(loaded_report, coordinator):
    """A Member State's line on a recommendation addressed to Governments."""
    rec = Recommendation.objects.get(code=TWO_ACTORS)
    return services.line_add(
        recommendation=rec, actor=Actor.objects.get(key="mex"), user=coordinator
    )


@pytest.mark.parametrize(("kind", "actor_keys", "line_actor", "allowed"), RECORDING_RIGHTS)
def test_who_may_record_on_a_line(make_user, mex_line, kind, actor_keys, line_actor, allowed):
    user = user_of_kind(make_user, kind, actor_keys)
    line = line_of(TWO_ACTORS, line_actor)
    count = StatusUpdate.objects.count()

    if allowed:
        update = record(line, user, PLANNED)
        assert StatusUpdate.objects.count() == count + 1
        assert update.recorded_by == user
        assert FollowUpLine.objects.get(pk=line.pk).status == PLANNED
    else:
        with pytest.raises(PermissionDenied):
            record(line, user, PLANNED)
        assert StatusUpdate.objects.count() == count
        line.refresh_from_db()
        assert (line.status, line.update_count) == (NO_INFO, 0)
        assert progress_of(TWO_ACTORS) == (NO_INFO, {NO_INFO: 3})


# ------------------------------------------------------------------------- 6. roll-up

ROLL_UP_CASES = [
    pytest.param([], NO_INFO, id="no-lines"),
    pytest.param([NO_INFO], NO_INFO, id="nothing-reported"),
    pytest.param([NLR], NLR, id="only-line-no-longer-relevant"),
    pytest.param([NLR, NLR], NLR, id="all-no-longer-relevant"),
    pytest.param([DONE], DONE, id="one-line-implemented"),
    pytest.param([DONE, DONE], DONE, id="all-implemented"),
    pytest.param([DONE, NLR], DONE, id="implemented-ignoring-no-longer-relevant"),
    pytest.param([WONT, WONT], WONT, id="all-will-not-be-implemented"),
    pytest.param([NLR, WONT], WONT, id="will-not-ignoring-no-longer-relevant"),
    pytest.param([DONE, PLANNED], PARTIAL, id="implemented-and-planned"),
    pytest.param([DONE, NO_INFO, NLR], PARTIAL, id="implemented-and-nothing-reported"),
    pytest.param([DONE, WONT], PARTIAL, id="implemented-and-will-not"),
    pytest.param([PARTIAL, DONE], PARTIAL, id="partially-and-implemented"),
    pytest.param([IN_PROGRESS, NOT_STARTED], IN_PROGRESS, id="most-advanced-in-progress"),
    pytest.param([NOT_STARTED, NO_INFO], NOT_STARTED, id="most-advanced-not-started"),
    pytest.param([WONT, PLANNED], PLANNED, id="will-not-adds-no-progress"),
    pytest.param([WONT, NO_INFO], NO_INFO, id="will-not-and-nothing-reported"),
    pytest.param([PLANNED, NLR], PLANNED, id="planned-ignoring-no-longer-relevant"),
    pytest.param([NLR, WONT, IN_PROGRESS], IN_PROGRESS, id="three-kinds"),
]


@pytest.mark.parametrize(("statuses", "overall"), ROLL_UP_CASES)
def test_roll_up_rule(statuses, overall):
    assert roll_up(statuses) == overall
    assert roll_up(reversed(statuses)) == overall  # the order of the lines does not matter


LINE_PAIRS = [
    # (gfmd's status, governments' status, overall status, lines per status)
    pytest.param(DONE, DONE, DONE, {DONE: 2}, id="both-implemented"),
    pytest.param(DONE, PLANNED, PARTIAL, {PLANNED: 1, DONE: 1}, id="implemented-and-planned"),
    pytest.param(NLR, DONE, DONE, {DONE: 1, NLR: 1}, id="no-longer-relevant-ignored"),
    pytest.param(WONT, NOT_STARTED, NOT_STARTED, {NOT_STARTED: 1, WONT: 1}, id="will-not"),
    pytest.param(NLR, NLR, NLR, {NLR: 2}, id="both-no-longer-relevant"),
]


@pytest.mark.parametrize(("gfmd", "governments", "overall", "counts"), LINE_PAIRS)
def test_recording_rolls_the_lines_up_into_the_recommendation(
    loaded_report, coordinator, gfmd, governments, overall, counts
):
    record(line_of(TWO_ACTORS, "gfmd"), coordinator, gfmd)
    record(line_of(TWO_ACTORS, "governments"), coordinator, governments)
    assert progress_of(TWO_ACTORS) == (overall, counts)


def test_lines_no_longer_addressed_are_ignored_and_lines_added_by_a_coordinator_count(
    loaded_report, coordinator
):
    rec = Recommendation.objects.get(code=ONE_ACTOR)
    record(line_of(ONE_ACTOR, "governments"), coordinator, DONE)
    assert progress_of(ONE_ACTOR) == (DONE, {DONE: 1})

    link = Addressee.objects.create(recommendation=rec, actor=Actor.objects.get(key="ilo"))
    record(line_of(ONE_ACTOR, "ilo"), coordinator, PLANNED)
    assert progress_of(ONE_ACTOR) == (PARTIAL, {PLANNED: 1, DONE: 1})
    link.delete()  # the ilo line stays, no longer addressed, and no longer counts
    assert progress_of(ONE_ACTOR) == (DONE, {DONE: 1})

    mex = services.line_add(
        recommendation=rec, actor=Actor.objects.get(key="mex"), user=coordinator
    )
    assert (mex.addressed, mex.added_by) == (False, coordinator)
    assert progress_of(ONE_ACTOR) == (PARTIAL, {NO_INFO: 1, DONE: 1})
    record(mex, coordinator, DONE)
    assert progress_of(ONE_ACTOR) == (DONE, {DONE: 2})


# ------------------------------------------------------------- 7. overdue and stale lines

OVERDUE_CASES = [
    # (target date in days from today, or None; current status; overdue)
    pytest.param(-1, NO_INFO, True, id="passed-yesterday-nothing-reported"),
    pytest.param(-400, IN_PROGRESS, True, id="passed-long-ago-in-progress"),
    pytest.param(-1, PARTIAL, True, id="passed-partially-implemented"),
    pytest.param(0, PLANNED, False, id="due-today"),
    pytest.param(30, NOT_STARTED, False, id="due-in-the-future"),
    pytest.param(None, NO_INFO, False, id="no-target-date"),
    pytest.param(-1, DONE, False, id="passed-but-implemented"),
    pytest.param(-1, WONT, False, id="passed-but-will-not-be-implemented"),
    pytest.param(-1, NLR, False, id="passed-but-no-longer-relevant"),
]


@pytest.mark.parametrize(("days", "status", "overdue"), OVERDUE_CASES)
def test_overdue_lines(loaded_report, coordinator, days, status, overdue):
    today = timezone.localdate()
    line = line_of(TWO_ACTORS, "gfmd")
    target = None if days is None else today + datetime.timedelta(days=days)
    services.line_set_target_date(line=line, user=coordinator, target_date=target)
    if status != NO_INFO:
        record(line, coordinator, status)
    line.refresh_from_db()

    assert line.target_date == target
    assert list(FollowUpLine.objects.overdue(today)) == ([line] if overdue else [])
    assert line.is_overdue(today) is overdue


STALE_CASES = [
    # (status recorded now, or None; line created days ago; `since` in days from now; stale)
    pytest.param(None, 400, -180, True, id="never-recorded-created-before-since"),
    pytest.param(None, 400, -500, False, id="never-recorded-created-after-since"),
    pytest.param(PLANNED, 400, -180, False, id="recorded-since"),
    pytest.param(PLANNED, 400, 1, True, id="open-and-recorded-before-since"),
    pytest.param(DONE, 400, 1, False, id="implemented-is-never-stale"),
    pytest.param(NLR, 400, 1, False, id="no-longer-relevant-is-never-stale"),
]


@pytest.mark.parametrize(("status", "age", "since_days", "stale"), STALE_CASES)
def test_stale_lines(loaded_report, coordinator, status, age, since_days, stale):
    now = timezone.now()
    line = line_of(TWO_ACTORS, "gfmd")
    FollowUpLine.objects.filter(pk=line.pk).update(created_at=now - datetime.timedelta(days=age))
    if status is not None:
        record(line, coordinator, status)
    since = now + datetime.timedelta(days=since_days)
    assert FollowUpLine.objects.stale(since).filter(pk=line.pk).exists() is stale


@pytest.mark.parametrize(
    ("kind", "actor_keys", "allowed"),
    [
        ("coordinator", [], True),
        ("superuser", [], True),
        ("focal-point", ["gfmd"], False),
        ("viewer", [], False),
        ("inactive-coordinator", [], False),
    ],
)
def test_only_coordinators_set_target_dates(loaded_report, make_user, kind, actor_keys, allowed):
    user = user_of_kind(make_user, kind, actor_keys)
    line = line_of(TWO_ACTORS, "gfmd")
    target = datetime.date(2030, 12, 31)
    if allowed:
        services.line_set_target_date(line=line, user=user, target_date=target)
        assert FollowUpLine.objects.get(pk=line.pk).target_date == target
    else:
        with pytest.raises(PermissionDenied):
            services.line_set_target_date(line=line, user=user, target_date=target)
        assert FollowUpLine.objects.get(pk=line.pk).target_date is None


# -------------------------------------------------------------- 8. coordinator services


def test_coordinator_adds_a_member_state_line_to_a_recommendation_to_governments(
    loaded_report, coordinator
):
    rec = Recommendation.objects.get(code=ONE_ACTOR)
    target = datetime.date(2030, 6, 30)
    line = services.line_add(
        recommendation=rec,
        actor=Actor.objects.get(key="mex"),
        user=coordinator,
        target_date=target,
    )
    line = FollowUpLine.objects.get(pk=line.pk)
    assert (line.recommendation, line.actor.key) == (rec, "mex")
    assert (line.added_by, line.addressed, line.target_date) == (coordinator, False, target)
    assert (line.status, line.update_count) == (NO_INFO, 0)
    assert progress_of(ONE_ACTOR) == (NO_INFO, {NO_INFO: 2})

    services.lines_sync()  # a later sync keeps the coordinator's line as it is
    assert FollowUpLine.objects.filter(pk=line.pk, addressed=False, added_by=coordinator).exists()
    assert progress_of(ONE_ACTOR) == (NO_INFO, {NO_INFO: 2})


@pytest.mark.parametrize(
    ("kind", "actor_keys"),
    [
        ("focal-point", ["mex"]),
        ("focal-point", ["governments"]),
        ("viewer", []),
        ("no-profile", []),
        ("inactive-coordinator", []),
    ],
)
def test_only_coordinators_add_lines(loaded_report, make_user, kind, actor_keys):
    user = user_of_kind(make_user, kind, actor_keys)
    count = FollowUpLine.objects.count()
    with pytest.raises(PermissionDenied):
        services.line_add(
            recommendation=Recommendation.objects.get(code=ONE_ACTOR),
            actor=Actor.objects.get(key="mex"),
            user=user,
        )
    assert FollowUpLine.objects.count() == count
    assert progress_of(ONE_ACTOR) == (NO_INFO, {NO_INFO: 1})


def account_data(username="fp-mex", role=Role.FOCAL_POINT, actor_keys=("mex",), **changes):
    fields = {
        "username": username,
        "email": f"{username}@example.org",
        "first_name": "Ana",
        "last_name": "García",
        "role": role,
        "actors": list(Actor.objects.filter(key__in=actor_keys)),
    }
    return accounts.AccountData(**{**fields, **changes})


def test_coordinator_creates_a_focal_point_account(mex_line, coordinator):
    account = accounts.account_save(user=coordinator, data=account_data())

    account = get_user_model().objects.get(username="fp-mex")
    assert account.is_active
    assert (account.email, account.first_name, account.last_name) == (
        "fp-mex@example.org",
        "Ana",
        "García",
    )
    assert account.profile.role == Role.FOCAL_POINT
    assert list(account.profile.actors.values_list("key", flat=True)) == ["mex"]
    assert account.has_usable_password()  # one nobody knows, until set from the invitation
    # The new focal point records on the actor's line, and only there.
    assert record(mex_line, account, PLANNED).recorded_by == account
    with pytest.raises(PermissionDenied):
        record(line_of(TWO_ACTORS, "governments"), account, PLANNED)


def test_a_coordinator_account_reports_for_no_actor(loaded_report, coordinator):
    account = accounts.account_save(
        user=coordinator, data=account_data("coord-2", Role.COORDINATOR, ["mex"])
    )
    assert account.profile.role == Role.COORDINATOR
    assert not account.profile.actors.exists()


def test_coordinator_deactivates_an_account(mex_line, coordinator):
    account = accounts.account_save(user=coordinator, data=account_data())
    accounts.account_save(user=coordinator, data=account_data(is_active=False), account=account)

    account = get_user_model().objects.get(pk=account.pk)
    assert not account.is_active
    with pytest.raises(PermissionDenied):
        record(mex_line, account, PLANNED)


def test_a_coordinator_cannot_deactivate_themself(loaded_report, coordinator):
    data = account_data("coordinator", Role.COORDINATOR, [], is_active=False)
    with pytest.raises(PermissionDenied):
        accounts.account_save(user=coordinator, data=data, account=coordinator)
    assert get_user_model().objects.get(pk=coordinator.pk).is_active


@pytest.mark.parametrize(
    ("kind", "actor_keys"),
    [("focal-point", ["mex"]), ("viewer", []), ("inactive-coordinator", [])],
)
def test_only_coordinators_save_accounts(loaded_report, make_user, kind, actor_keys):
    user = user_of_kind(make_user, kind, actor_keys)
    with pytest.raises(PermissionDenied):
        accounts.account_save(user=user, data=account_data("intruder", Role.COORDINATOR, []))
    assert not get_user_model().objects.filter(username="intruder").exists()
    # Nor may they change their own role.
    with pytest.raises(PermissionDenied):
        accounts.account_save(
            user=user, data=account_data(user.username, Role.COORDINATOR, []), account=user
        )
    assert Profile.objects.get(user=user).role == kind.removeprefix("inactive-")


def test_invitation_mails_one_link_to_set_the_password(loaded_report, coordinator, mailoutbox):
    account = accounts.account_save(user=coordinator, data=account_data())
    accounts.account_invite(account=account)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["fp-mex@example.org"]
    assert "fp-mex" in mail.body
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    prefix = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": "TOKEN"})
    prefix = prefix.removesuffix("TOKEN/")
    # On PUBLIC_BASE_URL (no request to take a host from any more).
    found = re.search(rf"{re.escape(settings.PUBLIC_BASE_URL + prefix)}([\w-]+)/", mail.body)
    assert found, mail.body
    assert default_token_generator.check_token(account, found.group(1))


def test_two_accounts_cannot_share_an_e_mail_address_in_any_case(loaded_report, coordinator):
    """Issue #8 made e-mail addresses unique without regard to case (it replaced the test
    that one mission mailbox could serve two accounts): the database refuses the second."""
    accounts.account_save(user=coordinator, data=account_data("fp-fra", actor_keys=["fra"]))
    shared = account_data(email="FP-FRA@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        accounts.account_save(user=coordinator, data=shared)
    assert not get_user_model().objects.filter(username="fp-mex").exists()


# ---------------------------------------------------------------------------- 9. audit


def entries_for(obj, action=None):
    entries = LogEntry.objects.get_for_object(obj)
    if action is not None:
        entries = entries.filter(action=action)
    return list(entries.order_by("pk"))


def test_changing_a_target_date_is_audited_with_the_actor(loaded_report, coordinator):
    line = line_of(TWO_ACTORS, "gfmd")
    target = datetime.date(2030, 12, 31)
    with set_actor(coordinator):
        services.line_set_target_date(line=line, user=coordinator, target_date=target)
    [entry] = entries_for(line, LogEntry.Action.UPDATE)
    assert entry.actor == coordinator
    assert entry.changes_dict["target_date"] == ["None", "2030-12-31"]


def test_adding_a_line_is_audited_with_the_actor(loaded_report, coordinator):
    with set_actor(coordinator):
        line = services.line_add(
            recommendation=Recommendation.objects.get(code=ONE_ACTOR),
            actor=Actor.objects.get(key="mex"),
            user=coordinator,
        )
    [entry] = entries_for(line, LogEntry.Action.CREATE)
    assert entry.actor == coordinator


def test_changing_whom_a_focal_point_reports_for_is_audited_with_the_actor(
    loaded_report, coordinator
):
    account = accounts.account_save(user=coordinator, data=account_data())
    profile = Profile.objects.get(user=account)
    already = {entry.pk for entry in entries_for(profile)}

    with set_actor(coordinator):
        accounts.account_save(
            user=coordinator, data=account_data(actor_keys=["mex", "fra"]), account=account
        )

    new = [entry for entry in entries_for(profile) if entry.pk not in already]
    about_actors = [entry for entry in new if "actors" in entry.changes_dict]
    assert about_actors
    assert {entry.actor for entry in about_actors} == {coordinator}
    assert set(profile.actors.values_list("key", flat=True)) == {"mex", "fra"}


def test_deactivating_an_account_is_audited_with_the_actor(loaded_report, coordinator):
    account = accounts.account_save(user=coordinator, data=account_data())
    with set_actor(coordinator):
        accounts.account_save(user=coordinator, data=account_data(is_active=False), account=account)
    entries = [
        entry
        for entry in entries_for(account, LogEntry.Action.UPDATE)
        if "is_active" in entry.changes_dict
    ]
    assert [entry.actor for entry in entries] == [coordinator]
    assert entries[0].changes_dict["is_active"] == ["True", "False"]


def test_the_database_refuses_to_change_a_status_update(loaded_report):
    """Append-only holds below the ORM too: a queryset update is refused by a trigger."""
    from django.db import DatabaseError, transaction

    from tracker.models import Profile, StatusUpdate
    from tracker.services import status_update_record

    coordinator = get_user_model().objects.create_user("db-guard")
    Profile.objects.create(user=coordinator, role="coordinator")
    line = FollowUpLine.objects.filter(addressed=True).first()
    update = status_update_record(
        line_id=line.pk, user=coordinator, status="planned", note="Planned.",
        effective_date=datetime.date(2014, 1, 1), evidence_links=[], seen_version=0,
    )  # fmt: skip
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        StatusUpdate.objects.filter(pk=update.pk).update(note="rewritten")
    update.refresh_from_db()
    assert update.note == "Planned."

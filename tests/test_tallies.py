"""The dashboard's figures (tracker.tallies): kept current by every write that changes what
they count, equal at every step to counting the rows afresh, folded without loss."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from hearings.models import Actor, AgendaPoint, Recommendation, Theme
from tracker import selectors, services, tallies
from tracker.models import FollowUpLine, Profile, Role, Status, Tally

pytestmark = pytest.mark.django_db
DAY = datetime.date(2014, 3, 1)


@pytest.fixture
def coordinator(loaded_report):
    user = get_user_model().objects.create_user("coord", password="pw-for-tests")
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    return user


def record(line, user, status):
    line.refresh_from_db()
    services.status_update_record(
        line_id=line.pk,
        user=user,
        status=status,
        note="Reported.",
        effective_date=DAY,
        evidence_links=[],
        seen_version=line.update_count,
    )


def assert_figures_true():
    assert tallies.figures() == tallies.expected()


def test_the_loaded_report_is_counted(loaded_report):
    sums = tallies.figures()
    assert sums == tallies.expected()
    main = Recommendation.objects.main().count()
    theme_total = sum(n for (figure, _k, _s), n in sums.items() if figure == "theme")
    assert theme_total == main
    lines = FollowUpLine.objects.followed().active().count()
    assert sum(n for (figure, _k, _s), n in sums.items() if figure == "actor") == lines


def test_every_write_keeps_the_figures_true(coordinator):
    rec = Recommendation.objects.main().filter(addressees__isnull=False).first()
    line = rec.follow_up_lines.first()
    record(line, coordinator, Status.IN_PROGRESS)
    assert_figures_true()
    assert tallies.figures()[("actor", line.actor_id, Status.IN_PROGRESS)] >= 1
    record(line, coordinator, Status.IMPLEMENTED)
    assert_figures_true()

    # A coordinator adds a Member State's line.
    state = Actor.objects.filter(kind="member-state").exclude(follow_up_lines__recommendation=rec)
    added = services.line_add(recommendation=rec, actor=state.first(), user=coordinator)
    record(added, coordinator, Status.PLANNED)
    assert_figures_true()

    # The catalogue is corrected: another theme, other agenda points.
    rec.theme = Theme.objects.exclude(pk=rec.theme_id).first()
    rec.save()
    assert_figures_true()
    rec.agenda_points.set(AgendaPoint.objects.all()[:3])
    assert_figures_true()
    rec.agenda_points.clear()
    assert_figures_true()

    # An addressee is dropped: its line stops counting; the coordinator's line stays.
    rec.addressee_links.filter(actor=line.actor).delete()
    assert_figures_true()
    assert FollowUpLine.objects.get(pk=line.pk).counted_status == ""
    assert FollowUpLine.objects.get(pk=added.pk).counted_status == Status.PLANNED

    # Withdrawn: nothing of it counts any more; back in the catalogue: counted again.
    rec.withdrawn_at = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
    rec.save()
    assert_figures_true()
    assert set(rec.follow_up_lines.values_list("counted_status", flat=True)) == {""}
    rec.withdrawn_at = None
    rec.save()
    assert_figures_true()


def test_a_dashboard_reads_the_same_figures_as_a_count_of_the_rows(coordinator):
    for line in FollowUpLine.objects.followed()[:5]:
        record(line, coordinator, Status.PARTIALLY_IMPLEMENTED)
    figures = selectors.dashboard()
    lines = FollowUpLine.objects.followed().active()
    assert figures["line_count"] == lines.count()
    assert figures["line_totals"][Status.PARTIALLY_IMPLEMENTED] == 5
    assert figures["recommendation_count"] == Recommendation.objects.main().count()


def test_folding_keeps_every_figure_and_leaves_one_row_each(coordinator):
    lines = list(FollowUpLine.objects.followed().active()[:6])
    for status in (Status.PLANNED, Status.IN_PROGRESS, Status.IMPLEMENTED):
        for line in lines:
            record(line, coordinator, status)
    before = tallies.figures()
    rows = Tally.objects.count()
    folded = tallies.fold()
    assert folded == rows
    assert tallies.figures() == before == tallies.expected()
    assert Tally.objects.count() == len(before)


def test_the_dashboard_folds_when_many_rows_wait(coordinator, monkeypatch):
    monkeypatch.setattr(tallies, "FOLD_AFTER", 3)
    line = FollowUpLine.objects.followed().active().first()
    for status in (Status.PLANNED, Status.IN_PROGRESS, Status.PLANNED, Status.IN_PROGRESS):
        record(line, coordinator, status)
    groups = len(tallies.figures())  # this read folded
    assert Tally.objects.count() <= groups + 1
    assert tallies.figures() == tallies.expected()


def test_counting_afresh_gives_the_same_figures(coordinator):
    line = FollowUpLine.objects.followed().active().first()
    record(line, coordinator, Status.IN_PROGRESS)
    before = tallies.figures()
    services.figures_recount()
    assert tallies.figures() == before == tallies.expected()


def test_the_clock_bound_figures_come_from_the_lines(coordinator):
    today = datetime.date(2020, 1, 1)
    open_line, done_line = FollowUpLine.objects.followed().active()[:2]
    for line in (open_line, done_line):
        services.line_set_target_date(line=line, user=coordinator, target_date=DAY)
    record(done_line, coordinator, Status.IMPLEMENTED)
    figures = selectors.dashboard(today=today)
    assert figures["overdue_count"] == 1
    assert [line.pk for line in figures["overdue"]] == [open_line.pk]
    stale = FollowUpLine.objects.followed().active().stale(selectors.stale_since())
    assert figures["stale_count"] == stale.count()


def test_the_command_checks_and_repairs_the_figures(coordinator):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("recount_figures", stdout=out)
    assert "agree with the rows" in out.getvalue()
    line = FollowUpLine.objects.followed().active().first()
    # Rows written behind the app's back: the figures no longer hold them.
    FollowUpLine.objects.filter(pk=line.pk).update(status=Status.IMPLEMENTED)
    with pytest.raises(CommandError, match="figures differ from the rows"):
        call_command("recount_figures", stdout=StringIO(), stderr=StringIO())
    call_command("recount_figures", "--recount", stdout=StringIO())
    assert tallies.figures() == tallies.expected()


def test_the_frameworks_figures_follow_every_tag_change(coordinator):
    from hearings.models import GcmObjective, GcmTag, SdgTag, SdgTarget
    from tracker.models import RecommendationProgress

    sums = tallies.figures()
    tagged = GcmTag.objects.filter(recommendation__in=Recommendation.objects.main())
    assert sum(n for (f, _k, _s), n in sums.items() if f == "gcm") == tagged.count() > 0
    rec = Recommendation.objects.main().filter(addressees__isnull=False).first()
    record(rec.follow_up_lines.first(), coordinator, Status.IN_PROGRESS)
    status = Recommendation.objects.get(pk=rec.pk).progress.status
    gcm23 = GcmObjective.objects.get(number=23)

    # A coordinator tags it in the admin (one tag row at a time), corrects, removes.
    rec.gcm_tags.filter(objective=gcm23).delete()
    assert_figures_true()
    without = tallies.figures().get(("gcm", gcm23.pk, status), 0)
    tag = GcmTag.objects.create(recommendation=rec, objective=gcm23, reason="Cooperation.")
    assert_figures_true()
    assert tallies.figures()[("gcm", gcm23.pk, status)] == without + 1
    tag.reason = "Better said."
    tag.save()
    assert_figures_true()
    ten_c = SdgTarget.objects.get(code="10.c")
    SdgTag.objects.create(recommendation=rec, target=ten_c, reason="Remittances.")
    assert_figures_true()
    assert ten_c.pk in RecommendationProgress.objects.get(pk=rec.pk).counted_sdg_ids
    rec.sdg_tags.all().delete()
    assert_figures_true()
    # Restated: it leaves every figure, tags and all.
    rec.restates = Recommendation.objects.main().exclude(pk=rec.pk).first()
    rec.save()
    assert_figures_true()
    assert RecommendationProgress.objects.get(pk=rec.pk).counted_gcm_ids == []
    rec.restates = None
    rec.save()
    assert_figures_true()
    assert tallies.figures()[("gcm", gcm23.pk, status)] == without + 1


def test_counting_afresh_repairs_the_frameworks_figures(coordinator):
    from tracker.models import RecommendationProgress

    rec = Recommendation.objects.main().filter(gcm_tags__isnull=False).first()
    right = RecommendationProgress.objects.get(pk=rec.pk)
    # Written behind the app's back: the remembered groups and a figure drift.
    RecommendationProgress.objects.filter(pk=rec.pk).update(counted_gcm_ids=[], counted_sdg_ids=[1])
    Tally.objects.create(figure="sdg", key=1, status=Status.PLANNED, n=5)
    assert tallies.figures() != tallies.expected()
    services.figures_recount()
    assert tallies.figures() == tallies.expected()
    repaired = RecommendationProgress.objects.get(pk=rec.pk)
    assert (repaired.counted_gcm_ids, repaired.counted_sdg_ids) == (
        right.counted_gcm_ids, right.counted_sdg_ids,
    )  # fmt: skip

"""The list's and the export's filters: several values per filter (any of them), all filters
together, a group including its members unless "only", mentions on request; the actor
picker grouped by kind and sorted by the name shown, working without JavaScript."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from hearings.models import Actor, Recommendation
from tests.listing import listed
from tracker import services
from tracker.models import Profile, Role, Status
from tracker.pickers import HEADINGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(loaded_report):
    user = get_user_model().objects.create_user("filter-coordinator", password="pw-for-tests")
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    return user


def codes(client, **query) -> set[str]:
    response = client.get(reverse("recommendations"), query)
    assert response.status_code == 200
    return {rec.code for rec in listed(response)}


def main(**filters) -> set[str]:
    return set(Recommendation.objects.main().filter(**filters).values_list("code", flat=True))


def test_several_themes_agenda_points_and_statuses_mean_any_of_them(client, coordinator):
    client.force_login(coordinator)
    assert codes(client, theme=["labour", "rights"]) == main(theme__key__in=["labour", "rights"])
    assert codes(client, agenda=["recruitment", "diaspora"]) == main(
        agenda_points__key__in=["recruitment", "diaspora"]
    )
    rec = Recommendation.objects.get(code="R30a")
    line = rec.follow_up_lines.first()
    services.status_update_record(
        line_id=line.pk, user=coordinator, status=Status.PLANNED, note="A plan.",
        effective_date=line.followed_since, evidence_links=[], seen_version=0,
    )  # fmt: skip
    both = codes(client, status=[Status.PLANNED, Status.NO_INFORMATION])
    assert both == main(progress__status__in=[Status.PLANNED, Status.NO_INFORMATION])
    assert "R30a" in both
    assert codes(client, status=[Status.PLANNED]) == {"R30a"}


def test_filters_together_must_all_hold(client, coordinator):
    client.force_login(coordinator)
    found = codes(client, theme=["labour"], actor=["employers"])
    assert found
    assert found == main(theme__key="labour") & (
        main(addressee_links__actor__key="employers")
        | main(follow_up_lines__actor__key="employers")
    )


def test_a_group_includes_its_members_unless_only_the_group_is_asked(client, coordinator):
    rec = Recommendation.objects.main().exclude(addressee_links__actor__key="governments").first()
    services.line_add(recommendation=rec, actor=Actor.objects.get(key="mex"), user=coordinator)
    client.force_login(coordinator)
    with_members = codes(client, actor="governments")
    assert rec.code in with_members
    assert main(addressee_links__actor__key="governments") < with_members
    only = codes(client, actor="governments", actor_only="on")
    assert rec.code not in only
    assert only == main(addressee_links__actor__key="governments") | main(
        follow_up_lines__actor__key="governments"
    )


def test_actors_only_mentioned_are_found_when_asked(client, coordinator):
    """The ILO is mentioned, not addressed, in the labour chapter: "everything on the ILO"."""
    client.force_login(coordinator)
    mentioned = main(mentioned_actors__key="ilo")
    assert mentioned
    assert not codes(client, actor="ilo") & mentioned
    assert mentioned <= codes(client, actor="ilo", mentioned="on")


def test_several_values_are_carried_in_the_url_and_the_export_link(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("recommendations"), {"theme": ["labour", "rights"]})
    page = response.content.decode()
    link = re.search(r'class="results__export"><a href="([^"]+)"', page).group(1)
    assert "theme=labour" in link
    assert "theme=rights" in link
    export = client.get(link.replace("&amp;", "&"))
    assert "Labour" in export.content.decode() or "labour" in export.content.decode()
    assert export.context["count"] == len(main(theme__key__in=["labour", "rights"]))


def test_the_actor_picker_is_grouped_by_kind_and_sorted_by_the_name_shown(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("recommendations")).content.decode()
    picker = re.search(r'<div class="picker" data-picker.*?</div>\s*</div>', page, re.S)
    assert picker, "no actor picker"
    headings = re.findall(r'<legend class="picker__heading">([^<]+)</legend>', page)
    assert headings == [str(h) for h in HEADINGS.values()]
    groups = re.split(r'<legend class="picker__heading">', page)[1:]
    governments = re.findall(r'name="actor" value="([^"]+)"', groups[0])
    assert "mex" in governments
    assert "governments" in governments
    assert len(governments) >= 193
    names = re.findall(r'name="actor" value="[^"]+"[^>]*>\s*([^<]+)</label>', groups[0])
    assert names == sorted(names, key=str.casefold)
    assert "ilo" in re.findall(r'name="actor" value="([^"]+)"', groups[1])
    assert '<script src="/static/js/picker.js" defer></script>' in page


def test_the_add_line_picker_groups_the_actors_without_a_line(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("line-add", args=["R30a"])).content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)">', page)
    assert groups[0] == str(HEADINGS["governments"])
    assert "Mexico" in page
    assert '<option value="' in page
    rec = Recommendation.objects.get(code="R30a")
    for line in rec.follow_up_lines.select_related("actor"):
        assert f'<option value="{line.actor.pk}"' not in page  # already has a line


def test_the_export_command_takes_several_values(coordinator, tmp_path, capsys):
    out = tmp_path / "two-themes.csv"
    call_command(
        "export_progress", "--format", "csv", "--theme", "labour,rights", "--actor",
        "governments", "-o", str(out),
    )  # fmt: skip
    rows = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    governments = (
        main(addressee_links__actor__key="governments")
        | main(addressee_links__actor__groups__key="governments")
        | main(follow_up_lines__actor__key="governments")
        | main(follow_up_lines__actor__groups__key="governments")
    )
    wanted = main(theme__key__in=["labour", "rights"]) & governments
    assert {row.split(",")[1] for row in rows} == wanted


def test_a_per_actor_report_shows_mentions_in_their_own_section(coordinator):
    from django.http import QueryDict

    from tracker.reports import document
    from tracker.reports.options import ExportOptions, recommendation_filter

    filterset = recommendation_filter(QueryDict("actor=ilo&mentioned=on"))
    assert filterset.is_valid(), filterset.errors
    options = ExportOptions.from_filter(
        filterset, as_of=datetime.date.today(), format="docx", grouping="actor"
    )
    report = document.build(options)
    sections = {group.title: group for group in report.groups}
    mentioned = sections["Mentioned, not addressed"]
    assert {e.rec.code for e in mentioned.entries} == main(mentioned_actors__key="ilo")
    for title, group in sections.items():
        if title != "Mentioned, not addressed":
            assert not {e.rec.code for e in group.entries} & main(mentioned_actors__key="ilo")

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


def test_global_compact_objectives_and_sdg_targets_mean_any_of_them(client, coordinator):
    client.force_login(coordinator)
    both = codes(client, gcm=["gcm-6", "gcm-10"])
    assert both == main(gcm_objectives__key__in=["gcm-6", "gcm-10"])
    assert main(gcm_objectives__key="gcm-6") < both
    targets = codes(client, sdg=["sdg-8-8", "sdg-10-7"])
    assert targets == main(sdg_targets__key__in=["sdg-8-8", "sdg-10-7"])
    together = codes(client, gcm=["gcm-6"], sdg=["sdg-10-3"], theme=["labour"])
    assert together == (
        main(gcm_objectives__key="gcm-6")
        & main(sdg_targets__key="sdg-10-3")
        & main(theme__key="labour")
    )
    assert together, "the catalogue tags labour asks with objective 6 and target 10.3"
    # Restatements carry no tags: asked for both kinds, the same entries.
    assert codes(client, gcm=["gcm-6"], kind="all") == main(gcm_objectives__key="gcm-6")


def test_the_frameworks_filters_are_exists_on_the_tag_tables(client, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("recommendations"), {"gcm": "gcm-6", "sdg": "sdg-8-8", "page": 1})
    listing = [q["sql"] for q in queries if "hearings_gcmtag" in q["sql"]]
    assert listing
    assert all("EXISTS" in sql and "hearings_sdgtag" in sql for sql in listing)
    assert not any("DISTINCT" in sql for sql in listing)


def test_one_objectives_count_is_the_dashboards_figure(client, coordinator):
    client.force_login(coordinator)
    for query, filters in (
        ({"gcm": "gcm-23"}, {"gcm_objectives__key": "gcm-23"}),
        ({"sdg": "sdg-10-7", "status": "no-information"}, {"sdg_targets__key": "sdg-10-7"}),
    ):
        page = client.get(reverse("recommendations"), query).context["page"]
        assert page.count_is == "exact"
        assert page.count == len(main(**filters)) > 0


def test_an_unknown_objective_or_target_is_refused_with_a_message(client, coordinator):
    client.force_login(coordinator)
    for query in ({"gcm": "gcm-24"}, {"sdg": "sdg-10-9"}):
        response = client.get(reverse("recommendations"), query)
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()


def test_the_filters_list_the_objectives_and_targets_by_their_short_titles(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("recommendations")).content.decode()
    objectives = re.findall(r'name="gcm" value="([^"]+)"', page)
    assert objectives == [f"gcm-{n}" for n in range(1, 24)]
    assert "Objective 6: Fair recruitment and decent work" in page
    targets = re.findall(r'name="sdg" value="([^"]+)"', page)
    assert targets[-3:] == ["sdg-17-3", "sdg-17-17", "sdg-17-18"]
    assert "10.7 Well-managed migration" in page

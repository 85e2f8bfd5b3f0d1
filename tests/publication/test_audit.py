"""Publication in the audit log: every change made on a page is audited under the user who
made it (django-auditlog's middleware), the command's under "the command line", and each
reads as words on the audit page and in its CSV."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from tests.publication.conftest import page_text
from tracker.audit.changes import describe
from tracker.audit.filters import log_entries

pytestmark = pytest.mark.django_db

NOTE = "Note of R42.1 · Civil society organizations and NGOs → In progress (2014-01-10)"
LINE = "R42.1 · Civil society organizations and NGOs"


def publication_entries():
    return LogEntry.objects.filter(content_type__app_label="publication").order_by("pk")


@pytest.fixture
def coordinator_client(client, users):
    client.force_login(users["coordinator"])
    return client


def test_every_change_made_on_a_page_is_audited_under_its_user(
    coordinator_client, users, line, record
):
    update = record(users["focal-point"])
    steps = [
        (reverse("public-site-switch"), {"state": "on"}),
        (reverse("public-site-target-dates"), {"state": "on"}),
        (reverse("update-publish", args=[update.pk]), {}),
        (reverse("update-withdraw", args=[update.pk]), {}),
        (reverse("line-withhold", args=[line.pk]), {"reason": "Sensitive."}),
        (reverse("line-release", args=[line.pk]), {}),
        (reverse("recommendation-withhold", args=["R42.1"]), {"reason": "Sensitive."}),
        (reverse("recommendation-release", args=["R42.1"]), {}),
    ]
    for url, data in steps:
        assert coordinator_client.post(url, data).status_code == 302
    entries = list(publication_entries())
    assert [(e.content_type.model, e.action) for e in entries] == [
        ("publicsite", LogEntry.Action.UPDATE),
        ("publicsite", LogEntry.Action.UPDATE),
        ("notepublication", LogEntry.Action.CREATE),
        ("notepublication", LogEntry.Action.DELETE),
        ("withholding", LogEntry.Action.CREATE),
        ("withholding", LogEntry.Action.DELETE),
        ("withholding", LogEntry.Action.CREATE),
        ("withholding", LogEntry.Action.DELETE),
    ]
    assert {e.actor for e in entries} == {users["coordinator"]}


def test_publishing_as_one_records_is_audited_under_the_recorder(client, users, line):
    client.force_login(users["focal-point"])
    response = client.post(
        reverse("line-update", args=[line.pk]),
        {
            "status": "planned",
            "note": "A plan for the hotline was adopted.",
            "effective_date": "2014-01-10",
            "version": "0",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    (entry,) = publication_entries()
    assert (entry.actor, entry.action) == (users["focal-point"], LogEntry.Action.CREATE)


def test_the_audit_page_reads_each_change_in_words(coordinator_client, users, line, record):
    update = record(users["focal-point"])
    coordinator_client.post(reverse("public-site-switch"), {"state": "on"})
    coordinator_client.post(reverse("update-publish", args=[update.pk]))
    coordinator_client.post(reverse("update-withdraw", args=[update.pk]))
    coordinator_client.post(reverse("line-withhold", args=[line.pk]), {"reason": "Sensitive."})
    coordinator_client.post(reverse("line-release", args=[line.pk]))
    page = page_text(coordinator_client.get(reverse("audit"), {"who": users["coordinator"].pk}))
    who = "Coordinator (coordinator)"
    assert f"{who} Update · Public site · Public site: on Public site on: no → yes" in page
    assert (
        f"{who} Published · Published note · {NOTE} Initial values "
        "Status update: R42.1 · Civil society organizations and NGOs → In progress (2014-01-10) "
        "Published by: coordinator"
    ) in page
    assert f"{who} Withdrawn from public view · Published note · {NOTE} Status update:" in page
    assert (
        f"{who} Kept out of public view · Kept out of public view · {LINE} Initial values "
        f"Recommendation: — Follow-up line: {LINE} Reason: Sensitive."
    ) in page
    # Letting back: what the withholding was, not the target it never had.
    assert (
        f"{who} Let back into public view · Kept out of public view · {LINE} "
        f"Follow-up line: {LINE} → — Reason: Sensitive. → —"
    ) in page
    # Making the switch's row is nobody's change: one entry per press of the button.
    assert "Create · Public site" not in page
    for raw in ("notepublication", "withholding", "is_on", "published_by", "Action.", "None"):
        assert raw not in page


def test_the_kinds_filter_offers_the_publication_models(coordinator_client):
    page = page_text(coordinator_client.get(reverse("audit")))
    for kind in ("Public site", "Published note", "Kept out of public view"):
        assert kind in page
    response = coordinator_client.get(reverse("audit"), {"kind": "publication.withholding"})
    assert response.status_code == 200


def test_the_command_is_audited_as_the_command_line(coordinator_client, users):
    call_command("public_site", "on", stdout=io.StringIO())
    (entry,) = publication_entries()
    assert entry.actor is None
    assert entry.additional_data == {"command": "public_site"}
    page = page_text(coordinator_client.get(reverse("audit"), {"who": "loader"}))
    assert (
        "the command line (manage.py public_site) Update · Public site · Public site: on "
        "Public site on: no → yes"
    ) in page
    response = coordinator_client.get(reverse("audit-csv"), {"kind": "publication.publicsite"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][1:] == [
        "the command line (manage.py public_site)",
        "Update",
        "Public site",
        "Public site: on",
        "Public site on",
        "no",
        "yes",
    ]
    # On the Public site page too, the change is the command line's.
    page = page_text(coordinator_client.get(reverse("public-site")))
    assert "from the command line (manage.py public_site)" in page


def test_names_of_notes_and_lines_are_read_in_one_query_each(
    users, line, record, django_assert_num_queries
):
    coordinator = users["coordinator"]
    from tracker.publication import services

    lines = list(line.recommendation.follow_up_lines.all()[:3])
    for target in lines:
        update = record(coordinator, on=target)
        services.note_publish(update=update, user=coordinator)
        services.withhold(user=coordinator, line=target, reason="Sensitive.")
    entries = list(log_entries().filter(content_type__app_label="publication"))
    assert len(entries) == 2 * len(lines)
    # 1 the status updates with their lines, recommendations and actors, 2 the users who
    # published, 3 the lines kept out with theirs (none of the recommendations: all empty)
    with django_assert_num_queries(3):
        views = describe(entries)
    assert {c.after for v in views for c in v.changes if c.label == "Follow-up line"} >= {
        str(target) for target in lines
    }


def test_changes_read_in_the_models_order_of_fields_whatever_order_is_stored(users, line):
    """PostgreSQL's jsonb keeps keys in an order of its own: the page does not follow it."""
    from django.contrib.contenttypes.models import ContentType

    from tracker.publication.models import Withholding

    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Withholding),
        object_pk="1",
        object_repr=str(line),
        action=LogEntry.Action.CREATE,
        changes={"reason": ["None", "x"], "nonsense": ["a", "b"], "line": ["None", str(line.pk)],
                 "recommendation": ["None", "None"]},
    )  # fmt: skip
    (view,) = describe([entry])
    assert [c.label for c in view.changes] == ["Recommendation", "Follow-up line", "Reason",
                                               "Nonsense"]  # fmt: skip

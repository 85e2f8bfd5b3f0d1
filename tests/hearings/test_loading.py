"""Loading the report and its catalogue: counts, validation, idempotent reloads, merges."""

import re

import pytest
import yaml
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearings import models
from hearings.catalogue import CatalogueError
from hearings.loading import load_report
from hearings.report_text import ReportFormatError
from hearings.signals import catalogue_loaded

pytestmark = pytest.mark.django_db

WRITE_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
ALL_MODELS = [
    models.Report, models.Chapter, models.Section, models.Paragraph, models.Theme,
    models.AgendaPoint, models.Actor, models.Recommendation, models.Addressee, LogEntry,
]  # fmt: skip


def read_entries(data_dir, name="catalogue.yaml"):
    return yaml.safe_load((data_dir / name).read_text(encoding="utf-8"))


def write_entries(data_dir, entries, name="catalogue.yaml"):
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
    (data_dir / name).write_text(text, encoding="utf-8")


def snapshot():
    """Row counts of every table the loader writes, and the newest change time."""
    counts = {model.__name__: model.objects.count() for model in ALL_MODELS}
    stamps = list(models.Recommendation.objects.order_by("code").values_list("updated_at"))
    return counts, stamps


def entry(entries, code):
    return next(e for e in entries if e["code"] == code)


def test_first_load_holds_the_whole_report(loaded_report):
    catalogue = read_entries(settings.REPORT_DATA_DIR)
    actors = read_entries(settings.REPORT_DATA_DIR, "actors.yaml")
    member_states = read_entries(settings.REPORT_DATA_DIR, "member-states.yaml")
    assert models.Report.objects.count() == 1
    assert models.Chapter.objects.count() == 10
    assert models.Section.objects.count() == 12
    assert models.Paragraph.objects.count() == 59
    assert models.Theme.objects.count() == 4
    assert models.AgendaPoint.objects.count() == 8
    assert len(member_states) == 193
    assert models.Actor.objects.count() == len(actors) + 193
    governments = models.Actor.objects.get(key="governments")
    assert governments.members.filter(kind="member-state").count() == 193
    assert models.Recommendation.objects.count() == len(catalogue)
    assert len(catalogue) >= 100

    report = models.Report.objects.get()
    assert str(report.hearing_date) == "2013-07-15"
    assert (str(report.dialogue_start), str(report.dialogue_end)) == ("2013-10-03", "2013-10-04")
    assert {t.key: t.chapter.numeral for t in models.Theme.objects.select_related("chapter")} == {
        "labour": "V", "rights": "VI", "diaspora": "VIII", "governance": "IX",
    }  # fmt: skip
    assert models.AgendaPoint.objects.get(key="distress-transit").theme.key == "rights"


def test_every_recommendation_is_tied_to_its_source(loaded_report):
    recommendations = models.Recommendation.objects.select_related("paragraph", "restates")
    for rec in recommendations.prefetch_related("addressee_links", "agenda_points"):
        assert rec.text in rec.paragraph.text, rec.code
        assert rec.addressee_links.all(), rec.code
        assert len(rec.agenda_points.all()) <= 2, rec.code
        if rec.restates:
            assert rec.restates.restates_id is None, rec.code
    main = models.Recommendation.objects.main()
    assert main.count() == models.Recommendation.objects.filter(restates__isnull=True).count()
    assert models.Recommendation.objects.filter(restates__isnull=False).exists()


def test_lettered_items_of_paragraph_30(loaded_report):
    items = models.Recommendation.objects.filter(paragraph__number=30).exclude(item="")
    assert sorted(items.values_list("code", "item")) == [
        ("R30a", "a"), ("R30b", "b"), ("R30c", "c"), ("R30d", "d"),
    ]  # fmt: skip
    r30a = models.Recommendation.objects.get(code="R30a")
    assert r30a.addressees.filter(key="governments").exists()


def test_unchanged_reload_writes_nothing(loaded_report):
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        result = load_report()
    writes = [q["sql"] for q in queries.captured_queries if WRITE_SQL.match(q["sql"])]
    assert writes == []
    assert not result.changed
    assert snapshot() == before


def test_load_command_says_when_nothing_changed(loaded_report, capsys):
    call_command("load_report")
    out = capsys.readouterr().out
    assert "59 paragraphs" in out
    assert "Already up to date: nothing written." in out


def test_changed_entry_is_applied_in_place(empty_database, data_dir):
    load_report(data_dir)
    entries = read_entries(data_dir)
    first, second = entries[0], entries[1]
    original = models.Recommendation.objects.get(code=first["code"])
    untouched_before = models.Recommendation.objects.get(code=second["code"]).updated_at
    first["title"] = "A corrected title"
    write_entries(data_dir, entries)

    result = load_report(data_dir)

    rec = models.Recommendation.objects.get(code=first["code"])
    assert rec.pk == original.pk
    assert rec.title == "A corrected title"
    assert result.updated_codes == [first["code"]]
    assert models.Recommendation.objects.get(code=second["code"]).updated_at == untouched_before
    assert LogEntry.objects.get_for_object(rec).filter(action=LogEntry.Action.UPDATE).exists()


def test_correction_made_in_the_app_survives_reloads(empty_database, data_dir):
    load_report(data_dir)
    entries = read_entries(data_dir)
    code = entries[0]["code"]
    rec = models.Recommendation.objects.get(code=code)
    rec.title = "Title corrected by a coordinator"
    rec.save()
    rec.agenda_points.set(models.AgendaPoint.objects.filter(key="diaspora"))

    # The file did not change these fields: the app's values stand, silently.
    result = load_report(data_dir)
    assert result.conflicts == []
    rec.refresh_from_db()
    assert rec.title == "Title corrected by a coordinator"
    assert list(rec.agenda_points.values_list("key", flat=True)) == ["diaspora"]

    # The file now changes the corrected field too: the app wins and the conflict is said.
    entry(entries, code)["title"] = "Title changed in the file"
    entry(entries, code)["text"] = entries[0]["text"][:20]
    write_entries(data_dir, entries)
    result = load_report(data_dir)
    rec.refresh_from_db()
    assert rec.title == "Title corrected by a coordinator"
    assert rec.text == entries[0]["text"][:20]  # not corrected in the app: applied
    assert [(c.label, c.field) for c in result.conflicts] == [(f"recommendation {code}", "title")]
    assert "Title changed in the file" in str(result.conflicts[0])


def test_entry_gone_from_the_file_is_withdrawn_not_deleted(empty_database, data_dir):
    load_report(data_dir)
    entries = read_entries(data_dir)
    gone = next(e for e in entries if not any(x.get("restates") == e["code"] for x in entries))
    write_entries(data_dir, [e for e in entries if e is not gone])

    result = load_report(data_dir)
    rec = models.Recommendation.objects.get(code=gone["code"])
    assert rec.withdrawn_at is not None
    assert result.withdrawn_codes == [gone["code"]]
    assert not models.Recommendation.objects.current().filter(pk=rec.pk).exists()

    write_entries(data_dir, entries)
    result = load_report(data_dir)
    rec.refresh_from_db()
    assert rec.withdrawn_at is None
    assert result.restored_codes == [gone["code"]]


def test_new_entry_and_new_actor_are_created(empty_database, data_dir):
    load_report(data_dir)
    actors = read_entries(data_dir, "actors.yaml")
    actors.append(
        {
            "key": "new-network",
            "name": "A new network",
            "kind": "civil-society",
            "groups": ["civil-society"],
        }
    )
    write_entries(data_dir, actors, "actors.yaml")
    entries = read_entries(data_dir)
    paragraph = models.Paragraph.objects.get(number=35)
    entries.append({
        "code": "R35.9", "paragraph": 35, "title": "Combat xenophobia",
        "text": paragraph.text.split(". ")[0], "theme": "rights",
        "addressees": ["new-network"], "agenda": [],
    })  # fmt: skip
    write_entries(data_dir, entries)
    result = load_report(data_dir)
    assert result.created_codes == ["R35.9"]
    rec = models.Recommendation.objects.get(code="R35.9")
    assert list(rec.addressees.values_list("key", flat=True)) == ["new-network"]
    assert list(rec.addressees.get().groups.values_list("key", flat=True)) == ["civil-society"]


def test_signal_is_sent_in_the_transaction_only_when_something_changed(empty_database, data_dir):
    received = []

    def receiver(sender, result, **kwargs):
        received.append(sorted(result.created_codes))

    catalogue_loaded.connect(receiver)
    try:
        load_report(data_dir)
        load_report(data_dir)
    finally:
        catalogue_loaded.disconnect(receiver)
    assert len(received) == 1
    assert len(received[0]) == len(read_entries(data_dir))


def test_dry_run_writes_nothing(empty_database, data_dir):
    result = load_report(data_dir, dry_run=True)
    assert result.created["paragraph"] == 59
    assert models.Paragraph.objects.count() == 0
    assert models.Recommendation.objects.count() == 0


BAD_ENTRIES = [
    ({"paragraph": 60}, "field 'paragraph': unknown paragraph 60"),
    ({"theme": "labor"}, "field 'theme': unknown theme 'labor'"),
    ({"agenda": ["recruitment", "nowhere"]}, "field 'agenda': unknown agenda point 'nowhere'"),
    (
        {"addressees": ["ministry-of-magic"]},
        "field 'addressees': unknown actor 'ministry-of-magic'",
    ),
    (
        {"addressees": [], "inferred_addressees": []},
        "field 'addressees': at least one addressed actor is required",
    ),
    ({"text": "words the report never said"}, "field 'text': does not occur verbatim"),
    ({"code": "X1"}, "field 'code': must look like R30a"),
    ({"adressees": ["governments"]}, "field 'adressees': unknown field"),
    ({"agenda": ["recruitment", "labour-rights", "diaspora"]}, "at most 2 agenda points"),
    ({"restates": "R999.1"}, "field 'restates': unknown entry 'R999.1'"),
    ({"item": "7"}, "field 'item': must be one lower-case letter"),
    ({"title": ""}, "field 'title': must be non-empty text"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_ENTRIES)
def test_bad_entry_names_the_entry_and_field_and_writes_nothing(
    empty_database, data_dir, changes, message
):
    load_report(data_dir)
    before = snapshot()
    entries = read_entries(data_dir)
    bad = next(e for e in entries if e["code"].startswith("R3"))
    bad.update(changes)
    write_entries(data_dir, entries)

    with pytest.raises(CatalogueError) as error:
        load_report(data_dir)
    assert message in str(error.value)
    assert f"entry {bad['code']} (line " in str(error.value)
    assert snapshot() == before


def test_duplicate_code_and_chained_restatement_are_refused(empty_database, data_dir):
    entries = read_entries(data_dir)
    restatement = next(e for e in entries if e.get("restates"))
    other = next(
        e for e in entries if not e.get("restates") and e["code"] != restatement["restates"]
    )
    other["restates"] = restatement["code"]
    entries.append(dict(entries[0]))
    write_entries(data_dir, entries)
    line = next(
        number
        for number, text in enumerate((data_dir / "catalogue.yaml").read_text().splitlines(), 1)
        if text.endswith(f"code: {other['code']}")
    )

    with pytest.raises(CatalogueError) as error:
        load_report(data_dir)
    text = str(error.value)
    assert f"duplicate entry code '{entries[0]['code']}'" in text
    assert (
        f"entry {other['code']} (line {line}), field 'restates': "
        f"'{restatement['code']}' is itself a restatement"
    ) in text
    assert models.Recommendation.objects.count() == 0


def test_malformed_catalogue_exits_non_zero_and_writes_nothing(data_dir, loaded_report):
    before = snapshot()
    (data_dir / "catalogue.yaml").write_text("- code: R1.1\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"not valid YAML at line 3"):
        call_command("load_report", data_dir=str(data_dir))
    assert snapshot() == before


def test_catalogue_that_is_not_a_list_is_refused(empty_database, data_dir):
    (data_dir / "catalogue.yaml").write_text("code: R1\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="'recommendations' must be a list"):
        load_report(data_dir)


def test_missing_catalogue_file_is_refused(empty_database, data_dir):
    (data_dir / "catalogue.yaml").unlink()
    with pytest.raises(CommandError, match="catalogue.yaml: file not found"):
        call_command("load_report", data_dir=str(data_dir))


def test_truncated_report_exits_non_zero_and_writes_nothing(data_dir, loaded_report):
    before = snapshot()
    report = data_dir / "hearings-2013-summary.txt"
    report.write_bytes(report.read_bytes()[:5000])
    with pytest.raises(CommandError, match="report file is not usable.*expected paragraphs"):
        call_command("load_report", data_dir=str(data_dir))
    assert snapshot() == before


def test_missing_report_is_refused(empty_database, data_dir):
    (data_dir / "hearings-2013-summary.txt").unlink()
    with pytest.raises(ReportFormatError, match="cannot read the report file"):
        load_report(data_dir)
    assert models.Report.objects.count() == 0


def test_database_constraints_hold_the_invariants(loaded_report):
    from django.db import IntegrityError, transaction

    rec = models.Recommendation.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Recommendation.objects.filter(pk=rec.pk).update(restates=rec)
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Recommendation.objects.filter(pk=rec.pk).update(item="7")
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Actor.objects.filter(pk=models.Actor.objects.first().pk).update(kind="wizard")
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Paragraph.objects.create(
            report=rec.paragraph.report, number=30, chapter=rec.paragraph.chapter, text="x"
        )

"""The Global Compact's objectives and the SDG targets: loaded from reference.yaml, the
catalogue's tags validated, loaded and merged three ways like the agenda points."""

import pytest
import yaml
from auditlog.models import LogEntry

from hearings import models
from hearings.catalogue import CatalogueError
from hearings.frameworks import sdg_position
from hearings.loading import load_report
from tests.hearings.test_loading import entry, read_entries, snapshot, write_entries

pytestmark = pytest.mark.django_db


def main_entries(entries):
    return [e for e in entries if not e.get("restates")]


def tag(key, reason="The ask is what this objective sets out to do."):
    return {"key": key, "reason": reason}


def tags_of(code):
    rec = models.Recommendation.objects.get(code=code)
    return (
        sorted((t.objective.key, t.reason) for t in rec.gcm_tags.select_related("objective")),
        sorted((t.target.key, t.reason) for t in rec.sdg_tags.select_related("target")),
    )


def test_the_objectives_and_targets_are_loaded_in_their_official_wording(loaded_report):
    objectives = list(models.GcmObjective.objects.all())
    assert [o.key for o in objectives] == [f"gcm-{n}" for n in range(1, 24)]
    assert objectives[5].title == (
        "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work"
    )
    assert objectives[22].title == (
        "Strengthen international cooperation and global partnerships for safe, orderly and "
        "regular migration"
    )
    assert all(0 < len(o.short_title) <= 80 for o in objectives)
    targets = list(models.SdgTarget.objects.all())
    assert [t.code for t in targets] == [
        "1.3", "3.8", "4.4", "5.2", "8.7", "8.8", "10.2", "10.3", "10.7", "10.c", "16.2",
        "16.9", "17.3", "17.17", "17.18",
    ]  # fmt: skip
    ten_seven = models.SdgTarget.objects.get(key="sdg-10-7")
    assert (ten_seven.code, ten_seven.goal) == ("10.7", 10)
    assert ten_seven.title.startswith("Facilitate orderly, safe, regular and responsible migration")
    assert models.SdgTarget.objects.get(key="sdg-10-c").title.startswith(
        "By 2030, reduce to less than 3 per cent the transaction costs of migrant remittances"
    )


def test_targets_sort_in_the_2030_agendas_order():
    assert sorted(["17.18", "17.3", "10.c", "10.7", "17.17", "1.3"], key=sdg_position) == [
        "1.3", "10.7", "10.c", "17.3", "17.17", "17.18",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="not an SDG target code"):
        sdg_position("18.1")


def test_tags_are_loaded_with_their_reasons_and_a_reload_writes_nothing(empty_database, data_dir):
    entries = read_entries(data_dir)
    first, second = main_entries(entries)[:2]
    for e in entries:
        e.pop("gcm", None), e.pop("sdg", None)
    first["gcm"] = [tag("gcm-6", "Recruitment rules."), tag("gcm-23", "Cooperation.")]
    first["sdg"] = [tag("sdg-10-7", "Well-managed migration.")]
    second["sdg"] = [tag("sdg-8-8", "Labour rights.")]
    write_entries(data_dir, entries)

    load_report(data_dir)
    assert tags_of(first["code"]) == (
        [("gcm-23", "Cooperation."), ("gcm-6", "Recruitment rules.")],
        [("sdg-10-7", "Well-managed migration.")],
    )
    assert tags_of(second["code"]) == ([], [("sdg-8-8", "Labour rights.")])
    rec = models.Recommendation.objects.get(code=first["code"])
    assert list(rec.gcm_objectives.values_list("number", flat=True)) == [6, 23]
    assert list(models.SdgTarget.objects.get(key="sdg-8-8").recommendations.all()) == [
        models.Recommendation.objects.get(code=second["code"])
    ]

    before = snapshot(), models.GcmTag.objects.count(), models.SdgTag.objects.count()
    result = load_report(data_dir)
    assert not result.changed
    assert (snapshot(), models.GcmTag.objects.count(), models.SdgTag.objects.count()) == before


def test_a_changed_tag_in_the_file_is_applied_and_audited(empty_database, data_dir):
    entries = read_entries(data_dir)
    code = main_entries(entries)[0]["code"]
    entry(entries, code)["gcm"] = [tag("gcm-6", "First reason.")]
    write_entries(data_dir, entries)
    load_report(data_dir)

    entry(entries, code)["gcm"] = [tag("gcm-6", "Better reason."), tag("gcm-7", "Vulnerable.")]
    write_entries(data_dir, entries)
    result = load_report(data_dir)
    assert code in result.updated_codes
    assert tags_of(code)[0] == [("gcm-6", "Better reason."), ("gcm-7", "Vulnerable.")]
    changed = LogEntry.objects.get_for_model(models.GcmTag)
    assert changed.filter(action=LogEntry.Action.UPDATE).count() == 1
    assert changed.filter(action=LogEntry.Action.CREATE).count() == 1

    entry(entries, code)["gcm"] = []
    write_entries(data_dir, entries)
    load_report(data_dir)
    assert tags_of(code)[0] == []
    assert changed.filter(action=LogEntry.Action.DELETE).count() == 2


def test_a_tag_corrected_in_the_app_survives_reloads(empty_database, data_dir):
    entries = read_entries(data_dir)
    code, other = (e["code"] for e in main_entries(entries)[:2])
    entry(entries, code)["sdg"] = [tag("sdg-10-7", "From the file.")]
    entry(entries, code)["gcm"] = []
    write_entries(data_dir, entries)
    load_report(data_dir)
    rec = models.Recommendation.objects.get(code=code)
    rec.sdg_tags.update(reason="Corrected by a coordinator.")
    models.GcmTag.objects.create(
        recommendation=rec, objective=models.GcmObjective.objects.get(key="gcm-1"), reason="Data."
    )

    # The file did not change the tags: the app's stand, silently.
    result = load_report(data_dir)
    assert result.conflicts == []
    assert tags_of(code) == (
        [("gcm-1", "Data.")],
        [("sdg-10-7", "Corrected by a coordinator.")],
    )

    # The file now changes the corrected field too: the app wins and the conflict is said;
    # another entry's new tags are applied.
    entry(entries, code)["sdg"] = [tag("sdg-10-7", "File's second thoughts.")]
    entry(entries, other)["gcm"] = [tag("gcm-2", "Drivers.")]
    write_entries(data_dir, entries)
    result = load_report(data_dir)
    assert [(c.label, c.field) for c in result.conflicts] == [(f"recommendation {code}", "sdg")]
    assert "File's second thoughts." in str(result.conflicts[0])
    assert tags_of(code)[1] == [("sdg-10-7", "Corrected by a coordinator.")]
    assert tags_of(other)[0] == [("gcm-2", "Drivers.")]


def test_an_objective_corrected_in_the_app_survives_reloads(empty_database, data_dir):
    load_report(data_dir)
    objective = models.GcmObjective.objects.get(key="gcm-6")
    objective.short_title = "Fair recruitment"
    objective.save()
    target = models.SdgTarget.objects.get(key="sdg-10-7")
    target.short_title = "Orderly migration"
    target.save()
    result = load_report(data_dir)
    assert result.conflicts == []
    objective.refresh_from_db()
    target.refresh_from_db()
    assert (objective.short_title, target.short_title) == ("Fair recruitment", "Orderly migration")

    reference = yaml.safe_load((data_dir / "reference.yaml").read_text(encoding="utf-8"))
    reference["gcm_objectives"][5]["short_title"] = "Recruitment and decent work"
    reference["sdg_targets"][8]["title"] = "A new wording from the file"
    (data_dir / "reference.yaml").write_text(yaml.safe_dump(reference, sort_keys=False))
    result = load_report(data_dir)
    assert [(c.label, c.field) for c in result.conflicts] == [
        ("Global Compact objective gcm-6", "short_title")
    ]
    target.refresh_from_db()
    assert (target.title, target.short_title) == (
        "A new wording from the file",
        "Orderly migration",
    )
    assert result.updated["SDG target"] == 1


BAD_TAGS = [
    (
        {"gcm": [tag("gcm-1"), tag("gcm-2"), tag("gcm-3"), tag("gcm-4")]},
        "field 'gcm': at most 3 Global Compact objectives per entry, not 4",
    ),
    (
        {"gcm": [tag("gcm-24")]},
        "field 'gcm': tag #1 (line {tag1}): unknown Global Compact objective 'gcm-24'",
    ),
    (
        {"sdg": [tag("sdg-10-7"), {"key": "sdg-8-8"}]},
        "field 'sdg': tag #2 (line {tag2}): 'reason' is required for 'sdg-8-8'",
    ),
    ({"sdg": [tag("sdg-8-8", "  ")]}, "'reason' is required for 'sdg-8-8'"),
    ({"sdg": [tag("sdg-10-7"), tag("sdg-10-7")]}, "tag #2 (line {tag2}): lists 'sdg-10-7' twice"),
    ({"gcm": ["gcm-6"]}, "field 'gcm': tag #1 must be a mapping with key and reason"),
    ({"gcm": "gcm-6"}, "field 'gcm': must be a list of {{key, reason}} mappings"),
    ({"gcm": [{**tag("gcm-6"), "why": "x"}]}, "unknown field 'why' (allowed: key, reason)"),
    ({"gcm": [{"reason": "No key."}]}, "tag #1 (line {tag1}): 'key' is required"),
    ({"gcm": [tag("gcm-6", "Two\nlines.")]}, "the reason for 'gcm-6' must be one line"),
    ({"gcm": [tag("gcm-6", "x" * 301)]}, "301 characters long; at most 300"),
    ({"sdg": [tag("sdg-10-7", "Bell \x07.")]}, "the reason for 'sdg-10-7': "),
    ({"gcm": [tag("gcm-6")], "sgd": []}, "field 'sgd': unknown field"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_TAGS)
def test_bad_tags_name_the_entry_field_and_line_and_write_nothing(
    empty_database, data_dir, changes, message
):
    load_report(data_dir)
    before = snapshot()
    entries = read_entries(data_dir)
    bad = next(e for e in main_entries(entries) if e["code"].startswith("R3"))
    bad.update(changes)
    write_entries(data_dir, entries)
    lines = (data_dir / "catalogue.yaml").read_text(encoding="utf-8").splitlines()
    start = next(n for n, text in enumerate(lines, 1) if text == f"- code: {bad['code']}")
    field = next(f for f in ("gcm", "sdg") if f in changes)
    # yaml.safe_dump writes a field's list items as "  - ..." under "  gcm:".
    heading = next(
        n for n, text in enumerate(lines[start:], start) if text.startswith(f"  {field}:")
    )
    tag_lines = []
    for number, text in enumerate(lines[heading + 1 :], heading + 2):
        if not text.startswith(("  - ", "    ")):
            break
        if text.startswith("  - "):
            tag_lines.append(number)

    with pytest.raises(CatalogueError) as error:
        load_report(data_dir)
    text = str(error.value)
    expected = message.format(**{f"tag{i}": n for i, n in enumerate(tag_lines, 1)})
    assert expected in text
    assert f"catalogue.yaml, entry {bad['code']} (line {start})" in text
    assert snapshot() == before


def test_a_restatement_carries_no_tags(empty_database, data_dir):
    entries = read_entries(data_dir)
    restatement = next(e for e in entries if e.get("restates"))
    restatement["gcm"] = [tag("gcm-6")]
    write_entries(data_dir, entries)
    with pytest.raises(CatalogueError) as error:
        load_report(data_dir)
    assert f"entry {restatement['code']} (line " in str(error.value)
    assert (
        f"field 'gcm': a restatement is not tagged: tag its main entry {restatement['restates']}"
    ) in str(error.value)
    assert models.Recommendation.objects.count() == 0


BAD_REFERENCE = [
    (("gcm_objectives", 5, "key"), "gcm-7", "field 'key': must be 'gcm-6' for objective 6"),
    (("gcm_objectives", 5, "number"), 24, "field 'number': the Global Compact has objectives 1"),
    (("gcm_objectives", 4, "number"), 6, "duplicate Global Compact objective number '6'"),
    (("gcm_objectives", 0, "short_title"), "x" * 81, "at most 80 for menus"),
    (
        ("gcm_objectives", 0, "title"),
        None,
        "Global Compact objective 'gcm-1' (line {line}), field 'title': is required",
    ),
    (
        ("sdg_targets", 8, "code"),
        10.7,
        "field 'code': must be a target of resolution 70/1 in quotes, like \"10.7\" or "
        '"10.c", not 10.7',
    ),
    (("sdg_targets", 8, "key"), "sdg-10-8", "field 'key': must be 'sdg-10-7' for target 10.7"),
    (("sdg_targets", 8, "code"), "18.1", "field 'code': must be a target of resolution 70/1"),
    (("sdg_targets", 8, "goal"), 10, "field 'goal': unknown field"),
]


@pytest.mark.parametrize(("where", "value", "message"), BAD_REFERENCE)
def test_bad_objectives_and_targets_are_refused_with_their_line(
    empty_database, data_dir, where, value, message
):
    path = data_dir / "reference.yaml"
    reference = yaml.safe_load(path.read_text(encoding="utf-8"))
    section, index, name = where
    if value is None:
        del reference[section][index][name]
    else:
        reference[section][index][name] = value
    path.write_text(yaml.safe_dump(reference, sort_keys=False, width=200), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    heading = lines.index(f"{section}:")
    line = [n for n, text in enumerate(lines, 1) if n > heading and text.startswith("- ")][index]

    with pytest.raises(CatalogueError) as error:
        load_report(data_dir)
    assert message.format(line=line) in str(error.value)
    assert "reference.yaml" in str(error.value)
    assert models.GcmObjective.objects.count() == 0

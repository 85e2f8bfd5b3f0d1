"""Exports by Global Compact objective and SDG target: the sheet's key columns, the
summary tables in every format, reports grouped by objective or target, the filters in
words, the command, and a round trip through the import that changes nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hearings.models import GcmObjective, GcmTag, Recommendation, SdgTarget
from tests.imports.test_imports import check_file, export_bytes
from tests.reports import test_exports
from tests.reports.test_exports import docx_text, export, pdf_text, read_csv, read_xlsx
from tracker.models import FollowUpLine, Status
from tracker.reports import columns
from tracker.reports.groups import KINDS

pytestmark = pytest.mark.django_db
# The export tests' fixtures: a coordinator, logged in, and a known history on R38.1.
coordinator, client_for, history = (
    test_exports.coordinator, test_exports.client_for, test_exports.history
)  # fmt: skip


def keys_of(code):
    rec = Recommendation.objects.get(code=code)
    return (
        ", ".join(o.key for o in rec.gcm_objectives.order_by("number")),
        ", ".join(t.key for t in rec.sdg_targets.order_by("position")),
    )


def tag(code, number, reason="A reason."):
    rec = Recommendation.objects.get(code=code)
    return GcmTag.objects.get_or_create(
        recommendation=rec, objective=GcmObjective.objects.get(number=number),
        defaults={"reason": reason},
    )[0]  # fmt: skip


def test_the_sheet_carries_each_recommendations_objective_and_target_keys(
    loaded_report,
    client_for,
):
    tag("R30a", 10)  # two objectives, in their order: gcm-6, gcm-10
    rows = read_csv(export(client_for, format="csv", theme="labour"))
    keys = [columns.header_key(cell) for cell in rows[0]]
    assert keys[-2:] == ["gcm_objectives", "sdg_targets"]  # after every earlier column
    assert "Global Compact objectives [gcm_objectives]" in rows[0]
    by_code = {}
    for row in rows[1:]:
        cells = dict(zip(keys, row, strict=True))
        by_code[cells["recommendation"]] = (cells["gcm_objectives"], cells["sdg_targets"])
    assert by_code["R30a"] == keys_of("R30a")
    assert by_code["R30a"][0] == "gcm-6, gcm-10"
    assert all(by_code[code] == keys_of(code) for code in by_code)

    book = read_xlsx(export(client_for, format="xlsx", theme="labour"))
    sheet = book["Follow-up"]
    header = [columns.header_key(cell.value) for cell in sheet[1]]
    assert header == columns.COLUMN_KEYS
    gcm = header.index("gcm_objectives")
    cells = {row[1]: row[gcm] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["R30a"] == "gcm-6, gcm-10"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exporting_tagged_recommendations_then_importing_changes_nothing(
    loaded_report,
    coordinator,
    kind,
):
    codes = list(
        Recommendation.objects.main().filter(gcm_tags__isnull=False, sdg_tags__isnull=False)
        .values_list("code", flat=True).distinct()[:5]
    )  # fmt: skip
    lines = FollowUpLine.objects.filter(recommendation__code__in=codes)
    data = export_bytes(kind, codes)
    assert b"gcm-" in data or kind == "xlsx"
    check = check_file(coordinator, data, f"export.{kind}")
    assert (check.changes, check.errors, check.unchanged) == ([], [], lines.count())


def _summary_rows(book):
    return [[c for c in row if c is not None] for row in book["Summary"].values]


def test_the_excel_summary_counts_by_objective_and_by_target(history, client_for):
    book = read_xlsx(export(client_for, format="xlsx", theme="rights"))
    rows = _summary_rows(book)
    titles = [row[0] for row in rows if len(row) == 1]
    assert "Recommendations by Global Compact objective and status" in titles
    assert "Recommendations by SDG target and status" in titles
    rights = Recommendation.objects.main().filter(theme__key="rights")
    by_label = {row[0]: row for row in rows if row}
    seven = GcmObjective.objects.get(number=7)
    assert by_label[str(seven)][-1] == rights.filter(gcm_tags__objective=seven).count()
    none = rights.filter(gcm_tags=None).count()
    assert by_label["No Global Compact objective"][-1] == none
    pairs = GcmTag.objects.filter(recommendation__in=rights).count()
    all_rows = "All rows (a recommendation under two objectives counts under each)"
    assert by_label[all_rows][-1] == pairs + none
    # R38.1 (with a history) counts under its overall status today in its objectives' rows.
    r38 = Recommendation.objects.get(code="R38.1")
    column = 1 + list(Status).index(Status(r38.progress.status))
    assert r38.progress.status != Status.NO_INFORMATION
    for objective in r38.gcm_objectives.all():
        assert by_label[str(objective)][column] >= 1
    target_rows = [r for r in rows if r and r[0] == "No SDG target"]
    assert target_rows[0][-1] == rights.filter(sdg_tags=None).count()


def test_word_and_pdf_summaries_and_facts_show_the_frameworks(
    history,
    client_for,
    tmp_path,
):
    text = docx_text(export(client_for, format="docx", theme="rights"))
    assert "Recommendations by Global Compact objective and status" in text
    assert "Recommendations by SDG target and status" in text
    assert "No SDG target" in text
    r38 = Recommendation.objects.get(code="R38.1")
    labels = "; ".join(o.short_label for o in r38.gcm_objectives.order_by("number"))
    assert f"Global Compact objectives: {labels}" in text

    pdf = " ".join(pdf_text(export(client_for, format="pdf", theme="rights"), tmp_path).split())
    assert "Recommendations by Global Compact objective and status" in pdf
    assert "Recommendations by SDG target and status" in pdf
    assert "A recommendation under several is counted under each" in pdf


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_report_grouped_by_objective_lists_a_recommendation_under_each(
    history,
    client_for,
    tmp_path,
    fmt,
):
    tag("R38.1", 8, "Saving lives at sea.")
    response = export(client_for, format=fmt, theme="rights", grouping="gcm")
    assert response["Content-Disposition"].endswith(f'-rights-by-gcm.{fmt}"')
    text = docx_text(response) if fmt == "docx" else pdf_text(response, tmp_path)
    text = " ".join(text.split())
    eight = GcmObjective.objects.get(number=8)
    assert f"Objective 8: {eight.title}" in text
    rights = Recommendation.objects.main().filter(theme__key="rights")
    if rights.filter(gcm_tags=None).exists():
        assert "No Global Compact objective" in text
    r38 = Recommendation.objects.get(code="R38.1")
    heading = "R38.1 · " if fmt == "docx" else "R38.1 "
    assert text.count(heading + r38.title) == r38.gcm_objectives.count() >= 2


def test_a_report_grouped_by_target_has_a_section_per_target(history, client_for):
    text = docx_text(export(client_for, format="docx", theme="rights", grouping="sdg"))
    rights = Recommendation.objects.main().filter(theme__key="rights")
    for target in SdgTarget.objects.filter(tags__recommendation__in=rights).distinct():
        assert f"Target {target.code}: {target.title}" in text
    assert "grouped by SDG target" in text


def test_the_filters_in_words_and_in_the_file_name(loaded_report, client_for):
    response = export(client_for, format="docx", gcm=["gcm-6", "gcm-23"], sdg="sdg-8-8")
    assert response["Content-Disposition"].endswith('-gcm-6-gcm-23-sdg-8-8.docx"')
    text = docx_text(response)
    assert (
        "Global Compact objective: Objective 6: Fair recruitment and decent work, "
        "Objective 23: International cooperation"
    ) in text
    assert "SDG target: 8.8 Labour rights of all workers" in text
    wanted = Recommendation.objects.main().filter(
        gcm_objectives__key__in=["gcm-6", "gcm-23"], sdg_targets__key="sdg-8-8"
    )
    page = client_for.get("/export/", {"gcm": ["gcm-6", "gcm-23"], "sdg": "sdg-8-8"})
    assert page.context["count"] == wanted.distinct().count() > 0


def test_the_command_takes_objectives_targets_and_the_new_groupings(loaded_report, tmp_path):
    out = tmp_path / "gcm.csv"
    call_command("export_progress", "--format", "csv", "--gcm", "gcm-6,gcm-10", "-o", str(out))
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    codes = {row.split(",")[1] for row in rows[1:]}
    assert codes == set(
        Recommendation.objects.main().filter(gcm_objectives__key__in=["gcm-6", "gcm-10"])
        .values_list("code", flat=True)
    )  # fmt: skip
    report = tmp_path / "by-sdg.docx"
    call_command("export_progress", "--format", "docx", "--sdg", "sdg-10-7",
                 "--group-by", "sdg", "-o", str(report))  # fmt: skip
    assert report.stat().st_size > 0
    with pytest.raises(CommandError, match="--gcm: unknown gcm 'gcm-24'"):
        call_command("export_progress", "--gcm", "gcm-24", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="use theme, agenda, gcm, sdg or actor"):
        call_command("export_progress", "--group-by", "goal", "-o", str(tmp_path / "x.pdf"))


def test_every_kind_of_group_ends_with_its_none_row():
    assert [str(kind.none) for kind in KINDS.values()] == [
        "No agenda point", "No Global Compact objective", "No SDG target",
    ]  # fmt: skip

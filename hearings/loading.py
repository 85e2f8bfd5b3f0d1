"""Apply the report and its catalogue to the database, in one transaction.

Rules (see README, "Loading the report"):
- Everything is parsed and validated first; any error means nothing is written.
- Rows are matched by their stable key (chapter numeral, paragraph number, theme, agenda
  point and actor key, recommendation code) and changed in place, only where a value
  differs: an unchanged reload writes nothing at all.
- Catalogue fields are merged three ways, per field, using `source_values` (what the file
  last set): a field the file did not change keeps whatever the app holds; a field the
  file changed is applied unless it was also corrected in the app since, in which case
  the app's value is kept and the conflict reported (again at every reload until the two
  agree).
- An entry gone from the file is marked withdrawn, never deleted.
- Nothing recorded by staff is touched: the follow-up side reacts to the
  `catalogue_loaded` signal in the same transaction.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import models
from .catalogue import Catalogue, read_catalogue
from .relations import relations_apply, relations_create, tag_values
from .report_text import ParsedReport, read_report
from .signals import catalogue_loaded
from .structure import structure_apply
from .translation_files import read_translations, translations_apply

REPORT_FILE = "hearings-2013-summary.txt"


@dataclass(frozen=True)
class Conflict:
    """A field corrected in the app that the file now sets to something else."""

    label: str
    field: str
    app_value: object
    file_value: object

    def __str__(self):
        return (
            f"{self.label}: kept the value of '{self.field}' corrected in the app "
            f"({self.app_value!r}); the file now says {self.file_value!r}"
        )


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    created_codes: list[str] = field(default_factory=list)
    updated_codes: list[str] = field(default_factory=list)
    withdrawn_codes: list[str] = field(default_factory=list)
    restored_codes: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(
            any(self.created.values())
            or any(self.updated.values())
            or self.withdrawn_codes
            or self.restored_codes
        )

    def count(self, kind: str, what: dict[str, int]):
        what[kind] = what.get(kind, 0) + 1


class _Applier:
    def __init__(self, parsed: ParsedReport, catalogue: Catalogue, source_file: str):
        self.parsed = parsed
        self.catalogue = catalogue
        self.source_file = source_file
        self.result = LoadResult()

    def apply_structure(self):
        """The report's structure: comes from the text only, so it is kept equal to it."""
        self.report, self.chapters, self.paragraphs = structure_apply(
            self.parsed, self.catalogue.report, self.source_file, self.result
        )

    # Catalogue data: merged three ways with what was corrected in the app.

    def merge(self, obj, label: str, file_values: dict, app_values: dict) -> dict:
        """Return the fields to write; record conflicts; update obj.source_values in memory."""
        last = obj.source_values or {}
        source = dict(last)
        to_write = {}
        for name, file_value in file_values.items():
            if name in last and last[name] == file_value:
                continue  # the file did not change this field: the app's value stands
            app_value = app_values[name]
            if app_value == file_value:
                source[name] = file_value
            elif name not in last or app_value == last[name]:
                to_write[name] = file_value
                source[name] = file_value
            else:
                self.result.conflicts.append(Conflict(label, name, app_value, file_value))
        obj.source_values = source
        obj._source_changed = source != last
        return to_write

    def apply_themes(self):
        existing = {t.key: t for t in models.Theme.objects.select_related("chapter")}
        for data in self.catalogue.themes:
            file_values = {"number": data.number, "title": data.title, "chapter": data.chapter}
            theme = existing.get(data.key)
            if theme is None:
                existing[data.key] = models.Theme.objects.create(
                    key=data.key,
                    number=data.number,
                    title=data.title,
                    chapter=self.chapters.get(data.chapter),
                    source_values=file_values,
                )
                self.result.count("theme", self.result.created)
                continue
            app_values = {
                "number": theme.number,
                "title": theme.title,
                "chapter": theme.chapter.numeral if theme.chapter else None,
            }
            to_write = self.merge(theme, f"theme {data.key}", file_values, app_values)
            if "chapter" in to_write:
                to_write["chapter"] = self.chapters.get(to_write["chapter"])
            if self._save(theme, to_write):
                self.result.count("theme", self.result.updated)
        self.themes = existing

    def apply_agenda_points(self):
        existing = {p.key: p for p in models.AgendaPoint.objects.select_related("theme")}
        for data in self.catalogue.agenda_points:
            file_values = {"number": data.number, "title": data.title, "theme": data.theme}
            point = existing.get(data.key)
            if point is None:
                existing[data.key] = models.AgendaPoint.objects.create(
                    key=data.key,
                    number=data.number,
                    title=data.title,
                    theme=self.themes[data.theme],
                    source_values=file_values,
                )
                self.result.count("agenda point", self.result.created)
                continue
            app_values = {"number": point.number, "title": point.title, "theme": point.theme.key}
            to_write = self.merge(point, f"agenda point {data.key}", file_values, app_values)
            if "theme" in to_write:
                to_write["theme"] = self.themes[to_write["theme"]]
            if self._save(point, to_write):
                self.result.count("agenda point", self.result.updated)
        self.agenda_points = existing

    def apply_frameworks(self):
        """The Global Compact's objectives and the SDG targets, merged like agenda points."""
        kinds = [
            (models.GcmObjective, self.catalogue.gcm_objectives, "Global Compact objective",
             ["number", "title", "short_title"], "gcm_objectives"),
            (models.SdgTarget, self.catalogue.sdg_targets, "SDG target",
             ["code", "goal", "title", "short_title"], "sdg_targets"),
        ]  # fmt: skip
        for model, items, what, fields, lookup in kinds:
            existing = {row.key: row for row in model.objects.all()}
            for data in items:
                file_values = {name: getattr(data, name) for name in fields}
                row = existing.get(data.key)
                if row is None:
                    existing[data.key] = model.objects.create(
                        key=data.key, source_values=file_values, **file_values
                    )
                    self.result.count(what, self.result.created)
                    continue
                app_values = {name: getattr(row, name) for name in fields}
                to_write = self.merge(row, f"{what} {data.key}", file_values, app_values)
                if self._save(row, to_write):
                    self.result.count(what, self.result.updated)
            setattr(self, lookup, existing)

    def apply_actors(self):
        existing = {a.key: a for a in models.Actor.objects.prefetch_related("groups")}
        pending_groups = []
        new_actors = []
        for data in self.catalogue.actors:
            file_values = {
                "name": data.name,
                "short_name": data.short_name,
                "kind": data.kind,
                "groups": sorted(data.groups),
            }
            actor = existing.get(data.key)
            if actor is None:
                new_actors.append(
                    models.Actor(
                        key=data.key,
                        name=data.name,
                        short_name=data.short_name,
                        kind=data.kind,
                        source_values=file_values,
                    )
                )
                continue
            app_values = {
                "name": actor.name,
                "short_name": actor.short_name,
                "kind": actor.kind,
                "groups": sorted(g.key for g in actor.groups.all()),
            }
            to_write = self.merge(actor, f"actor {data.key}", file_values, app_values)
            groups = to_write.pop("groups", None)
            if groups is not None:
                pending_groups.append((actor, groups))
            if self._save(actor, to_write) or groups is not None:
                self.result.count("actor", self.result.updated)
        # New actors in one insert (227 on a first load, most of them Member States), then
        # groups once every actor exists (an actor may name a group listed later).
        models.Actor.objects.bulk_create(new_actors)
        for actor in models.Actor.objects.filter(key__in=[a.key for a in new_actors]):
            existing[actor.key] = actor
            self.result.count("actor", self.result.created)
        groups_by_key = {a.key: a.source_values["groups"] for a in new_actors}
        Membership = models.Actor.groups.through
        Membership.objects.bulk_create(
            Membership(from_actor=existing[key], to_actor=existing[group])
            for key, groups in groups_by_key.items()
            for group in groups
        )
        for actor, groups in pending_groups:
            actor.groups.set([existing[key] for key in groups])
        self.actors = existing

    def apply_recommendations(self):
        existing = {
            r.code: r
            for r in models.Recommendation.objects.select_related(
                "paragraph", "theme", "restates"
            ).prefetch_related(
                "addressee_links__actor",
                "mentioned_actors",
                "agenda_points",
                "gcm_tags__objective",
                "sdg_tags__target",
            )
        }
        in_file = set()
        relations = []
        new_entries = []
        for data in self.catalogue.recommendations:
            in_file.add(data.code)
            file_values = {
                "paragraph": data.paragraph,
                "item": data.item,
                "title": data.title,
                "text": data.text,
                "theme": data.theme,
                "position": data.position,
                "addressees": sorted(
                    [[key, False] for key in data.addressees]
                    + [[key, True] for key in data.inferred_addressees]
                ),
                "mentioned": sorted(data.mentioned),
                "agenda": sorted(data.agenda),
                "gcm": sorted([tag.key, tag.reason] for tag in data.gcm),
                "sdg": sorted([tag.key, tag.reason] for tag in data.sdg),
                "restates": data.restates,
            }
            rec = existing.get(data.code)
            if rec is None:
                rec = models.Recommendation.objects.create(
                    code=data.code,
                    paragraph=self.paragraphs[data.paragraph],
                    item=data.item,
                    title=data.title,
                    text=data.text,
                    theme=self.themes[data.theme],
                    position=data.position,
                    source_values=file_values,
                )
                existing[data.code] = rec
                new_entries.append((rec, file_values))
                self.result.count("recommendation", self.result.created)
                self.result.created_codes.append(rec.code)
                continue
            app_values = {
                "paragraph": rec.paragraph.number,
                "item": rec.item,
                "title": rec.title,
                "text": rec.text,
                "theme": rec.theme.key,
                "position": rec.position,
                "addressees": sorted(
                    [link.actor.key, link.inferred] for link in rec.addressee_links.all()
                ),
                "mentioned": sorted(a.key for a in rec.mentioned_actors.all()),
                "agenda": sorted(p.key for p in rec.agenda_points.all()),
                "gcm": tag_values(rec, "gcm"),
                "sdg": tag_values(rec, "sdg"),
                "restates": rec.restates.code if rec.restates else None,
            }
            to_write = self.merge(rec, f"recommendation {data.code}", file_values, app_values)
            if rec.withdrawn_at is not None:
                to_write["withdrawn_at"] = None
                self.result.restored_codes.append(rec.code)
            later = {
                k: to_write.pop(k)
                for k in ("addressees", "mentioned", "agenda", "gcm", "sdg", "restates")
                if k in to_write
            }
            if "paragraph" in to_write:
                to_write["paragraph"] = self.paragraphs[to_write["paragraph"]]
            if "theme" in to_write:
                to_write["theme"] = self.themes[to_write["theme"]]
            if later:
                relations.append((rec, later))
            if self._save(rec, to_write) or later:
                self.result.updated_codes.append(rec.code)
                self.result.count("recommendation", self.result.updated)

        self.recommendations = existing
        # Relations once every entry exists: a restatement may come before its main entry.
        relations_create(self, new_entries, existing)
        for rec, values in relations:
            relations_apply(self, rec, values, existing)

        now = timezone.now()
        for code, rec in existing.items():
            if code not in in_file and rec.withdrawn_at is None:
                rec.withdrawn_at = now
                rec.save(update_fields=["withdrawn_at", "updated_at"])
                self.result.withdrawn_codes.append(code)

    @staticmethod
    def _save(obj, to_write: dict) -> bool:
        """Write the merged fields (and source_values if it moved); True if a field changed."""
        update_fields = list(to_write)
        for name, value in to_write.items():
            setattr(obj, name, value)
        if obj._source_changed:
            update_fields.append("source_values")
        if not update_fields:
            return False
        if hasattr(obj, "updated_at"):
            update_fields.append("updated_at")
        obj.save(update_fields=update_fields)
        return bool(to_write)


def load_report(
    data_dir: Path | None = None, *, dry_run: bool = False, translations_dir: Path | None = None
) -> LoadResult:
    """Parse, validate and apply the report and its catalogue; all or nothing.

    Raises ReportFormatError or CatalogueError before any write when the input is wrong.
    With dry_run, everything is applied and then rolled back, so the result tells what a
    real load would change.
    """
    data_dir = Path(data_dir or settings.REPORT_DATA_DIR)
    parsed = read_report(data_dir / REPORT_FILE)
    catalogue = read_catalogue(data_dir, parsed)
    # The names in the other five languages (locale/content/): hearings/translation_files.py.
    translations = read_translations(
        translations_dir or settings.CONTENT_TRANSLATIONS_DIR, catalogue
    )
    applier = _Applier(parsed, catalogue, REPORT_FILE)
    with transaction.atomic():
        applier.apply_structure()
        applier.apply_themes()
        applier.apply_agenda_points()
        applier.apply_frameworks()
        applier.apply_actors()
        applier.apply_recommendations()
        translations_apply(applier, translations)
        result = applier.result
        result.counts = {
            "chapters": len(parsed.chapters),
            "sections": sum(len(c.sections) for c in parsed.chapters),
            "paragraphs": len(parsed.paragraphs),
            "themes": len(catalogue.themes),
            "agenda points": len(catalogue.agenda_points),
            "Global Compact objectives": len(catalogue.gcm_objectives),
            "SDG targets": len(catalogue.sdg_targets),
            "actors": len(catalogue.actors),
            "recommendations": len(catalogue.recommendations),
            "restatements": sum(1 for r in catalogue.recommendations if r.restates),
        }
        if result.changed:
            catalogue_loaded.send(sender=models.Recommendation, result=result)
        if dry_run:
            transaction.set_rollback(True)
    return result

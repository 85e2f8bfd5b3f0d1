"""A recommendation's relations as the loader writes them: addressees, actors mentioned,
agenda points, Global Compact and SDG tags, the entry it restates. New entries get theirs
in one insert per table (the first load is the baseline); an existing entry's are changed
row by row, so that the audit log records each change."""

from . import models

# The catalogue's tag fields: (tag model, its link to the objective or target, lookup
# of the applier holding those by key).
TAGS = {
    "gcm": (models.GcmTag, "objective", "gcm_objectives"),
    "sdg": (models.SdgTag, "target", "sdg_targets"),
}


def tag_values(rec, field: str) -> list[list[str]]:
    """The entry's tags as the file writes them: sorted [key, reason] pairs (the
    recommendation's gcm_tags / sdg_tags prefetched with their objective or target)."""
    _model, link, _lookup = TAGS[field]
    tags = rec.gcm_tags.all() if field == "gcm" else rec.sdg_tags.all()
    return sorted([getattr(tag, link).key, tag.reason] for tag in tags)


def relations_create(applier, new_entries, existing) -> None:
    """Relations of new entries, one insert per table."""
    Recommendation = models.Recommendation
    models.Addressee.objects.bulk_create(
        models.Addressee(recommendation=rec, actor=applier.actors[key], inferred=inferred)
        for rec, values in new_entries
        for key, inferred in values["addressees"]
    )
    Recommendation.mentioned_actors.through.objects.bulk_create(
        Recommendation.mentioned_actors.through(recommendation=rec, actor=applier.actors[key])
        for rec, values in new_entries
        for key in values["mentioned"]
    )
    Recommendation.agenda_points.through.objects.bulk_create(
        Recommendation.agenda_points.through(
            recommendation=rec, agendapoint=applier.agenda_points[key]
        )
        for rec, values in new_entries
        for key in values["agenda"]
    )
    for field, (model, link, lookup) in TAGS.items():
        model.objects.bulk_create(
            model(recommendation=rec, reason=reason, **{link: getattr(applier, lookup)[key]})
            for rec, values in new_entries
            for key, reason in values[field]
        )
    restating = []
    for rec, values in new_entries:
        if values["restates"]:
            rec.restates = existing[values["restates"]]
            restating.append(rec)
    Recommendation.objects.bulk_update(restating, ["restates"])


def relations_apply(applier, rec, values, existing) -> None:
    """The merged relations of an existing entry (only the fields in `values`)."""
    if "addressees" in values:
        wanted = dict(values["addressees"])
        links = {link.actor.key: link for link in rec.addressee_links.all()}
        for key, link in links.items():
            if key not in wanted:
                link.delete()
            elif link.inferred != wanted[key]:
                link.inferred = wanted[key]
                link.save(update_fields=["inferred"])
        models.Addressee.objects.bulk_create(
            models.Addressee(recommendation=rec, actor=applier.actors[key], inferred=inferred)
            for key, inferred in wanted.items()
            if key not in links
        )
    if "mentioned" in values:
        rec.mentioned_actors.set([applier.actors[key] for key in values["mentioned"]])
    if "agenda" in values:
        rec.agenda_points.set([applier.agenda_points[key] for key in values["agenda"]])
    for field in TAGS:
        if field in values:
            _tags_apply(applier, rec, field, dict(values[field]))
    if "restates" in values:
        main = existing[values["restates"]] if values["restates"] else None
        if rec.restates_id != (main.pk if main else None):
            rec.restates = main
            rec.save(update_fields=["restates", "updated_at"])


def _tags_apply(applier, rec, field: str, wanted: dict[str, str]) -> None:
    """Make the entry's tags of one framework these {key: reason}."""
    model, link, lookup = TAGS[field]
    tags = rec.gcm_tags.all() if field == "gcm" else rec.sdg_tags.all()
    held = {getattr(tag, link).key: tag for tag in tags}
    for key, tag in held.items():
        if key not in wanted:
            tag.delete()
        elif tag.reason != wanted[key]:
            tag.reason = wanted[key]
            tag.save(update_fields=["reason"])
    for key, reason in wanted.items():
        if key not in held:
            model.objects.create(
                recommendation=rec, reason=reason, **{link: getattr(applier, lookup)[key]}
            )

"""What the API answers about the report and its catalogue: the same names and codes as
the catalogue (chapter numerals, paragraph numbers, recommendation codes, actor, theme,
agenda point, objective and target keys). Follow-up (lines, updates, roll-ups) is in
follow_up_serializers.py."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.links import absolute_url
from tracker.models import Status


def api_url(name: str, *args) -> str:
    return absolute_url(reverse(name, args=args))


class _StatusCountsBase(serializers.Serializer):
    def to_representation(self, instance):
        return {status: instance.get(status, 0) for status in Status.values}


# Lines (or recommendations) per status: every status of the vocabulary, zeros too. Made
# with type() because the statuses' keys ("no-information") are no Python names.
StatusCounts = type(
    "StatusCounts",
    (_StatusCountsBase,),
    {status: serializers.IntegerField(min_value=0) for status in Status.values},
)


class SectionSerializer(serializers.Serializer):
    letter = serializers.CharField()
    title = serializers.CharField()


class ChapterSerializer(serializers.Serializer):
    numeral = serializers.CharField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    sections = SectionSerializer(many=True, source="sections.all")
    paragraphs = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_paragraphs(self, chapter):
        return [p.number for p in chapter.paragraphs.all()]

    def get_url(self, chapter) -> str:
        return api_url("api-chapter", chapter.numeral)


class ParagraphSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    chapter = serializers.CharField(source="chapter.numeral")
    section = serializers.CharField(source="section.letter", allow_null=True, default=None)
    text = serializers.CharField()
    recommendations = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_recommendations(self, paragraph):
        return [rec.code for rec in paragraph.recommendations.all()]

    def get_url(self, paragraph) -> str:
        return api_url("api-paragraph", paragraph.number)


class ThemeSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    chapter = serializers.CharField(source="chapter.numeral", allow_null=True, default=None)
    url = serializers.SerializerMethodField()

    def get_url(self, theme) -> str:
        return api_url("api-theme", theme.key)


class AgendaPointSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    theme = serializers.CharField(source="theme.key")
    url = serializers.SerializerMethodField()

    def get_url(self, point) -> str:
        return api_url("api-agenda-point", point.key)


class GcmObjectiveSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    short_title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, objective) -> str:
        return api_url("api-gcm-objective", objective.key)


class SdgTargetSerializer(serializers.Serializer):
    key = serializers.CharField()
    code = serializers.CharField()
    goal = serializers.IntegerField()
    title = serializers.CharField()
    short_title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, target) -> str:
        return api_url("api-sdg-target", target.key)


class ActorSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    groups = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_groups(self, actor):
        return sorted(group.key for group in actor.groups.all())

    def get_url(self, actor) -> str:
        return api_url("api-actor", actor.key)


class ActorDetailSerializer(ActorSerializer):
    members = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_members(self, actor):
        return sorted(member.key for member in actor.members.all())


class AddresseeSerializer(serializers.Serializer):
    actor = serializers.CharField(source="actor.key")
    name = serializers.CharField(source="actor.name")
    inferred = serializers.BooleanField()


class GcmTagSerializer(serializers.Serializer):
    key = serializers.CharField(source="objective.key")
    number = serializers.IntegerField(source="objective.number")
    reason = serializers.CharField()


class SdgTagSerializer(serializers.Serializer):
    key = serializers.CharField(source="target.key")
    code = serializers.CharField(source="target.code")
    reason = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    """`status` and `line_counts` are the overall status rolled up from the lines (a
    restatement's are its main entry's), as of `as_of` when the request gives one."""

    code = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    kind = serializers.SerializerMethodField()
    paragraph = serializers.IntegerField(source="paragraph.number")
    chapter = serializers.CharField(source="paragraph.chapter.numeral")
    item = serializers.CharField()
    theme = serializers.CharField(source="theme.key")
    agenda_points = serializers.SerializerMethodField()
    gcm_objectives = GcmTagSerializer(many=True, source="gcm_tags.all")
    sdg_targets = SdgTagSerializer(many=True, source="sdg_tags.all")
    addressees = AddresseeSerializer(many=True, source="addressee_links.all")
    mentioned_actors = serializers.SerializerMethodField()
    restates = serializers.CharField(source="restates.code", allow_null=True, default=None)
    restatements = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    line_counts = serializers.SerializerMethodField()
    as_of = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    lines_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_as_of(self, rec):
        as_of = self.context.get("as_of")
        return as_of.isoformat() if as_of else None

    def get_kind(self, rec) -> str:
        return "restatement" if rec.restates_id else "main"

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_agenda_points(self, rec):
        return [point.key for point in sorted(rec.agenda_points.all(), key=lambda p: p.number)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_mentioned_actors(self, rec):
        return sorted(actor.key for actor in rec.mentioned_actors.all())

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_restatements(self, rec):
        return [r.code for r in sorted(rec.restatements.all(), key=lambda r: r.position)]

    def _progress(self, rec):
        found = self.context["progress"].get(rec.restates_id or rec.pk)
        return found or (Status.NO_INFORMATION, {})

    @extend_schema_field(serializers.ChoiceField(choices=Status.choices))
    def get_status(self, rec):
        return str(self._progress(rec)[0])

    @extend_schema_field(StatusCounts)
    def get_line_counts(self, rec):
        return StatusCounts(self._progress(rec)[1]).data

    def get_url(self, rec) -> str:
        return api_url("api-recommendation", rec.code)

    @extend_schema_field(OpenApiTypes.URI)
    def get_lines_url(self, rec):
        return absolute_url(reverse("api-lines") + f"?recommendation={rec.code}")

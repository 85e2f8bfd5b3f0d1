"""What the API answers about the follow-up (lines, status updates, roll-ups), and what it
takes to record a status update. Fields an anonymous caller may not read are there and
null: who recorded, when, target dates unless a coordinator published them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from hearings.text import normalise_line_breaks, validate_safe_text
from tracker.inputs import (
    MAX_EVIDENCE_LINKS,
    MAX_NOTE_LENGTH,
    EvidenceLinksField,
    check_follow_up_date,
)
from tracker.links import absolute_url
from tracker.models import Status
from tracker.permissions import can_record_on

from .selectors import overdue
from .serializers import StatusCounts, api_url


class LineSerializer(serializers.Serializer):
    """A follow-up line: one actor's follow-up of one main recommendation. `status`,
    `status_since` and `current_update` are as of `as_of` when the request gives one;
    `version` is what a status update must send back (stale-write detection). Null for
    anonymous callers: `version`, `current_update`, `last_recorded_at`, and `target_date`
    and `overdue` unless target dates are public."""

    id = serializers.IntegerField()
    recommendation = serializers.CharField(source="recommendation.code")
    actor = serializers.CharField(source="actor.key")
    actor_name = serializers.CharField(source="actor.name")
    addressed = serializers.BooleanField()
    added_by_coordinator = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    status_since = serializers.SerializerMethodField()
    current_update = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    followed_since = serializers.DateField()
    target_date = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    last_recorded_at = serializers.SerializerMethodField()
    can_record = serializers.SerializerMethodField()
    as_of = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    updates_url = serializers.SerializerMethodField()

    def _as_of(self) -> bool:
        return self.context.get("as_of") is not None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_as_of(self, line):
        as_of = self.context.get("as_of")
        return as_of.isoformat() if as_of else None

    def get_added_by_coordinator(self, line) -> bool:
        return line.added_by_id is not None

    @extend_schema_field(serializers.ChoiceField(choices=Status.choices))
    def get_status(self, line):
        return line.asof_status if self._as_of() else line.status

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_status_since(self, line):
        since = line.asof_since if self._as_of() else line.status_since
        return since.isoformat() if since else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_current_update(self, line):
        if self.context["caller"].public:
            return None  # its id says nothing public; its note may be private
        return line.asof_update_id if self._as_of() else line.current_update_id

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_version(self, line):
        # The count of updates, published or not: for writing, so staff only.
        return None if self.context["caller"].public else line.update_count

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_target_date(self, line):
        caller = self.context["caller"]
        return line.target_date.isoformat() if caller.target_dates and line.target_date else None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_overdue(self, line):
        return overdue(line, self.context["caller"])

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_last_recorded_at(self, line):
        if self.context["caller"].public or line.last_recorded_at is None:
            return None
        return serializers.DateTimeField().to_representation(line.last_recorded_at)

    def get_can_record(self, line) -> bool:
        caller = self.context["caller"]
        return not caller.public and can_record_on(caller.user, line)

    def get_url(self, line) -> str:
        return api_url("api-line", line.pk)

    def get_updates_url(self, line) -> str:
        return api_url("api-line-updates", line.pk)


class RecorderSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")


class EvidenceFileSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    type = serializers.CharField(source="kind")
    scan = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, evidence_file):
        if self.context["caller"].public:
            return None
        return absolute_url(reverse("evidence-download", args=[evidence_file.key]))


class UpdateSerializer(serializers.Serializer):
    """One entry of a line's append-only history. Anonymous callers read published
    updates only, without who recorded them or when."""

    id = serializers.IntegerField()
    line = serializers.IntegerField(source="line_id")
    recommendation = serializers.CharField(source="line.recommendation.code")
    actor = serializers.CharField(source="line.actor.key")
    status = serializers.ChoiceField(choices=Status.choices)
    effective_date = serializers.DateField()
    note = serializers.CharField()
    evidence_links = serializers.ListField(child=serializers.URLField())
    evidence_files = EvidenceFileSerializer(many=True, source="evidence_files.all")
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)
    published = serializers.SerializerMethodField()
    published_at = serializers.SerializerMethodField()
    recorded_at = serializers.SerializerMethodField()
    recorded_by = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def _publication(self, update):
        return getattr(update, "publication", None)

    def get_published(self, update) -> bool:
        return self._publication(update) is not None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_published_at(self, update):
        publication = self._publication(update)
        if publication is None:
            return None
        return serializers.DateTimeField().to_representation(publication.published_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_recorded_at(self, update):
        if self.context["caller"].public:
            return None
        return serializers.DateTimeField().to_representation(update.recorded_at)

    @extend_schema_field(RecorderSerializer(allow_null=True))
    def get_recorded_by(self, update):
        if self.context["caller"].public:
            return None
        return RecorderSerializer(update.recorded_by).data

    def get_url(self, update) -> str:
        return api_url("api-update", update.pk)


class SafeTextField(serializers.CharField):
    """Text under hearings.text's rule, as the forms' SafeCharField: line breaks
    normalised, then any character the rule refuses named (DRF's own NUL and surrogate
    checks give way to it, so the message is the form's)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        drf_own = (ProhibitNullCharactersValidator, ProhibitSurrogateCharactersValidator)
        self.validators = [
            *(v for v in self.validators if not isinstance(v, drf_own)),
            validate_safe_text,
        ]

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = normalise_line_breaks(data)
        return super().to_internal_value(data)


def _django_errors(check, value):
    try:
        check(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(list(exc.messages)) from exc
    return value


class UpdateWriteSerializer(serializers.Serializer):
    """A status update to record, checked by the update form's rules (tracker.inputs,
    hearings.text): the same messages as on the page."""

    status = serializers.ChoiceField(choices=Status.choices)
    note = SafeTextField(
        max_length=MAX_NOTE_LENGTH,
        trim_whitespace=True,
        error_messages={"blank": _("Write a note."), "required": _("Write a note.")},
    )
    effective_date = serializers.DateField(input_formats=["iso-8601"])
    evidence_links = serializers.ListField(
        child=SafeTextField(max_length=2000, trim_whitespace=True),
        max_length=MAX_EVIDENCE_LINKS,
        default=list,
    )
    version = serializers.IntegerField(
        min_value=0, help_text=_("The line's `version` when you read it.")
    )
    corrects = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("The id of an earlier update of this line, which this one corrects."),
    )
    publish = serializers.BooleanField(
        default=False,
        help_text=_("Publish the note and its evidence on the public site (while it is on)."),
    )

    def validate_evidence_links(self, value):
        links = [link for link in value if link]
        return _django_errors(EvidenceLinksField(required=False).run_validators, links)

    def validate_effective_date(self, value):
        return _django_errors(check_follow_up_date, value)

    def validate_corrects(self, value):
        if value is None:
            return None
        found = self.context["line"].updates.filter(pk=value).first()
        if found is None:
            raise serializers.ValidationError(_("Not an update of this line."))
        return found


class StaleLineSerializer(serializers.Serializer):
    """The body of a 409: the problem, the line's version now, and what was recorded
    since the version sent."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    current_version = serializers.IntegerField()
    newer_updates = UpdateSerializer(many=True)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    total = serializers.IntegerField()
    by_status = StatusCounts()


class TotalSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = StatusCounts()


class RollupSerializer(serializers.Serializer):
    """Main recommendations per overall status (in total, by theme, agenda point, GCM
    objective and SDG target; a recommendation counts under each of its points, objectives
    and targets) and the lines that count per status."""

    as_of = serializers.DateField(allow_null=True)
    recommendations = TotalSerializer()
    lines = TotalSerializer()
    themes = FigureSerializer(many=True)
    agenda_points = FigureSerializer(many=True)
    gcm_objectives = FigureSerializer(many=True)
    sdg_targets = FigureSerializer(many=True)

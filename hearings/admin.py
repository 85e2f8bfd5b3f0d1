"""Admin pages for the report as data: structure read-only, catalogue correctable."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .catalogue import MAX_AGENDA_POINTS
from .framework_files import MAX_TAGS
from .models import (
    Actor,
    Addressee,
    AgendaPoint,
    Chapter,
    GcmObjective,
    GcmTag,
    Paragraph,
    Recommendation,
    Report,
    SdgTag,
    SdgTarget,
    Section,
    Theme,
)
from .text import ADMIN_TEXT_OVERRIDES
from .translation import other_columns


class CatalogueAdmin(admin.ModelAdmin):
    """Catalogue data a coordinator corrects: every text field under hearings.text's rule."""

    formfield_overrides = {
        models.CharField: ADMIN_TEXT_OVERRIDES,
        models.TextField: ADMIN_TEXT_OVERRIDES,
    }


class ReadOnlyAdmin(admin.ModelAdmin):
    """The report's structure comes from its text: `manage.py load_report` alone writes it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "hearing_date", "dialogue_start", "dialogue_end", "checksum"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["letter", "title"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Chapter)
class ChapterAdmin(ReadOnlyAdmin):
    list_display = ["numeral", "title", "paragraph_count"]
    search_fields = ["title"]
    inlines = [SectionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paragraph_count=Count("paragraphs"))

    @admin.display(description=_("paragraphs"), ordering="paragraph_count")
    def paragraph_count(self, obj):
        return obj.paragraph_count


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "chapter"]
    list_filter = ["chapter"]
    list_select_related = ["chapter"]
    search_fields = ["title"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    fields = ["code", "title", "theme", "restates"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Paragraph)
class ParagraphAdmin(ReadOnlyAdmin):
    list_display = ["number", "chapter", "section", "excerpt", "recommendation_count"]
    list_filter = ["chapter", "section"]
    list_select_related = ["chapter", "section__chapter"]
    search_fields = ["=number", "text"]
    inlines = [RecommendationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recommendation_count=Count("recommendations"))

    @admin.display(description=_("text"))
    def excerpt(self, obj):
        return obj.text[:120] + ("…" if len(obj.text) > 120 else "")

    @admin.display(description=_("recommendations"), ordering="recommendation_count")
    def recommendation_count(self, obj):
        return obj.recommendation_count


@admin.register(Theme)
class ThemeAdmin(CatalogueAdmin):
    list_display = ["number", "key", "title", "chapter"]
    list_select_related = ["chapter"]
    search_fields = ["key", "title"]
    readonly_fields = ["key"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgendaPoint)
class AgendaPointAdmin(CatalogueAdmin):
    list_display = ["number", "key", "title", "theme"]
    list_filter = ["theme"]
    list_select_related = ["theme"]
    search_fields = ["key", "title"]
    readonly_fields = ["key"]

    def has_delete_permission(self, request, obj=None):
        return False


class FrameworkAdmin(CatalogueAdmin):
    """The Global Compact's objectives and the SDG targets: their wording and short titles
    are correctable; the list itself comes from reference.yaml."""

    search_fields = ["key", "title", "short_title"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GcmObjective)
class GcmObjectiveAdmin(FrameworkAdmin):
    list_display = ["number", "short_title", "title"]
    list_display_links = ["number", "short_title"]
    readonly_fields = ["key", "number"]
    fields = ["key", "number", "title", "short_title", *other_columns("title", "short_title")]


@admin.register(SdgTarget)
class SdgTargetAdmin(FrameworkAdmin):
    list_display = ["code", "short_title", "title"]
    list_display_links = ["code", "short_title"]
    readonly_fields = ["key", "code", "goal"]
    fields = ["key", "code", "goal", "title", "short_title"]
    fields += other_columns("title", "short_title")


@admin.register(Actor)
class ActorAdmin(CatalogueAdmin):
    list_display = ["name", "short_name", "key", "kind"]
    list_filter = ["kind", ("groups", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "key", *other_columns("name")]
    autocomplete_fields = ["groups"]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj else []


class AddresseeInline(admin.TabularInline):
    model = Addressee
    fields = ["actor", "inferred"]
    autocomplete_fields = ["actor"]
    extra = 0
    min_num = 1


class TagForm(forms.ModelForm):
    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if "\n" in reason:
            raise forms.ValidationError(_("One line: the reason cannot hold a line break."))
        return reason


class TagFormSet(forms.BaseInlineFormSet):
    """At most MAX_TAGS of each framework, and none on a restatement (it follows its main
    recommendation), as the catalogue file's own rules."""

    def clean(self):
        super().clean()
        # Blank extra forms clean to {}; forms ticked for deletion go.
        kept = [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        if kept and self.instance.restates_id:
            raise forms.ValidationError(
                _("A restatement is not tagged: tag the main recommendation it restates.")
            )
        if len(kept) > MAX_TAGS:
            raise forms.ValidationError(
                _("At most %(n)s per recommendation, only where the fit is real.") % {"n": MAX_TAGS}
            )


class TagInline(admin.TabularInline):
    form = TagForm
    formset = TagFormSet
    formfield_overrides = CatalogueAdmin.formfield_overrides
    extra = 0


class GcmTagInline(TagInline):
    model = GcmTag
    fields = ["objective", "reason"]


class SdgTagInline(TagInline):
    model = SdgTag
    fields = ["target", "reason"]


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = [
            "paragraph",
            "item",
            "title",
            "text",
            "theme",
            "agenda_points",
            "restates",
            "mentioned_actors",
            "position",
            *other_columns("title"),
        ]

    def clean_agenda_points(self):
        points = self.cleaned_data["agenda_points"]
        if len(points) > MAX_AGENDA_POINTS:
            raise forms.ValidationError(
                _("At most %(n)s action agenda points per recommendation.")
                % {"n": MAX_AGENDA_POINTS}
            )
        return points


class WithdrawnFilter(admin.SimpleListFilter):
    title = _("in the catalogue")
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return [("no", _("Current")), ("yes", _("Withdrawn"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(withdrawn_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset


class RestatementFilter(admin.SimpleListFilter):
    title = _("kind of entry")
    parameter_name = "restatement"

    def lookups(self, request, model_admin):
        return [("no", _("Main recommendation")), ("yes", _("Restatement"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(restates__isnull=True)
        if self.value() == "yes":
            return queryset.filter(restates__isnull=False)
        return queryset


@admin.register(Recommendation)
class RecommendationAdmin(CatalogueAdmin):
    form = RecommendationForm
    list_display = ["code", "title", "paragraph_number", "theme", "restates", "withdrawn_at"]
    list_display_links = ["code", "title"]
    list_filter = [
        "theme",
        "agenda_points",
        "addressees",  # every actor: "only those addressed" is a DISTINCT over every link
        "paragraph__chapter",
        RestatementFilter,
        WithdrawnFilter,
    ]
    list_select_related = ["paragraph", "theme", "restates"]
    show_full_result_count = False  # one count per page, not two, at any size
    search_fields = ["code", "title", "text"]
    autocomplete_fields = ["restates", "mentioned_actors"]
    filter_horizontal = ["agenda_points"]
    readonly_fields = ["code", "paragraph_text", "withdrawn_at", "created_at", "updated_at"]
    inlines = [AddresseeInline, GcmTagInline, SdgTagInline]
    fieldsets = [
        (None, {"fields": ["code", "paragraph", "item", "title", "text", "paragraph_text"]}),
        (_("Title in the other languages"), {"fields": other_columns("title")}),
        (_("Classification"), {"fields": ["theme", "agenda_points", "restates"]}),
        (_("Actors mentioned only"), {"fields": ["mentioned_actors"]}),
        (_("Record"), {"fields": ["position", "withdrawn_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("¶"), ordering="paragraph__number")
    def paragraph_number(self, obj):
        return obj.paragraph.number

    @admin.display(description=_("source paragraph, as in the report"))
    def paragraph_text(self, obj):
        return f"{obj.paragraph.number}. {obj.paragraph.text}"

    def has_delete_permission(self, request, obj=None):
        # Entries are withdrawn, never deleted: follow-up history hangs on them.
        return False

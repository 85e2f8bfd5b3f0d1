"""The report as data: its structure (chapters, sections, paragraphs) and its catalogue.

Structure comes from the report text and is not edited in the app. Catalogue data
(themes, agenda points, actors, recommendations) comes from the reviewable files in
hearings/data/ and may be corrected by a coordinator; `source_values` keeps what the
file last set, so a reload can tell a correction made in the app from a change in the
file (see hearings/loading.py).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The Global Compact's objectives and the SDG targets, with their tags: a module of their
# own, imported here so that Django registers them with the other catalogue models.
from .frameworks import GcmObjective, GcmTag, SdgTag, SdgTarget
from .sourced import SourcedFromFile
from .translation import sort_indexes, translatable


@translatable("title", "mandate")
class Report(models.Model):
    title = models.CharField(_("title"), max_length=500)
    symbol = models.CharField(_("document symbol"), max_length=50, blank=True)
    hearing_date = models.DateField(_("date of the hearings"))
    dialogue_start = models.DateField(_("High-level Dialogue opens"))
    dialogue_end = models.DateField(_("High-level Dialogue closes"))
    mandate = models.CharField(_("mandate"), max_length=200, blank=True)
    source_file = models.CharField(_("source file"), max_length=200, unique=True)
    checksum = models.CharField(_("SHA-256 of the source file"), max_length=64)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(dialogue_end__gte=F("dialogue_start")),
                name="hearings_report_dialogue_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.local_title


class Chapter(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="chapters")
    numeral = models.CharField(_("roman numeral"), max_length=8)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "numeral"], name="hearings_chapter_unique_numeral"
            ),
            models.UniqueConstraint(
                fields=["report", "order"], name="hearings_chapter_unique_order"
            ),
        ]

    def __str__(self):
        return f"{self.numeral}. {self.title}"


class Section(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="sections")
    letter = models.CharField(_("letter"), max_length=1)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["chapter__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "letter"], name="hearings_section_unique_letter"
            ),
            models.CheckConstraint(
                condition=Q(letter__regex=r"^[A-Z]$"), name="hearings_section_letter_is_capital"
            ),
        ]

    def __str__(self):
        return f"{self.chapter.numeral}.{self.letter}. {self.title}"


class Paragraph(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveSmallIntegerField(_("number"))
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="paragraphs")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="paragraphs", null=True, blank=True
    )
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="hearings_paragraph_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="hearings_paragraph_number_positive"
            ),
        ]

    def __str__(self):
        return _("Paragraph %(number)s") % {"number": self.number}


@translatable("title")
class Theme(SourcedFromFile):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.PROTECT,
        related_name="themes",
        null=True,
        blank=True,
        help_text=_("The report chapter the theme comes from."),
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["number"]

    def __str__(self):
        return self.local_title


@translatable("title")
class AgendaPoint(SourcedFromFile):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="agenda_points")

    class Meta:
        verbose_name = _("action agenda point")
        verbose_name_plural = _("action agenda points")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.local_title}"


class ActorKind(models.TextChoices):
    MEMBER_STATE = "member-state", _("Member State")
    UN_ENTITY = "un-entity", _("United Nations entity")
    INTERGOVERNMENTAL_FORUM = "intergovernmental-forum", _("Intergovernmental forum")
    CIVIL_SOCIETY = "civil-society", _("Civil society")
    PRIVATE_SECTOR = "private-sector", _("Private sector")
    LOCAL_AUTHORITY = "local-authority", _("Local authority")
    GROUP = "group", _("Group of actors")
    OTHER = "other", _("Other")


@translatable("name", "short_name")
class Actor(SourcedFromFile):
    Kind = ActorKind

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    groups = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="members",
        blank=True,
        verbose_name=_("member of"),
        help_text=_("Groups this actor belongs to, e.g. ILO in the Global Migration Group."),
    )

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActorKind.values),
                name="hearings_actor_kind_valid",
            ),
        ]

    def __str__(self):
        # The one name shown everywhere (in the active language): pages, pickers, the admin.
        return self.local_name


class RecommendationQuerySet(models.QuerySet):
    def current(self):
        """Recommendations still in the catalogue (not withdrawn)."""
        return self.filter(withdrawn_at__isnull=True)

    def main(self):
        """Recommendations followed up on their own: current and not restatements."""
        return self.current().filter(restates__isnull=True)


@translatable("title")
class Recommendation(SourcedFromFile):
    code = models.CharField(
        _("reference code"),
        max_length=20,
        unique=True,
        help_text=_(
            "Stable code, never renumbered: R30a for the report's item (a) of "
            "paragraph 30, R30.2 for the second ask in paragraph 30."
        ),
    )
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("source paragraph"),
    )
    item = models.CharField(
        _("sub-item letter"),
        max_length=1,
        blank=True,
        help_text=_("The report's own letter, where the paragraph lists (a)-(d)."),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("verbatim text"), help_text=_("Exactly as in the report."))
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("theme")
    )
    addressees = models.ManyToManyField(
        Actor,
        through="Addressee",
        related_name="addressed_recommendations",
        verbose_name=_("addressed actors"),
    )
    mentioned_actors = models.ManyToManyField(
        Actor,
        related_name="mentioned_in",
        blank=True,
        verbose_name=_("actors mentioned only"),
    )
    agenda_points = models.ManyToManyField(
        AgendaPoint,
        related_name="recommendations",
        blank=True,
        verbose_name=_("action agenda points"),
    )
    gcm_objectives = models.ManyToManyField(
        GcmObjective,
        through=GcmTag,
        related_name="recommendations",
        blank=True,
        verbose_name=_("Global Compact objectives"),
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget,
        through=SdgTag,
        related_name="recommendations",
        blank=True,
        verbose_name=_("SDG targets"),
    )
    restates = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="restatements",
        null=True,
        blank=True,
        verbose_name=_("restates"),
        help_text=_(
            "The main recommendation this entry restates (key findings, opening, "
            "conclusion). Restatements are not followed up on their own."
        ),
    )
    # Report order: the paragraph number times 1000 plus the entry's place in the file.
    position = models.PositiveIntegerField(_("position"), db_index=True)
    withdrawn_at = models.DateTimeField(
        _("withdrawn"),
        null=True,
        blank=True,
        help_text=_("Set when the entry left the catalogue file. Entries are never deleted."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(restates=F("pk")), name="hearings_recommendation_not_own_restatement"
            ),
            models.CheckConstraint(
                condition=Q(item="") | Q(item__regex=r"^[a-z]$"),
                name="hearings_recommendation_item_is_letter",
            ),
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(text=""),
                name="hearings_recommendation_title_and_text_required",
            ),
            models.UniqueConstraint(
                fields=["paragraph", "item"],
                condition=~Q(item=""),
                name="hearings_recommendation_unique_item_per_paragraph",
            ),
        ]
        indexes = [
            # The list sorted by title, either way, read in index order whatever the size
            # (the id breaks ties and carries the keyset pages of tracker.paging).
            models.Index(fields=["title", "id"], name="hearings_rec_title_id"),
            *sort_indexes("title", "hearings_rec_title"),  # in each other language
            models.Index(fields=["position", "id"], name="hearings_rec_position_id"),
        ]

    def __str__(self):
        return f"{self.code} {self.local_title}"

    def get_absolute_url(self):
        return reverse("admin:hearings_recommendation_change", args=[self.pk])

    @property
    def is_restatement(self):
        return self.restates_id is not None

    def clean(self):
        errors = {}
        if self.paragraph_id and self.text and self.text not in self.paragraph.text:
            errors["text"] = _("The text must occur verbatim in paragraph %(number)s.") % {
                "number": self.paragraph.number
            }
        if self.restates_id:
            if self.restates_id == self.pk:
                errors["restates"] = _("A recommendation cannot restate itself.")
            elif self.restates.restates_id:
                errors["restates"] = _(
                    "%(code)s is itself a restatement; choose the main recommendation it restates."
                ) % {"code": self.restates.code}
            elif self.pk and self.restatements.exists():
                errors["restates"] = _(
                    "Other entries restate this one, so it cannot become a restatement itself."
                )
        if errors:
            raise ValidationError(errors)


class Addressee(models.Model):
    """An actor a recommendation asks to act; `inferred` where the report names none."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="addressee_links"
    )
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="addressee_links")
    inferred = models.BooleanField(
        _("inferred"),
        default=False,
        help_text=_("The report names no one for this ask; this is the actor it plainly falls to."),
    )

    class Meta:
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "actor"], name="hearings_addressee_unique_actor"
            ),
        ]

    def __str__(self):
        return f"{self.recommendation.code} → {self.actor}"

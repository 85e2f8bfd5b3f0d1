"""Where the Dialogue's follow-up runs today: the Global Compact for Migration's 23
objectives and the SDG targets, in their official wording, and the tags that link a
main recommendation to them, each with its one-line reason.

Loaded from hearings/data/reference.yaml (the objectives and targets) and catalogue.yaml
(the tags) like themes and agenda points, and merged three ways with what a coordinator
corrected (hearings/loading.py). Imported by hearings/models.py, which registers them.
"""

import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .sourced import SourcedFromFile
from .translation import translatable

# A target of resolution 70/1: the goal, then a number (1.3, 17.18) or a letter (10.c).
SDG_CODE = re.compile(r"^(?P<goal>[1-9]|1[0-7])\.(?P<target>[1-9][0-9]?|[a-z])$")


def sdg_position(code: str) -> int:
    """The target's place in the 2030 Agenda: numbered targets, then lettered ones (10.7
    before 10.a before 10.c; 17.3 before 17.17)."""
    match = SDG_CODE.match(code)
    if match is None:
        raise ValueError(f"not an SDG target code: {code!r}")
    target = match["target"]
    rank = int(target) if target.isdigit() else 100 + ord(target) - ord("a")
    return int(match["goal"]) * 1000 + rank


@translatable("title", "short_title")
class GcmObjective(SourcedFromFile):
    """One of the 23 objectives of the Global Compact (resolution 73/195)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)  # gcm-1 .. gcm-23
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(
        _("title"), max_length=300, help_text=_("The objective's wording in resolution 73/195.")
    )
    short_title = models.CharField(
        _("short title"), max_length=80, help_text=_("A few words for menus and tables.")
    )

    class Meta:
        verbose_name = _("Global Compact objective")
        verbose_name_plural = _("Global Compact objectives")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=23),
                name="hearings_gcmobjective_number_1_to_23",
            ),
        ]

    def __str__(self):
        return _("Objective %(number)s: %(title)s") % {
            "number": self.number,
            "title": self.local_short_title,
        }

    @property
    def short_label(self) -> str:
        """For charts and tables: "6. Fair recruitment and decent work"."""
        return f"{self.number}. {self.local_short_title}"


@translatable("title", "short_title")
class SdgTarget(SourcedFromFile):
    """A target of the Sustainable Development Goals (resolution 70/1)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)  # sdg-10-7, sdg-10-c
    code = models.CharField(_("target"), max_length=8, unique=True)  # 10.7, 10.c
    goal = models.PositiveSmallIntegerField(_("goal"))
    title = models.CharField(
        _("title"), max_length=500, help_text=_("The target's wording in resolution 70/1.")
    )
    short_title = models.CharField(
        _("short title"), max_length=80, help_text=_("A few words for menus and tables.")
    )
    # The 2030 Agenda's order, from the code (sdg_position); set on every save.
    position = models.PositiveIntegerField(_("position"), unique=True, editable=False)

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__gte=1) & Q(goal__lte=17), name="hearings_sdgtarget_goal_1_to_17"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.local_short_title}"

    @property
    def short_label(self) -> str:
        """For charts and tables: "10.7 Well-managed migration"."""
        return str(self)

    def save(self, *args, **kwargs):
        self.position = sdg_position(self.code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "code" in update_fields:
            kwargs["update_fields"] = {*update_fields, "position"}
        super().save(*args, **kwargs)


class FrameworkTag(models.Model):
    """A main recommendation serves this objective or target, for the reason given."""

    reason = models.CharField(
        _("reason"),
        max_length=300,
        help_text=_("One line: why the fit is real."),
    )

    class Meta:
        abstract = True


class GcmTag(FrameworkTag):
    recommendation = models.ForeignKey(
        "hearings.Recommendation",
        on_delete=models.CASCADE,
        related_name="gcm_tags",
        db_index=False,  # the unique constraint's index leads with it
    )
    objective = models.ForeignKey(
        GcmObjective,
        on_delete=models.PROTECT,
        related_name="tags",
        verbose_name=_("Global Compact objective"),
        db_index=False,  # hearings_gcmtag_by_objective leads with it
    )

    class Meta:
        verbose_name = _("Global Compact objective of a recommendation")
        verbose_name_plural = _("Global Compact objectives")
        ordering = ["objective__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "objective"], name="hearings_gcmtag_unique_objective"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="hearings_gcmtag_reason_required"),
        ]
        indexes = [
            # The list filtered by objective: EXISTS (objective = ? AND recommendation = outer).
            models.Index(
                fields=["objective", "recommendation"], name="hearings_gcmtag_by_objective"
            ),
        ]

    def __str__(self):
        return f"{self.recommendation.code} → {_('objective')} {self.objective.number}"


class SdgTag(FrameworkTag):
    recommendation = models.ForeignKey(
        "hearings.Recommendation",
        on_delete=models.CASCADE,
        related_name="sdg_tags",
        db_index=False,  # the unique constraint's index leads with it
    )
    target = models.ForeignKey(
        SdgTarget,
        on_delete=models.PROTECT,
        related_name="tags",
        verbose_name=_("SDG target"),
        db_index=False,  # hearings_sdgtag_by_target leads with it
    )

    class Meta:
        verbose_name = _("SDG target of a recommendation")
        verbose_name_plural = _("SDG targets")
        ordering = ["target__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "target"], name="hearings_sdgtag_unique_target"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="hearings_sdgtag_reason_required"),
        ]
        indexes = [
            # The list filtered by target: EXISTS (target = ? AND recommendation = outer).
            models.Index(fields=["target", "recommendation"], name="hearings_sdgtag_by_target"),
        ]

    def __str__(self):
        return f"{self.recommendation.code} → {self.target.code}"

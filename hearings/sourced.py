"""The base of catalogue rows loaded from hearings/data/ that a coordinator may correct."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourcedFromFile(models.Model):
    """Catalogue data loaded from hearings/data/ that a coordinator may correct."""

    source_values = models.JSONField(
        _("values last set by the data file"), default=dict, blank=True, editable=False
    )

    class Meta:
        abstract = True

"""The follow-up side's reactions to changes in the catalogue (hearings never imports us)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from hearings.models import Addressee, GcmTag, Recommendation, SdgTag
from hearings.signals import catalogue_loaded

from .services import lines_sync


@receiver(catalogue_loaded)
def lines_after_load(sender, result, **kwargs):
    """A load changed the catalogue: give new addressees their lines, in the same transaction."""
    lines_sync()


@receiver([post_save, post_delete], sender=Addressee)
def lines_after_addressee_change(sender, instance, **kwargs):
    lines_sync([instance.recommendation_id])


@receiver(post_save, sender=Recommendation)
def lines_after_recommendation_change(sender, instance, created, update_fields=None, **kwargs):
    # The loader's own writes are followed by catalogue_loaded; edits in the admin are not.
    if not created:
        lines_sync([instance.pk])


@receiver(m2m_changed, sender=Recommendation.agenda_points.through)
def figures_after_agenda_change(sender, instance, action, reverse, pk_set, **kwargs):
    """Agenda points changed (in the admin or a load): the dashboard's figures with them."""
    if not action.startswith("post_"):
        return
    if not reverse:
        lines_sync([instance.pk])
    else:  # from the agenda point's side: its recommendations (all, after a clear)
        lines_sync(pk_set if action != "post_clear" else None)


@receiver([post_save, post_delete], sender=GcmTag)
@receiver([post_save, post_delete], sender=SdgTag)
def figures_after_tag_change(sender, instance, **kwargs):
    """A Global Compact or SDG tag added, changed or removed (in the admin or a load): the
    dashboard's figures with it."""
    lines_sync([instance.recommendation_id])

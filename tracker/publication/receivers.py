"""Every write that changes what the public side could show moves the public version, in
the write's own transaction: saves and deletions of the catalogue, the follow-up, the
evidence files and the publication rows, the catalogue loader, and many-to-many edits."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from hearings.signals import catalogue_loaded

from . import versions

# Apps whose rows the public side shows, and the models in them it never shows or that
# only count (their writes come with a write above that moves the version already).
PUBLIC_APPS = {"hearings", "tracker", "publication", "evidence"}
NOT_PUBLIC = {"tracker.profile", "tracker.tally", "publication.publicversion"}


def _shows(sender) -> bool:
    # Migrations' historical models (module "__fake__") write before, or without, the
    # publication tables (a migration back to before them drops them).
    if sender.__module__ == "__fake__":
        return False
    meta = sender._meta
    return meta.app_label in PUBLIC_APPS and meta.label_lower not in NOT_PUBLIC


@receiver(post_save, dispatch_uid="publication-version-save")
@receiver(post_delete, dispatch_uid="publication-version-delete")
def row_written(sender, **kwargs):
    if _shows(sender):
        versions.bump()


@receiver(m2m_changed, dispatch_uid="publication-version-m2m")
def links_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and _shows(sender):
        versions.bump()


@receiver(catalogue_loaded, dispatch_uid="publication-version-catalogue")
def catalogue_reloaded(sender, **kwargs):
    versions.bump()

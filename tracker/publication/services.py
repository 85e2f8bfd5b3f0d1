"""Publication writes: the site's switch, publishing and withdrawing notes, keeping a
recommendation or a line out of public view. Each is audited (see apps.py) and moves the
public version (receivers.py) in its own transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearings.text import validate_safe_text
from tracker.permissions import is_coordinator

from .models import MAX_REASON_LENGTH, NotePublication, PublicSite, Withholding


def _require_coordinator(user) -> None:
    """None is the command line (manage.py), which may do what a coordinator does."""
    if user is not None and not is_coordinator(user):
        raise PermissionDenied


@transaction.atomic
def site_set(*, user, is_on: bool | None = None, target_dates_public: bool | None = None) -> bool:
    """Switch the public site on or off, publish target dates or not; True if it changed."""
    _require_coordinator(user)
    site = PublicSite.load()
    site = PublicSite.objects.select_for_update().get(pk=site.pk)
    wanted = {
        field: value
        for field, value in {"is_on": is_on, "target_dates_public": target_dates_public}.items()
        if value is not None and getattr(site, field) != value
    }
    if not wanted:
        return False
    for field, value in wanted.items():
        setattr(site, field, value)
    site.changed_at = timezone.now()
    site.changed_by = user
    site.save(update_fields=[*wanted, "changed_at", "changed_by"])
    return True


def note_publish(*, update, user, recording: bool = False) -> bool:
    """Make an update's note and evidence public; True if it was not already.

    The person recording an update may publish its note as they record it (`recording`);
    afterwards only coordinators publish or withdraw."""
    if not recording:
        _require_coordinator(user)
    with transaction.atomic():
        _publication, created = NotePublication.objects.get_or_create(
            update=update, defaults={"published_by": user, "published_at": timezone.now()}
        )
    return created


@transaction.atomic
def note_withdraw(*, update, user) -> bool:
    """Take a published note off the public side (and its feeds); True if it was public."""
    _require_coordinator(user)
    publication = NotePublication.objects.select_for_update().filter(update=update).first()
    if publication is None:
        return False
    publication.delete()
    return True


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why it is kept out of public view."))
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            _("The reason is too long: at most %(n)s characters.") % {"n": MAX_REASON_LENGTH}
        )
    validate_safe_text(reason)
    return reason


@transaction.atomic
def withhold(*, user, reason: str, recommendation=None, line=None) -> Withholding | None:
    """Keep a recommendation (with its restatements and lines) or one line out of public
    view; None if it already was."""
    _require_coordinator(user)
    if (recommendation is None) == (line is None):
        raise ValueError("withhold a recommendation or a line, not both")
    reason = _clean_reason(reason)
    target = {"recommendation": recommendation} if recommendation is not None else {"line": line}
    withholding, created = Withholding.objects.get_or_create(
        **target, defaults={"reason": reason, "withheld_by": user}
    )
    return withholding if created else None


@transaction.atomic
def release(*, user, recommendation=None, line=None) -> bool:
    """Let a withheld recommendation or line back into public view; True if it was out."""
    _require_coordinator(user)
    target = {"recommendation": recommendation} if recommendation is not None else {"line": line}
    withholding = Withholding.objects.select_for_update().filter(**target).first()
    if withholding is None:
        return False
    withholding.delete()
    return True

"""What the demo makes public (tracker.publication), so that the public site shows something:
most notes published by whoever recorded them, as they recorded them (fewer of the "not
started" ones, never the update recorded by mistake, whose correction is published); the
public site switched on by the coordinator; one Member State's line kept out of public view
while its Government's response is discussed. Target dates stay private, as they are by
default. Deterministic: the choices come from a random stream of their own, drawn once per
update, so they never move the history's other choices."""

from tracker.models import Status
from tracker.publication import services as publication

# The share of notes published as they are recorded, by status.
PUBLISHED_SHARE = {Status.NOT_STARTED: 0.4}
DEFAULT_SHARE = 0.7
KEPT_OUT_REASON = (
    "The Government's response is still being discussed with its ministry of labour; kept "
    "out of public view until the text is agreed."
)


def note_published(rng, status: str, *, by_mistake: bool) -> bool:
    """Whether the person recording this update ticks "publish this note"."""
    draw = rng.random()  # drawn for every update, so each update keeps its own draw
    return not by_mistake and draw < PUBLISHED_SHARE.get(status, DEFAULT_SHARE)


def site_open(coordinator, lines) -> None:
    """Switch the public site on, and keep the first line a coordinator added out of it."""
    publication.site_set(user=coordinator, is_on=True)
    added = [line for line in lines if line.added_by_id is not None]
    if added:
        publication.withhold(user=coordinator, line=added[0], reason=KEPT_OUT_REASON)

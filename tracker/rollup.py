"""How a recommendation's overall status is rolled up from its follow-up lines.

The rule, in order:
1. No lines at all: no information.
2. Lines that are no longer relevant are ignored; if that leaves none: no longer relevant.
3. Implemented only if every remaining line is implemented.
4. Will not be implemented only if every remaining line is.
5. Otherwise the most advanced remaining status on the scale no information < not
   started < planned < in progress < partially implemented < implemented, capped at
   partially implemented (some line is not implemented). Lines that will not be
   implemented add no progress.
"""

from collections import Counter
from collections.abc import Iterable

from .models import PROGRESS_ORDER, Status

# The roll-up never goes past partially implemented unless every line is implemented.
CAP = PROGRESS_ORDER.index(Status.PARTIALLY_IMPLEMENTED)


def roll_up(statuses: Iterable[str]) -> Status:
    """The overall status of a recommendation whose relevant lines have these statuses."""
    statuses = list(statuses)
    if not statuses:
        return Status.NO_INFORMATION
    relevant = [s for s in statuses if s != Status.NO_LONGER_RELEVANT]
    if not relevant:
        return Status.NO_LONGER_RELEVANT
    if all(s == Status.IMPLEMENTED for s in relevant):
        return Status.IMPLEMENTED
    if all(s == Status.WILL_NOT_BE_IMPLEMENTED for s in relevant):
        return Status.WILL_NOT_BE_IMPLEMENTED
    best = max((PROGRESS_ORDER.index(s) for s in relevant if s in PROGRESS_ORDER), default=0)
    return Status(PROGRESS_ORDER[min(best, CAP)])


def count_by_status(statuses: Iterable[str]) -> dict[str, int]:
    """Lines per status, in the vocabulary's order, leaving out zero counts."""
    counts = Counter(statuses)
    return {s: counts[s] for s in Status.values if counts[s]}

"""The digest each focal point gets of their lines: overdue, due within 30 days, nothing
recorded for STALE_AFTER_DAYS; weekly, monthly or never, as each chooses.

`digests_send(today)` is the whole run (`manage.py send_reminders` calls it; a scheduler
may too): run it every day, and each person gets at most one digest per period (their
ISO week, or their calendar month), the first day of it that has something to say.
Nobody with nothing to say gets an e-mail, and nothing is claimed for them: a line that
becomes overdue on a Wednesday is in that week's digest.

Queries: a constant number to read (recipients, their actors, claims already made, one
per section of lines), two to claim, then one per e-mail to record how it went.
"""

import datetime
import functools
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from . import emails, selectors, sending
from .models import Delivery, DeliveryKind, Frequency

logger = logging.getLogger(__name__)


@dataclass
class Digest:
    recipient: object  # a user, with profile and actors
    frequency: str
    period: str
    today: datetime.date
    sections: dict  # {section: selectors.Listed}, only those with lines

    @property
    def line_count(self) -> int:
        return sum(listed.total for listed in self.sections.values())

    def describe(self) -> str:
        counts = ", ".join(f"{listed.total} {key}" for key, listed in self.sections.items())
        user = self.recipient
        return f"{user.get_username()} <{user.email}>, {self.frequency} {self.period}: {counts}"


@dataclass
class DigestRun:
    """What a run did (or, with dry_run, would do)."""

    today: datetime.date
    dry_run: bool
    digests: list[Digest] = field(default_factory=list)  # something to say, not yet claimed
    sent: list[Digest] = field(default_factory=list)
    failed: list[tuple[Digest, str]] = field(default_factory=list)
    already: int = 0  # this period's digest was claimed by an earlier run
    taken: int = 0  # claimed meanwhile by a run at the same time
    quiet: int = 0  # nothing to say
    opted_out: int = 0  # chose never

    def report(self) -> list[str]:
        """The run in lines of text, for the command and the logs."""
        verb = "would send" if self.dry_run else "sent"
        lines = [f"Digests as of {self.today.isoformat()}{' (dry run)' if self.dry_run else ''}"]
        done = self.digests if self.dry_run else self.sent
        lines += [f"  {verb}: {digest.describe()}" for digest in done]
        lines += [f"  FAILED: {digest.describe()}: {error}" for digest, error in self.failed]
        lines.append(
            f"{len(done)} {verb}, {len(self.failed)} failed, {self.already} already claimed "
            f"this period, {self.taken} taken by another run, {self.quiet} with nothing to "
            f"say, {self.opted_out} opted out"
        )
        return lines


def period_of(frequency: str, today: datetime.date) -> str:
    """The period a digest of this frequency is for: "2026-W12" or "2026-03"."""
    if frequency == Frequency.WEEKLY:
        year, week, _weekday = today.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{today:%Y-%m}"


def frequency_of(user) -> str:
    preference = getattr(user, "digest_preference", None)
    return preference.frequency if preference else settings.DIGEST_DEFAULT_FREQUENCY


def stale_since(today: datetime.date) -> datetime.datetime:
    """Nothing recorded since the start of this day (the site's time zone) is stale."""
    day = today - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
    moment = datetime.datetime.combine(day, datetime.time.min)
    return timezone.make_aware(moment, timezone.get_default_timezone())


def digests_due(today: datetime.date) -> DigestRun:
    """Every digest with something to say that this period has not had yet."""
    run = DigestRun(today=today, dry_run=True)
    wanted = []
    for user in selectors.digest_recipients():
        frequency = frequency_of(user)
        if frequency == Frequency.NEVER:
            run.opted_out += 1
        else:
            wanted.append((user, frequency, period_of(frequency, today)))
    claimed = selectors.digests_claimed([w[0].pk for w in wanted], {w[2] for w in wanted})
    pending = [w for w in wanted if (w[0].pk, w[2]) not in claimed]
    run.already = len(wanted) - len(pending)
    actor_ids = {actor.pk for user, *_rest in pending for actor in user.profile.actors.all()}
    found = selectors.digest_lines(actor_ids, today, stale_since(today)) if actor_ids else {}
    for user, frequency, period in pending:
        mine = [actor.pk for actor in user.profile.actors.all()]
        sections = selectors.lines_of_person(found, mine)
        if sections:
            run.digests.append(Digest(user, frequency, period, today, sections))
        else:
            run.quiet += 1
    return run


def digests_send(today: datetime.date | None = None, *, dry_run: bool = False) -> DigestRun:
    """Send every digest due as of `today` (default: today in the site's time zone), each
    claimed before it goes; with dry_run, only say who would get what (nothing is sent
    and nothing claimed). Call it outside a transaction, so that each claim is committed
    before its e-mail goes."""
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    run = digests_due(today)
    run.dry_run = dry_run
    if dry_run or not run.digests:
        return run
    claims = sending.claims_insert(
        [
            Delivery(
                recipient=digest.recipient,
                kind=DeliveryKind.DIGEST,
                period=digest.period,
                email=digest.recipient.email,
                subject=emails.digest_subject(digest),
                line_count=digest.line_count,
            )
            for digest in run.digests
        ]
    )
    with sending.mail_connection() as connection:
        for digest in run.digests:
            delivery = claims.get(digest.recipient.pk)
            if delivery is None:
                run.taken += 1
                continue
            # Written just before it goes: a run holds one e-mail at a time.
            make = functools.partial(emails.digest_message, digest)
            error = sending.deliver(delivery, make, connection)
            if error:
                run.failed.append((digest, error))
            else:
                run.sent.append(digest)
    logger.info("digests as of %s: %s", today.isoformat(), run.report()[-1])
    return run


def digests_send_scheduled(today: datetime.date) -> None:
    """The schedule's entry (JOBS_SCHEDULE, run by the jobs' workers once a day): the
    digests due on `today`. A failed e-mail fails the run, after every other has gone, so
    that it shows among the scheduled runs as well as on the e-mails page."""
    run = digests_send(today)
    for line in run.report():
        logger.info("%s", line)
    if run.failed:
        raise RuntimeError(f"{len(run.failed)} digests failed; see /reminders/sent/")

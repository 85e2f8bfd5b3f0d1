"""What every runner does between jobs: give up on jobs whose worker stopped (the reaper),
then run what the schedule says is due; once a minute, on a thread of the worker or in
`manage.py run_schedule`."""

import logging
import threading

from django.db import DatabaseError, close_old_connections

from .schedule import run_due
from .services import jobs_reap

logger = logging.getLogger(__name__)

TICK_SECONDS = 60


def tick() -> None:
    """One round; a database error (SQLite locked behind a long import) waits for the next."""
    close_old_connections()
    try:
        jobs_reap()
        run_due()
    except DatabaseError as error:
        logger.warning("the schedule waits for its next round: %s", error)


def run_forever(stopped: threading.Event, every: float = TICK_SECONDS) -> None:
    while True:
        tick()
        if stopped.wait(every):
            return


def start_thread() -> threading.Event:
    """The loop on a daemon thread (ended with its process); set the event to stop it."""
    stopped = threading.Event()
    threading.Thread(target=run_forever, args=(stopped,), name="schedule", daemon=True).start()
    return stopped

"""The project's settings with one more schedule entry, for runners in other processes."""

from hearings.settings import *  # noqa: F403

JOBS_SCHEDULE = [*JOBS_SCHEDULE, ("count", "tests.jobs.scheduled.count_run", "daily 00:00")]  # noqa: F405

"""System check: every JOBS_SCHEDULE entry reads, names a callable, and has its own name."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from .schedule import ScheduleError, parse


@checks.register()
def schedule_check(app_configs=None, **kwargs):
    errors, names = [], set()
    for item in getattr(settings, "JOBS_SCHEDULE", []):
        try:
            entry = parse(item)
            if not callable(import_string(entry.path)):
                raise ScheduleError(f"{entry.name}: {entry.path} is not callable")
        except (ScheduleError, ImportError) as error:
            errors.append(checks.Error(f"JOBS_SCHEDULE: {error}", id="jobs.E001"))
            continue
        if entry.name in names:
            errors.append(checks.Error(f"JOBS_SCHEDULE: {entry.name} twice", id="jobs.E002"))
        names.add(entry.name)
    return errors

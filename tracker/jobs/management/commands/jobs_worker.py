"""manage.py jobs_worker: a background worker, as many as wanted, on any machines. It runs
the queued jobs with the engine JOBS_BACKEND names (django-tasks-db's worker, or RQ's) and,
on a thread beside it, the reaper and the schedule (each occurrence runs once however
many workers there are). Ctrl-C or SIGTERM lets the running job finish, then stops."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracker.jobs import loop


class Command(BaseCommand):
    help = "Run queued background jobs (JOBS_BACKEND: database or rq) and the schedule."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-schedule", action="store_true", help="do not run the reaper and the schedule"
        )
        parser.add_argument("--batch", action="store_true", help="run the jobs waiting, then stop")

    def handle(self, *args, **options):
        if not options["no_schedule"]:
            loop.start_thread()
        verbosity = options["verbosity"]
        if settings.JOBS_BACKEND == "rq":
            call_command("rqworker", *settings.RQ_QUEUES, job_class="django_tasks_rq.Job",
                         burst=options["batch"], verbosity=verbosity)  # fmt: skip
        else:
            call_command("db_worker", batch=options["batch"], reload=False,
                         startup_delay=not options["batch"], verbosity=verbosity)  # fmt: skip

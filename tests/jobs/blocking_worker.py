"""A real `manage.py jobs_worker` whose imports stop for good after recording BLOCK_AFTER
status updates (their transaction open), having written the process's id to BLOCKED_FILE:
tests/jobs/test_workers.py kills it there."""

import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
django.setup()

from django.core.management import call_command  # noqa: E402

from tracker import services  # noqa: E402

record_for_real = services.status_update_record
recorded = []


def record_then_block(**kwargs):
    update = record_for_real(**kwargs)
    recorded.append(update.pk)
    if len(recorded) == int(os.environ["BLOCK_AFTER"]):
        Path(os.environ["BLOCKED_FILE"]).write_text(str(os.getpid()))
        time.sleep(600)  # until killed
    return update


services.status_update_record = record_then_block
call_command("jobs_worker", "--no-schedule")

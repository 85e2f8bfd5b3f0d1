"""Callables for the schedule's tests: each run is appended to RUNS_FILE (process id and
date), slowly, so that two runners would overlap if both ran it."""

import os
import time
from pathlib import Path

calls = []


def count_run(today):
    calls.append(today)
    if "RUNS_FILE" in os.environ:
        time.sleep(0.5)
        with Path(os.environ["RUNS_FILE"]).open("a") as runs:
            runs.write(f"{os.getpid()} {today.isoformat()}\n")


def fail(today):
    raise RuntimeError(f"nothing to send on {today}")

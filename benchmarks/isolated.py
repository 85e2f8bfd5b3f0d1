"""Run a piece of work in a forked child process and measure it: wall time, and peak
memory as the growth of the child's resident set over what it inherited (wait4's
ru_maxrss less its resident set at the start). Resident memory counts everything the
work holds, the database driver's buffers and C libraries included, which tracemalloc
does not see. Linux (fork, /proc)."""

import json
import os
import time
import traceback


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def run(work) -> dict:
    """`work()` returns a dict of JSON values; returned with `seconds` and `peak_mb`. The
    child opens its own database connection (the parent's are closed first)."""
    from django.db import connections

    connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        try:
            start_kb = _rss_kb()
            started = time.perf_counter()
            payload = dict(work())
            payload.update(seconds=time.perf_counter() - started, start_kb=start_kb)
        except BaseException:  # reported to the parent, which raises
            payload = {"error": traceback.format_exc()}
        with os.fdopen(write_end, "w") as out:
            json.dump(payload, out)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        text = answer.read()
    _pid, _status, usage = os.wait4(pid, 0)
    payload = json.loads(text or '{"error": "the child died without an answer"}')
    if "error" in payload:
        raise RuntimeError(f"measured work failed:\n{payload['error']}")
    payload["peak_mb"] = max(0, usage.ru_maxrss - payload.pop("start_kb")) / 1024
    return payload

"""Locust users for `make loadtest` (benchmarks/loadtest/run.py writes the plan this reads,
LOADTEST_PLAN): logged-in focal points and coordinators; 80% page reads, 15% small
exports, 5% status updates through the real form (its CSRF token and the line's version).
A stale refusal is a correct answer, counted under its own name; every accepted update is
written to the results file (LOADTEST_RESULTS) for the check against the history.

Logins happen in on_start, during the ramp-up. Once every user has logged in, the figures
so far are dropped and the measured period of LOADTEST_SECONDS begins; then locust stops.
"""

import itertools
import json
import os
import random
import sys
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.forms import post_form_fields

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
STALE_TEXT = "recorded an update on this line"
ACCEPTED: list[tuple[int, str]] = []
# Every update sent, before its answer: one still in flight when locust stops at the
# deadline is recorded by the server but never answered here (run.py tells them apart).
SENT: list[tuple[int, str]] = []
OUTCOMES = {"stale": 0, "refused": 0}
_numbers = itertools.count()
_started = itertools.count(1)
ENVIRONMENT = None
_accounts = {role: itertools.cycle(PLAN[role]) for role in ("focal_points", "coordinators")}


class Reader(HttpUser):
    abstract = True
    role = ""
    wait_time = between(PLAN["wait_min"], PLAN["wait_max"])

    def on_start(self):
        self.account = next(_accounts[self.role])
        page = self.client.get("/auth/login/", name="login (ramp-up)")
        fields = post_form_fields(page.text, "/auth/login/")
        fields.update(username=self.account["username"], password=self.account["password"])
        with self.client.post("/auth/login/", data=fields, name="login (ramp-up)",
                              allow_redirects=False, catch_response=True) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"login refused: {response.status_code}")
        if next(_started) == PLAN["users"]:  # the last one: the measured period begins
            ENVIRONMENT.runner.stats.reset_all()
            gevent.spawn_later(PLAN["seconds"], ENVIRONMENT.runner.quit)

    # ---- page reads: 80%
    @task(20)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(12)
    def list_default(self):
        self.client.get("/recommendations/", name="list")

    @task(10)
    def list_filtered(self):
        actor = random.choice(PLAN["actors"])  # noqa: S311 - load, not secrets
        self.client.get(f"/recommendations/?theme=rights&status=in-progress&actor={actor}",
                        name="list: theme + status + actor")  # fmt: skip

    @task(8)
    def list_search(self):
        word = random.choice(["recruitment", "women", "remittances", "labour", "rights"])  # noqa: S311
        self.client.get(f"/recommendations/?q={word}", name="list: search")

    @task(6)
    def list_sorted(self):
        self.client.get("/recommendations/?sort=title", name="list: sorted by title")

    @task(6)
    def list_deep(self):
        page = random.randint(2, PLAN["pages"])  # noqa: S311
        self.client.get(f"/recommendations/?page={page}", name="list: page N")

    @task(18)
    def recommendation(self):
        code = random.choice(PLAN["recommendations"])  # noqa: S311
        self.client.get(f"/recommendations/{code}/", name="recommendation page")

    # ---- small exports: 15%
    def _export_query(self) -> str:
        return f"actor={random.choice(PLAN['member_states'])}"  # noqa: S311

    @task(10)
    def export_csv(self):
        self.client.get(f"/export/?format=csv&as_of={PLAN['today']}&{self._export_query()}"
                        "&grouping=theme&download=1", name="export: small CSV")  # fmt: skip

    @task(5)
    def export_xlsx(self):
        self.client.get(f"/export/?format=xlsx&as_of={PLAN['today']}&{self._export_query()}"
                        "&grouping=theme&download=1", name="export: small Excel")  # fmt: skip

    # ---- status updates: 5%
    @task(5)
    def record_update(self):
        line = random.choice(self.account["lines"])  # noqa: S311
        url = f"/lines/{line}/update/"
        form = self.client.get(url, name="update form")
        if form.status_code != 200:
            return
        fields = post_form_fields(form.text)
        note = f"Load test {PLAN['run']} update {next(_numbers)} by {self.account['username']}."
        fields.update(status=random.choice(PLAN["statuses"]), note=note,  # noqa: S311
                      effective_date=PLAN["today"])  # fmt: skip
        fields.pop("corrects", None)
        SENT.append((line, note))
        with self.client.post(url, data=fields, name="record update", allow_redirects=False,
                              catch_response=True) as response:  # fmt: skip
            if response.status_code == 302:
                ACCEPTED.append((line, note))
            elif response.status_code == 200 and STALE_TEXT in response.text:
                OUTCOMES["stale"] += 1
                response.request_meta["name"] = "record update: refused as stale"
                response.success()
            else:
                OUTCOMES["refused"] += 1
                response.failure(f"update not recorded: {response.status_code}")


class FocalPoint(Reader):
    weight = 2
    role = "focal_points"

    def _export_query(self) -> str:
        return "mine=on"


class Coordinator(Reader):
    weight = 1
    role = "coordinators"


@events.init.add_listener
def _keep_environment(environment, **_kwargs):
    global ENVIRONMENT  # locust hands it over once, at start
    ENVIRONMENT = environment


@events.test_stop.add_listener
def _write_results(**_kwargs):
    Path(os.environ["LOADTEST_RESULTS"]).write_text(
        json.dumps({"accepted": ACCEPTED, "sent": SENT, **OUTCOMES}), encoding="utf-8"
    )

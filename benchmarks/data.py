"""Synthetic follow-up at scale, over the real report: N recommendations spread over the
report's paragraphs, themes and agenda points, each addressed to 1-3 real actors (Member
States included), with their follow-up lines, their rolled-up progress and 1-4 status
updates on about 30% of the lines; 3% restatements and 0.5% withdrawn entries, which get
no lines. The derived state (a line's current status and version, the roll-up) is written
as tracker.services leaves it. At 267,000 recommendations: about 441,600 lines and 331,300
status updates, as in the issue's figures; the same seed on the same day gives the same
rows (dates follow today).

Written fast: PostgreSQL's COPY, SQLite's executemany in one transaction per flush. Every
column of every model is written: values given here, the model's default for the others
(so a new column with a default needs nothing here; a new table kept by the services,
such as a counter, must be filled in `Builder.finish`).
"""

import datetime
import enum
import io
import json
import random

HEARINGS = datetime.date(2013, 7, 15)
FIRST_LOAD = datetime.datetime(2013, 8, 1, tzinfo=datetime.UTC)
# Status of an update, with weights: most lines move along the scale, a few close.
UPDATE_STATUSES = [
    ("not-started", 15), ("planned", 20), ("in-progress", 30),
    ("partially-implemented", 15), ("implemented", 10),
    ("will-not-be-implemented", 5), ("no-longer-relevant", 5),
]  # fmt: skip
NOTE = "Benchmark note: the ministry reports on the measures taken, with figures. "
# Restatements name a main entry of the same generation batch (as the data did).
GENERATION_BATCH = 5000
FLUSH_EVERY = 20_000  # recommendations per transaction
PASSWORD = "bench-password-not-secret"  # noqa: S105 - local throwaway accounts
_MISSING = object()


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # datetimes too: isoformat keeps the offset
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value)
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


class Table:
    """Rows for one model's table: every concrete column, defaults for those not given."""

    def __init__(self, model, now: datetime.datetime):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        # auto_now(_add) fields are set on save, as Model.save would: the build's time.
        self.defaults = [
            (lambda: now) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default
            for f in self.fields
        ]  # fmt: skip
        self.rows: list[dict] = []

    def add(self, **values) -> None:
        self.rows.append(values)

    def _values(self, row: dict, columns) -> list:
        out = []
        for field, default in columns:
            value = row.get(field.attname, _MISSING)
            out.append(default() if value is _MISSING else value)
        return out

    def write(self, connection) -> int:
        if not self.rows:
            return 0
        # An automatic primary key not given (the agenda links) is left to its sequence.
        pk = self.model._meta.pk
        columns = [
            (f, d)
            for f, d in zip(self.fields, self.defaults, strict=True)
            if not (f is pk and f.attname not in self.rows[0] and f.db_returning)
        ]
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(f.column) for f, _d in columns)
        count = len(self.rows)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                for row in self.rows:
                    buffer.write("\t".join(_copy_text(v) for v in self._values(row, columns)))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)
            else:
                marks = ", ".join(["%s"] * len(columns))
                rows = [
                    [f.get_db_prep_save(v, connection) for (f, _d), v in
                     zip(columns, self._values(row, columns), strict=True)]
                    for row in self.rows
                ]  # fmt: skip
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
        self.rows = []
        return count


class Builder:
    """Generates the data with explicit primary keys, so that a line can name its current
    update before that is written (foreign keys are checked at commit)."""

    def __init__(self, seed: int = 2013, focal_actor_key: str = "phl"):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password
        from django.db.models import Max
        from django.utils import timezone

        from hearings.models import Actor, Addressee, AgendaPoint, Paragraph, Recommendation, Theme
        from tracker.models import FollowUpLine, Profile, RecommendationProgress, Role, StatusUpdate

        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        self.now = timezone.now()
        self.today = self.now.date()
        # The models' own orderings, as the issue's data was made with.
        self.paragraphs = list(
            Paragraph.objects.filter(recommendations__isnull=False)
            .distinct().values_list("pk", flat=True)
        )  # fmt: skip
        self.themes = list(Theme.objects.values_list("pk", flat=True))
        self.points = list(AgendaPoint.objects.values_list("pk", flat=True))
        actors = list(Actor.objects.values_list("pk", "kind"))
        self.member_states = [pk for pk, kind in actors if kind == Actor.Kind.MEMBER_STATE]
        self.others = [pk for pk, kind in actors if kind != Actor.Kind.MEMBER_STATE]
        self.texts = list(Recommendation.objects.main().values_list("title", "text"))
        self.statuses = [s for s, _w in UPDATE_STATUSES]
        self.weights = [w for _s, w in UPDATE_STATUSES]

        User = get_user_model()
        hashed = make_password(PASSWORD)  # once: the hasher is slow on purpose

        def account(username, role, **extra):
            user = User.objects.create(username=username, password=hashed, **extra)
            return user, Profile.objects.create(user=user, role=role)

        self.coordinator, _p = account("bench-coordinator", Role.COORDINATOR, is_staff=True)
        self.focal_actor = Actor.objects.get(key=focal_actor_key)
        self.focal_point, profile = account("bench-focal-point", Role.FOCAL_POINT)
        profile.actors.set([self.focal_actor])
        self.admin = User.objects.create(username="bench-admin", password=hashed,
                                         is_staff=True, is_superuser=True)  # fmt: skip
        self.recorders = [self.coordinator.pk, self.focal_point.pk]
        for i in range(8):
            self.recorders.append(account(f"bench-recorder-{i}", Role.COORDINATOR)[0].pk)

        def next_pk(model):
            return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

        self.next_rec = next_pk(Recommendation)
        self.next_line = next_pk(FollowUpLine)
        self.next_update = next_pk(StatusUpdate)
        self.position = (Recommendation.objects.aggregate(m=Max("position"))["m"] or 0) + 1
        self.tables = {
            "recommendations": Table(Recommendation, self.now),
            "agenda": Table(Recommendation.agenda_points.through, self.now),
            "addressees": Table(Addressee, self.now),
            "lines": Table(FollowUpLine, self.now),
            "updates": Table(StatusUpdate, self.now),
            "progress": Table(RecommendationProgress, self.now),
        }  # in this order: each names rows of the ones before (or later, deferred)
        self.detail_code = None  # a main recommendation with three lines, two with history
        self.counts = dict.fromkeys(["recommendations", "lines", "updates"], 0)

    def _date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def _updates(self, line_id: int, created: datetime.datetime) -> list[dict]:
        """1-4 updates for a line, in order of effective date, recorded soon after each."""
        rng = self.rng
        dates = sorted(self._date(HEARINGS, self.today) for _ in range(rng.randint(1, 4)))
        updates = []
        for effective in dates:
            recorded = datetime.datetime.combine(effective, datetime.time(9), tzinfo=datetime.UTC)
            recorded = max(recorded, created) + datetime.timedelta(
                days=rng.randint(0, 30), minutes=rng.randint(0, 600)
            )
            pk = self.next_update
            updates.append({
                "id": pk, "line_id": line_id,
                "status": rng.choices(self.statuses, self.weights)[0],
                "note": NOTE + f"Line {line_id}, {effective.isoformat()}.",
                "evidence_links": (
                    [f"https://example.org/evidence/{pk}"] if rng.random() < 0.3 else []
                ),
                "effective_date": effective, "recorded_by_id": rng.choice(self.recorders),
                "recorded_at": min(recorded, self.now), "corrects_id": None,
            })  # fmt: skip
            self.next_update += 1
        return updates

    def _lines(self, pk: int, actors: set[int]) -> list[str]:
        """The lines of a main recommendation (with their history); their statuses."""
        rng, statuses, with_history = self.rng, [], 0
        for actor in sorted(actors):
            created = FIRST_LOAD + datetime.timedelta(days=rng.randint(0, 900))
            line = {
                "id": self.next_line, "recommendation_id": pk, "actor_id": actor,
                "addressed": True, "created_at": created,
                "target_date": (
                    self._date(datetime.date(2014, 1, 1), datetime.date(2030, 12, 31))
                    if rng.random() < 0.25 else None
                ),
            }  # fmt: skip
            self.next_line += 1
            if rng.random() < 0.3:
                history = self._updates(line["id"], created)
                current = max(history, key=lambda u: (u["effective_date"], u["recorded_at"],
                                                      u["id"]))  # fmt: skip
                line.update(
                    status=current["status"], status_since=current["effective_date"],
                    current_update_id=current["id"], update_count=len(history),
                    last_recorded_at=max(u["recorded_at"] for u in history),
                )  # fmt: skip
                for update in history:
                    self.tables["updates"].add(**update)
                self.counts["updates"] += len(history)
                with_history += 1
            self.tables["lines"].add(**line)
            self.counts["lines"] += 1
            statuses.append(line.get("status", "no-information"))
        if self.detail_code is None and len(actors) == 3 and with_history >= 2:
            self.detail_code = f"B{self.counts['recommendations'] - 1:06d}"
        return statuses

    def batch(self, size: int) -> None:
        """`size` recommendations, generated in memory (written by `flush`)."""
        from tracker.rollup import count_by_status, roll_up

        rng, tables = self.rng, self.tables
        mains: list[int] = []
        for _ in range(size):
            pk, number = self.next_rec, self.counts["recommendations"]
            title, text = rng.choice(self.texts)
            kind = rng.random()
            restates = rng.choice(mains) if kind < 0.03 and mains else None
            withdrawn = self.now if 0.03 <= kind < 0.035 else None
            tables["recommendations"].add(
                id=pk, code=f"B{number:06d}", paragraph_id=rng.choice(self.paragraphs),
                title=f"{title} (#{number})", text=text, theme_id=rng.choice(self.themes),
                position=self.position, restates_id=restates, withdrawn_at=withdrawn,
            )  # fmt: skip
            self.next_rec += 1
            self.position += 1
            self.counts["recommendations"] += 1
            for point in rng.sample(self.points, rng.choice([0, 1, 1, 2])):
                tables["agenda"].add(recommendation_id=pk, agendapoint_id=point)
            actors: set[int] = set()
            while len(actors) < rng.choice([1, 1, 2, 2, 3]):
                pool = self.member_states if rng.random() < 0.5 else self.others
                actors.add(rng.choice(pool))
            for actor in actors:
                tables["addressees"].add(
                    recommendation_id=pk, actor_id=actor, inferred=rng.random() < 0.1
                )
            if restates or withdrawn:
                continue  # lines and progress belong to current, main recommendations
            mains.append(pk)
            statuses = self._lines(pk, actors)
            tables["progress"].add(
                recommendation_id=pk, status=roll_up(statuses),
                line_counts=count_by_status(statuses),
            )  # fmt: skip

    def flush(self) -> None:
        from django.db import connection, transaction

        with transaction.atomic():  # deferred foreign keys: lines name later updates
            for table in self.tables.values():
                table.write(connection)

    def finish(self) -> None:
        """After the last flush: the dashboard's figures counted from the rows written
        (the services keep them in step with each write; COPY bypasses them), sequences
        past the explicit keys, and on PostgreSQL statistics and the visibility map, as
        autovacuum would leave a table this size (SQLite is left as the app leaves it)."""
        from django.core.management.color import no_style
        from django.db import connection

        from tracker.services import figures_recount

        figures_recount()
        if connection.vendor != "postgresql":
            return
        models = [table.model for table in self.tables.values()]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
            # VACUUM cannot run in a transaction (a test's); ANALYZE alone there.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def build(n: int, *, seed: int = 2013, focal_actor: str = "phl", log=None) -> Builder:
    """Add n synthetic recommendations to the loaded report; the builder says what it made."""
    import time

    builder = Builder(seed, focal_actor)
    done, pending, started = 0, 0, time.perf_counter()
    while done < n:
        size = min(GENERATION_BATCH, n - done)
        builder.batch(size)
        done += size
        pending += size
        if pending >= FLUSH_EVERY or done == n:
            builder.flush()
            pending = 0
            if log:
                log(f"  {done:>7} recommendations  {time.perf_counter() - started:6.1f} s")
    builder.finish()
    return builder

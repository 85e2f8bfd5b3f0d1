"""Evidence file fixtures: staff of every role, a line, posting the update form with files,
and a fake clamd speaking INSTREAM on a Unix socket."""

import datetime
import shutil
import socket
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from hearings.models import Actor
from tracker import services
from tracker.evidence import uploads
from tracker.models import FollowUpLine, Profile

from . import samples

PASSWORD = "pw-for-tests"
LINE_REC, LINE_ACTOR = "R42.1", "civil-society"


@pytest.fixture
def users(loaded_report):
    User = get_user_model()

    def make(username, role, actor_keys=()):
        user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
        profile = Profile.objects.create(user=user, role=role)
        profile.actors.set(Actor.objects.filter(key__in=actor_keys))
        return user

    return {
        "viewer": make("viewer", "viewer"),
        "other-focal-point": make("focal-employers", "focal-point", ["employers"]),
        "focal-point": make("focal-civil-society", "focal-point", [LINE_ACTOR]),
        "coordinator": make("coordinator", "coordinator"),
        "superuser": User.objects.create_superuser("admin", password=PASSWORD),
    }


@pytest.fixture
def line(loaded_report):
    return FollowUpLine.objects.get(recommendation__code=LINE_REC, actor__key=LINE_ACTOR)


def form_data(line, **changes):
    line.refresh_from_db()
    data = {
        "status": "in-progress",
        "note": "The hotline's first annual report is attached.",
        "evidence_links": "",
        "effective_date": "2014-01-10",
        "version": str(line.update_count),
    }
    data.update(changes)
    return data


def post_update(client, line, files=(), **changes):
    """Submit the update form as a browser does (multipart), with these uploads."""
    data = form_data(line, **changes)
    data["evidence_files"] = list(files)
    return client.post(reverse("line-update", args=[line.pk]), data)


def record_with_files(line, user, files, note="With files.", day=1):
    """An update with files, through the service the form uses."""
    line.refresh_from_db()
    return services.status_update_record(
        line_id=line.pk,
        user=user,
        status="planned",
        note=note,
        effective_date=datetime.date(2014, 1, 1) + datetime.timedelta(days=day),
        evidence_links=[],
        seen_version=line.update_count,
        evidence_files=uploads.check_uploads(files),
    )


@pytest.fixture
def report_pdf():
    return samples.upload("hotline-report.pdf", samples.pdf())


class FakeClamd:
    """clamd's INSTREAM, as clamd(8) describes it, on a Unix socket in a thread: EICAR is
    FOUND, anything else is OK; `reply` forces an answer (an ERROR line)."""

    def __init__(self, path: Path):
        self.path = str(path)
        self.streams: list[bytes] = []
        self.commands: list[bytes] = []
        self.reply: bytes | None = None
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(4)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, connection, n):
        data = b""
        while len(data) < n:
            part = connection.recv(n - len(data))
            if not part:
                raise ConnectionError("client went away")
            data += part
        return data

    def _serve(self):
        while True:
            try:
                connection, _address = self.server.accept()
            except OSError:
                return  # closed
            with connection:
                command = b""
                while not command.endswith(b"\0"):
                    command += self._read(connection, 1)
                self.commands.append(command)
                stream = b""
                while size := struct.unpack("!L", self._read(connection, 4))[0]:
                    stream += self._read(connection, size)
                self.streams.append(stream)
                if self.reply is not None:
                    answer = self.reply
                elif samples.EICAR in stream:
                    answer = b"stream: Eicar-Test-Signature FOUND\0"
                else:
                    answer = b"stream: OK\0"
                connection.sendall(answer)

    def close(self):
        self.server.close()


@pytest.fixture
def fake_clamd(settings):
    folder = Path(tempfile.mkdtemp(prefix="clamd-", dir="/tmp"))  # short: sockets' path limit
    clamd = FakeClamd(folder / "clamd.sock")
    settings.CLAMD_SOCKET = clamd.path
    settings.CLAMD_TIMEOUT_SECONDS = 5
    yield clamd
    clamd.close()
    shutil.rmtree(folder, ignore_errors=True)

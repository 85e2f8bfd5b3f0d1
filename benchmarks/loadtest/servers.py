"""The servers of a load test, each a child process stopped by its own id: gunicorn with
the production settings, and HAProxy (Debian's) in front of two of them."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAPROXY_CONFIG = """\
global
    maxconn 512
defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    # Sync workers answer the probe only once free: a busy instance is not a dead one.
    timeout check 30s
frontend app
    bind 127.0.0.1:{port}
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /healthz
{servers}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.3)


class Server:
    """A child process in its own process group (gunicorn's workers stop with it)."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path, health: str):
        self.name, self.health = name, health
        self.log = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own binaries and arguments
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_until_up(health)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def gunicorn(port: int, workers: int, env: dict, log: Path) -> Server:
    binary = str(Path(sys.executable).parent / "gunicorn")  # this virtualenv's, pinned
    command = [binary, "hearings.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
               str(workers), "--timeout", "120"]  # fmt: skip
    return Server(f"gunicorn :{port}", command, env, log, f"http://127.0.0.1:{port}/healthz")


def haproxy(port: int, backends: list[int], folder: Path, log: Path) -> Server:
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    servers = "\n".join(f"    server app{i} 127.0.0.1:{p} check inter 5s fall 6 rise 1"
                        for i, p in enumerate(backends))  # fmt: skip
    config = folder / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers), encoding="utf-8")
    return Server(f"haproxy :{port}", [binary, "-db", "-f", str(config)], dict(os.environ),
                  log, f"http://127.0.0.1:{port}/healthz")  # fmt: skip

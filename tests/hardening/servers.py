"""Real server processes for the reliability tests: `spoc run` on a free loopback port, and HTTP
writers that post intakes with a bearer token and keep every acknowledged registration number."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import AUDIT_KEY

SPOC = str(Path(sys.executable).with_name("spoc"))
SECRET = "reliability-secret-key-0123456789abcdef0123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`spoc run` in its own process group, bound to 127.0.0.1 only."""

    def __init__(self, database_url: str, instance: Path, threads: int = 8):
        self.database_url, self.instance, self.threads = database_url, instance, threads
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        instance.mkdir(parents=True, exist_ok=True)
        self.log = instance / f"server-{self.port}.log"

    @property
    def env(self) -> dict:
        return {**os.environ, "SPOC_DATABASE_URL": self.database_url, "SPOC_INSTANCE_PATH": str(self.instance),
                "SPOC_SECRET_KEY": SECRET, "SPOC_AUDIT_KEY": AUDIT_KEY}

    def start(self, timeout: float = 60) -> Server:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen([SPOC, "run", "--host", "127.0.0.1", "--port", str(self.port),
                                          "--threads", str(self.threads)], env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"no /healthz answer: {self.log.read_text()[-2000:]}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([SPOC, *args], env=self.env, capture_output=True, text=True, timeout=120)


@dataclass
class Writers:
    """Threads posting intakes over HTTP; `acknowledged` holds every number answered with 201."""

    acknowledged: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def post_all(self, port: int, token: str, payloads: list[dict], tolerate_errors: bool = False) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        for payload in payloads:
            if self.stop.is_set():
                return
            try:
                conn.request("POST", "/api/v1/cases/intake", body=json.dumps(payload), headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:  # the server went away (mid-answer too):
                # this one was never acknowledged
                if not tolerate_errors:
                    with self.lock:
                        self.failures.append(repr(exc))
                return
            with self.lock:
                if response.status == 201:
                    self.acknowledged.append(json.loads(body)["registration_number"])
                else:
                    self.failures.append(f"{response.status} {body[:200]!r}")

    def run(self, jobs: list[tuple[int, str, list[dict]]], tolerate_errors: bool = False) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.post_all, args=(*job, tolerate_errors), daemon=True) for job in jobs]
        for t in threads:
            t.start()
        return threads

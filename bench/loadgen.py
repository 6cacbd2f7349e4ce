"""Servers and load for the web benchmarks: gunicorn on a free loopback port, a logged-in session,
and a bounded HTTP load (wrk when installed, else Python threads) reporting req/s and percentiles.
Every request goes to 127.0.0.1 only; every run is bounded in time."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn portal.wsgi:app` on 127.0.0.1 in its own process group."""

    def __init__(self, env: dict, workers: int = 2, threads: int = 1, log: Path | None = None):
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.workers, self.threads, self.log = workers, threads, log
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        cmd = [gunicorn, "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        shm = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, off the disk as its documentation advises
        if Path(shm).is_dir():
            cmd += ["--worker-tmp-dir", shm]
        if self.threads > 1:
            cmd += ["-k", "gthread", "--threads", str(self.threads)]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen([*cmd, "portal.wsgi:app"], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True, cwd=str(Path(__file__).resolve().parent.parent))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.log})")
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn gave no /healthz answer in 90 s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.getheaders(), r.read()
    finally:
        conn.close()


def log_in(port: int, email: str, password: str) -> str:
    """Logs in through the form like a browser; returns the Cookie header of the session."""
    cookies: dict[str, str] = {}

    def keep(headers):
        for name, value in headers:
            if name.lower() == "set-cookie":
                k, _, v = value.split(";", 1)[0].partition("=")
                cookies[k.strip()] = v.strip()

    def cookie() -> str:
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    status, headers, body = request(port, "GET", "/login")
    keep(headers)
    token = re.search(rb'<meta name="csrf-token" content="([^"]+)"', body).group(1).decode()
    status, headers, body = request(port, "POST", "/login", urlencode(
        {"email": email, "password": password, "csrf_token": token}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie()})
    keep(headers)
    if status not in (302, 303):
        raise RuntimeError(f"login of {email} failed: {status} {body[:300]!r}")
    return cookie()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def load(port: int, path: str, headers: dict | None = None, seconds: float = 10, connections: int = 16) -> dict:
    """{"rps", "p50_ms", "p99_ms", "requests", "errors", "tool"} for GET path under bounded load."""
    if shutil.which("wrk"):
        return _wrk(port, path, headers or {}, seconds, connections)
    return _threads(port, path, headers or {}, seconds, connections)


def _wrk(port, path, headers, seconds, connections) -> dict:
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{int(seconds)}s", "--latency", "--timeout", "10s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         timeout=seconds + 60).stdout
    pct = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)", out, re.M))
    errors = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": round(_ms(pct["50"]), 2), "p99_ms": round(_ms(pct["99"]), 2),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)), "errors": errors, "tool": "wrk"}


def _threads(port, path, headers, seconds, connections) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                r = conn.getresponse()
                r.read()
                if r.status >= 400:
                    errors[0] += 1
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
            except OSError:
                errors[0] += 1
                conn.close()
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100)
    return {"rps": round(len(latencies) / elapsed, 1), "p50_ms": round(q[49], 2), "p99_ms": round(q[98], 2),
            "requests": len(latencies), "errors": errors[0], "tool": "python threads"}

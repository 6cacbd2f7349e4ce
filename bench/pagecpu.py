"""CPU per request of the main pages in this process, against /healthz in turns (issue 24, item 2).

With gunicorn's sync workers on a CPU-bound machine a page's share of /healthz's rate is about the ratio
of their CPU per request; this measures that ratio with the Flask test client and time.process_time(),
which the other load of a shared machine does not change (wall-clock rates do).

    python bench/pagecpu.py [--cases 10000] [--requests 40] [--turns 3] [--only case,questionnaire]

Each page is requested `requests` times per turn, in `turns` turns with as many /healthz requests before
each; the figure is the median turn's CPU per request. Printed per page: ms of CPU, /healthz's, and
/healthz's CPU divided by the page's (the goal: ≥ 10 %, ≥ 20 % for the inbox). Last line JSON:
{"healthz_cpu_ms", "<page>_cpu_ms", "<page>_cpu_ratio", ...}.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # bench/reports.py vs the package
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

from casedb import PASSWORD, app_for, case_database  # noqa: E402


def logged_in(app, email: str):
    """A test client logged in through the login form, as a browser does."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    if r.status_code not in (302, 303):
        raise SystemExit(f"login of {email} failed: {r.status_code}")
    return client


def _cpu(client, path: str, headers: dict, n: int) -> float:
    """ms of this process's CPU per request of path, over n requests (each must answer 200)."""
    start = time.process_time()
    for _ in range(n):
        r = client.get(path, headers=headers)
        if r.status_code != 200:
            raise SystemExit(f"{path} answered {r.status_code}, not 200")
    return (time.process_time() - start) * 1000 / n


def measure(app, plan: list[tuple[str, str, object, dict]], requests: int = 40, turns: int = 3,
            report=print) -> dict:
    """plan: (name, path, client, headers). Each page in turns with /healthz; the median turn of each."""
    anonymous = app.test_client()
    out: dict = {}
    healthz_all: list[float] = []
    for name, path, client, headers in plan:
        _cpu(client, path, headers, 2)  # templates compiled, caches warm
        ref, mine = [], []
        for _ in range(turns):
            ref.append(_cpu(anonymous, "/healthz", {}, requests))
            mine.append(_cpu(client, path, headers, requests))
        h, p = statistics.median(ref), statistics.median(mine)
        healthz_all += ref
        out[f"{name}_cpu_ms"], out[f"{name}_cpu_ratio"] = round(p, 2), round(h / p, 3)
        report(f"{name:>22} {path[:40]:<40} CPU {p:7.2f} ms a request; /healthz {h:5.2f} ms in turns: "
               f"{h / p:.1%} of /healthz")
    out["healthz_cpu_ms"] = round(statistics.median(healthz_all), 3) if healthz_all else None
    return out


def main() -> None:
    from web import EMAILS, ROLES, api_token, targets

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--turns", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated page names")
    args = ap.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="spoc-pagecpu-") as tmp:
        db = case_database(args.cases, copy_to=Path(tmp) / "web.db")
        url, token = targets(db), api_token(db)
        app = app_for(db)
        clients = {role: logged_in(app, email) for role, email in EMAILS.items()}
        clients["api"] = app.test_client()  # the API by its bearer token, no session
        plan = page_plan(url, token, clients, ROLES)
        if args.only:
            plan = [p for p in plan if p[0] in args.only.split(",")]
        out = measure(app, plan, args.requests, args.turns)
        app.extensions["spoc_db"].dispose()
    print(json.dumps(out))


def page_plan(url: dict, token: str, clients: dict, roles) -> list[tuple[str, str, object, dict]]:
    """The pages of bench/web.py: (name, path, logged-in client, headers)."""
    plan = [("inbox", "/cases/", clients["officer"], {}), ("case", url["case"], clients["officer"], {}),
            ("api_cases", "/api/v1/cases?status=open", clients["api"], {"Authorization": f"Bearer {token}"}),
            ("questionnaire", url["questionnaire"], clients["respondent"], {}),
            ("report", url["report"], clients["secretariat"], {}),
            ("meeting", url["meeting"], clients["head_of_spoc"], {}),
            ("training", url["training"], clients["trainer"], {}),
            ("supervisor_inbox", "/cases/", clients["supervisor"], {})]
    return plan + [(f"dashboard_{role}", "/", clients[role], {}) for role in roles]


if __name__ == "__main__":
    main()

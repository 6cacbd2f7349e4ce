"""Statistics: the Art. 18 figures match a count made here straight from the rows; the dashboard,
its charts and the CSV / XLSX downloads."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter, defaultdict

from openpyxl import load_workbook
from sqlalchemy import select

from casemgmt.models import Case, Message
from casemgmt.services import dedupe, outgoing, workflow
from casemgmt.services.statistics import art18_figures


def _populate(intake, work, officer) -> None:
    rng = random.Random(18)
    for i in range(45):
        country = "NL" if i % 15 == 14 else "BE"
        year = 2025 if i % 10 == 9 else 2026
        urgent = rng.random() < .4
        kw = dict(received_at=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00+00:00",
                  counterpart_country=rng.choice(["DE", "FR", "NL", "PL"]), urgent=urgent,
                  urgency_ground="loss_of_relevance" if urgent else None,
                  information_access=rng.choice(["direct", "indirect"]),
                  direction="out" if rng.random() < .2 else "in", type=rng.choice(["request"] * 5 + ["copy"]))
        case_id, _, _ = intake(country, officer, **kw)
        fate = rng.choice(["open", "reply", "refuse", "partial", "delay", "delay_reply"])
        if fate == "open":
            continue
        if fate.startswith("delay"):
            work(case_id, lambda s, c: outgoing.send_delay_notice(s, c, officer, expected_delay_days=5, reasons="judge"))
            if fate == "delay":
                continue
        if fate in ("refuse", "partial"):
            grounds = rng.sample(list("abcdefgh"), rng.randint(1, 3))
            work(case_id, lambda s, c, g=grounds, f=fate: outgoing.refuse(
                s, c, officer, grounds=g, justification="law", partial=f == "partial", body="part", handling_code="H0"))
            continue
        work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=c.urgent, urgency_ground=c.urgency_ground,
                                                     information_access=c.information_access))
        work(case_id, lambda s, c: workflow.record_cross_check(s, c, officer))
        work(case_id, lambda s, c: outgoing.send_reply(s, c, officer, body="x", handling_code="H0", justification="y"))
    # a duplicate registered twice and merged: counted once
    a, _, _ = intake("BE", officer, received_at="2026-06-01T10:00:00+00:00", counterpart_country="DE")
    b, _, _ = intake("BE", officer, received_at="2026-06-01T11:00:00+00:00", counterpart_country="DE")
    work(b, lambda s, c: dedupe.merge_case(s, c, s.get(Case, a), officer, "same"))


def _independent_count(db, country: str, year: int) -> dict:
    """Art. 18(1)(a)-(d) counted straight from the rows, without the module's queries."""
    cases = [c for c in db.scalars(select(Case)) if c.country_code == country and c.received_at.year == year
             and c.merged_into_id is None]
    out_msgs = defaultdict(list)
    for m in db.scalars(select(Message)):
        out_msgs[m.case_id].append(m)
    sent = Counter(c.counterpart_country for c in cases if c.direction == "out" and c.request_type == "request")
    received = [c for c in cases if c.direction == "in" and c.request_type == "request"]

    def split(rows):
        by = defaultdict(lambda: {"urgent": 0, "non_urgent": 0})
        for c in rows:
            by[c.counterpart_country]["urgent" if c.urgent else "non_urgent"] += 1
        return {"total": len(rows), "urgent": sum(c.urgent for c in rows),
                "non_urgent": sum(not c.urgent for c in rows), "by_country": dict(by)}

    answered = [c for c in received if any(m.direction == "out" and (m.type == "reply" or
                                                                     (m.type == "refusal" and m.partial_refusal))
                                           for m in out_msgs[c.id])]
    refused = [c for c in received if any(m.type == "refusal" for m in out_msgs[c.id])]
    by_ground, by_cg = Counter(), defaultdict(Counter)
    for c in refused:
        grounds = {g for m in out_msgs[c.id] if m.type == "refusal" for g in m.refusal_grounds}
        for g in grounds:
            by_ground[g] += 1
            by_cg[c.counterpart_country][g] += 1
    deviations = Counter(c.counterpart_country for c in received
                         if any(m.type == "delay_notice" for m in out_msgs[c.id]))
    return {"year": year, "country": country,
            "requests_sent": {"total": sum(sent.values()), "by_country": dict(sent)},
            "requests_received": split(received), "requests_answered": split(answered),
            "refusals": {"total": len(refused), "by_country": dict(Counter(c.counterpart_country for c in refused)),
                         "by_ground": dict(by_ground), "by_country_and_ground": {k: dict(v) for k, v in by_cg.items()}},
            "deadline_deviations_art5_2": {"total": sum(deviations.values()), "by_country": dict(deviations)}}


def test_art18_figures_match_an_independent_count(intake, work, officer, db, api, make_user):
    _populate(intake, work, officer)
    db.rollback()
    for year in (2025, 2026):
        expected = _independent_count(db, "BE", year)
        assert expected["requests_received"]["total"] > 0
        assert art18_figures(db, "BE", year) == expected
        assert api(make_user("head_of_spoc", "BE")).get(f"/api/v1/statistics/art18?year={year}").get_json() == expected
    assert _independent_count(db, "BE", 2026)["refusals"]["total"] > 0
    assert _independent_count(db, "BE", 2026)["deadline_deviations_art5_2"]["total"] > 0


def test_art18_page_and_downloads(intake, work, officer, login_as):
    _populate(intake, work, officer)
    client, _ = login_as("supervisor", "BE")
    page = client.get("/cases/statistics/art18?year=2026").get_data(as_text=True)
    assert "Received and answered" in page and "Art. 5(2) deviations" in page
    rows = list(csv.reader(io.StringIO(client.get("/cases/statistics/art18.csv?year=2026").data.decode("utf-8-sig"))))
    assert ["Requests sent"] in rows and ["Refusals"] in rows
    wb = load_workbook(io.BytesIO(client.get("/cases/statistics/art18.xlsx?year=2026").data))
    assert wb.sheetnames == ["Requests sent", "Received and answered", "Refusals", "Art. 5(2) deviations"]
    refusals = list(wb["Refusals"].iter_rows(values_only=True))
    assert refusals[0][:3] == ("requesting country", "refusals", "ground (a)") and refusals[-1][0] == "total"


def test_dashboard_with_charts_and_data_tables(intake, work, officer, login_as, db):
    _populate(intake, work, officer)
    client, _ = login_as("officer", "BE")
    page = client.get("/cases/statistics?year=2026").get_data(as_text=True)
    assert 'alt="Cases by channel, 2026: SIENA:' in page
    assert "Time to reply" in page and "Deadline compliance" in page
    png = client.get("/cases/statistics/chart.png?name=compliance&year=2026")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    assert client.get("/cases/statistics/chart.png?name=nothing").status_code == 404
    db.rollback()
    counts = Counter((c.country_code, c.received_at.year) for c in db.scalars(select(Case)) if not c.merged_into_id)
    assert f"{counts['BE', 2026]} cases registered" in page
    nl, _ = login_as("officer", "NL")
    assert f"SIENA: {counts['NL', 2026]}." in nl.get("/cases/statistics?year=2026").get_data(as_text=True)



"""Statistics: the Art. 18 figures match a count made here straight from the rows; the dashboard,
its charts and the CSV / XLSX downloads."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pandas
from openpyxl import load_workbook
from sqlalchemy import func, select

from casemgmt.models import Case, Message
from casemgmt.services import dedupe, outgoing, workflow
from casemgmt.services.statistics import art18_figures


def _populate(intake, work, officer) -> None:
    rng = random.Random(18)
    for i in range(45):
        country = "NL" if i % 15 == 14 else "BE"
        year = 2025 if i % 10 == 9 else 2026
        urgent = rng.random() < .4
        kw = dict(received_at=f"{year}-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T10:00:00+00:00",
                  counterpart_country=rng.choice(["DE", "FR", "NL", "PL"]), urgent=urgent,
                  urgency_ground="loss_of_relevance" if urgent else None,
                  information_access=rng.choice(["direct", "indirect"]),
                  direction="out" if rng.random() < .2 else "in", type=rng.choice(["request"] * 5 + ["copy"]),
                  entities=[])  # no cross-check hits to decide before the replies
        # outside the Directive: SIRENE, own national authorities, a third country via INTERPOL, Europol, Denmark
        kw.update(rng.choice([{}, {}, {}, {}, {"channel": "SIRENE"},
                              {"channel": "NATIONAL", "counterpart_country": country,
                               "counterpart_type": "competent_authority"},
                              {"channel": "INTERPOL", "counterpart_country": "US"},
                              {"counterpart_type": "europol"}, {"counterpart_country": "DK"}]))
        case_id, _, _ = intake(country, officer, **kw)
        _fate(work, officer, case_id, rng.choice(["open", "reply", "refuse", "partial", "delay", "delay_reply"]), rng)
    # received at 23:30 UTC on 31 December: already the next year in Brussels
    case_id, _, _ = intake("BE", officer, received_at="2025-12-31T23:30:00+00:00", counterpart_country="FR")
    # a delay notice, then the answer within the limit: no deviation (Art. 18(2)(d) counts late answers only)
    soon = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    case_id, _, _ = intake("BE", officer, received_at=soon.isoformat(), counterpart_country="FR", entities=[])
    _fate(work, officer, case_id, "delay_reply", rng)
    # a duplicate registered twice and merged: counted once
    a, _, _ = intake("BE", officer, received_at="2026-06-01T10:00:00+00:00", counterpart_country="DE")
    b, _, _ = intake("BE", officer, received_at="2026-06-01T11:00:00+00:00", counterpart_country="DE")
    work(b, lambda s, c: dedupe.merge_case(s, c, s.get(Case, a), officer, "same"))


def _fate(work, officer, case_id, fate, rng) -> None:
    if fate == "open" or work(case_id, lambda s, c: c.direction) == "out":
        return
    if fate.startswith("delay"):
        if work(case_id, lambda s, c: not c.legal_clock):
            return
        work(case_id, lambda s, c: outgoing.send_delay_notice(s, c, officer, expected_delay_days=5, reasons="judge"))
        if fate == "delay":
            return
    if fate in ("refuse", "partial"):
        grounds = rng.sample(list("abcdefgh"), rng.randint(1, 3))
        work(case_id, lambda s, c, g=grounds, f=fate: outgoing.refuse(
            s, c, officer, grounds=g, justification="law", partial=f == "partial", body="part", handling_code="H0"))
        return
    work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=c.urgent, urgency_ground=c.urgency_ground,
                                                 information_access=c.information_access))
    work(case_id, lambda s, c: workflow.record_cross_check(s, c, officer))
    work(case_id, lambda s, c: outgoing.send_reply(s, c, officer, body="x", handling_code="H0", justification="y"))


NETWORK_BOUND = {"AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FI", "FR", "DE", "EL", "HU", "IE", "IT", "LV", "LT",
                 "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH"}  # not DK: recital 44


def _independent_count(db, country: str, year: int) -> dict:
    """Art. 18(2)(a)-(d) counted straight from the cases' first messages, by the Directive's definitions,
    without the module's exchange flags: requests with the SPOCs of Member States it binds (not SIRENE,
    INTERPOL, national authorities or Europol), by the year in Brussels; a deviation is a request answered
    after its Art. 5(1) limit after a delay notice."""
    zone = ZoneInfo("Europe/Brussels")
    msgs = defaultdict(list)
    for m in db.scalars(select(Message).order_by(Message.at)):
        msgs[m.case_id].append(m)

    def directive(c):
        first = msgs[c.id][0]
        return (first.channel in ("SIENA", "BILATERAL", "PCCC", "OTHER") and first.counterpart_type == "spoc"
                and first.counterpart_country in NETWORK_BOUND and first.counterpart_country != c.country_code
                and first.type == "request")

    cases = [c for c in db.scalars(select(Case)) if c.country_code == country
             and c.received_at.astimezone(zone).year == year and c.merged_into_id is None and directive(c)]
    sent = Counter(c.counterpart_country for c in cases if c.direction == "out")
    received = [c for c in cases if c.direction == "in"]

    def split(rows):
        by = defaultdict(lambda: {"urgent": 0, "non_urgent": 0})
        for c in rows:
            by[c.counterpart_country]["urgent" if c.urgent else "non_urgent"] += 1
        return {"total": len(rows), "urgent": sum(c.urgent for c in rows),
                "non_urgent": sum(not c.urgent for c in rows), "by_country": dict(by)}

    answered = [c for c in received if any(m.direction == "out" and (m.type == "reply" or
                                                                     (m.type == "refusal" and m.partial_refusal))
                                           for m in msgs[c.id])]
    refused = [c for c in received if any(m.type == "refusal" for m in msgs[c.id])]
    by_ground, by_cg = Counter(), defaultdict(Counter)
    for c in refused:
        grounds = {g for m in msgs[c.id] if m.type == "refusal" for g in m.refusal_grounds}
        for g in grounds:
            by_ground[g] += 1
            by_cg[c.counterpart_country][g] += 1

    def deviation(c):
        limit = dt.timedelta(hours=(8 if c.information_access == "direct" else 72) if c.urgent else 168)
        answers = [m.at for m in msgs[c.id] if m.type in ("reply", "refusal")]
        notice = any(m.type == "delay_notice" for m in msgs[c.id])
        return notice and bool(answers) and min(answers) > c.received_at + limit

    deviations = Counter(c.counterpart_country for c in received if deviation(c))
    return {"year": year, "country": country,
            "requests_sent": {"total": sum(sent.values()), "by_country": dict(sent)},
            "requests_received": split(received), "requests_answered": split(answered),
            "refusals": {"total": len(refused), "by_country": dict(Counter(c.counterpart_country for c in refused)),
                         "by_ground": dict(by_ground), "by_country_and_ground": {k: dict(v) for k, v in by_cg.items()}},
            "deadline_deviations_art5_2": {"total": sum(deviations.values()), "by_country": dict(deviations)}}


def _sorted(figures: dict) -> dict:
    return json.loads(json.dumps(figures, sort_keys=True))


def test_art18_figures_match_an_independent_count(intake, work, officer, db, api, make_user):
    _populate(intake, work, officer)
    db.rollback()
    for year in (2025, 2026):
        expected = _independent_count(db, "BE", year)
        assert expected["requests_received"]["total"] > 0
        assert _sorted(art18_figures(db, "BE", year)) == _sorted(expected)
        got = api(make_user("head_of_spoc", "BE")).get(f"/api/v1/statistics/art18?year={year}").get_json()
        assert _sorted(got) == _sorted(expected)
    assert _independent_count(db, "BE", 2026)["refusals"]["total"] > 0
    assert _independent_count(db, "BE", 2026)["deadline_deviations_art5_2"]["total"] > 0
    # what the Directive leaves out was registered, and is not counted
    outside = db.scalar(select(func.count(Case.id)).where(Case.legal_framework != "2023/977"))
    assert outside >= 5


def test_art18_page_and_downloads(intake, work, officer, login_as, db):
    _populate(intake, work, officer)
    client, _ = login_as("supervisor", "BE")
    page = client.get("/cases/statistics/art18?year=2026").get_data(as_text=True)
    assert "Received and answered" in page and "Art. 5(2) deviations" in page
    download = client.get("/cases/statistics/art18.csv?year=2026")
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    frame = pandas.read_csv(io.BytesIO(download.data), encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == ["figure", "country", "urgency", "ground", "count"]
    figures = art18_figures(db, "BE", 2026)
    received = frame[frame.figure == "requests_received"]
    assert received["count"].sum() == figures["requests_received"]["total"] > 0
    assert frame[frame.figure == "refusals"]["count"].sum() == sum(figures["refusals"]["by_ground"].values())
    wb = load_workbook(io.BytesIO(client.get("/cases/statistics/art18.xlsx?year=2026").data))
    assert wb.sheetnames == ["Requests sent", "Received and answered", "Refusals", "Art. 5(2) deviations"]
    refusals = list(wb["Refusals"].iter_rows(values_only=True))
    assert refusals[0][:3] == ("requesting country", "refusals", "ground (a)") and refusals[-1][0] == "total"
    received = [row[0] for row in wb["Received and answered"].iter_rows(min_row=2, values_only=True)]
    # countries by name for the Council's readers, each with its code
    assert {f"{name} ({code})" for code, name in (("DE", "Germany"), ("FR", "France"))
            if code in figures["requests_received"]["by_country"]} <= set(received)
    assert all(r == "total" or r.endswith(")") for r in received)


def test_dashboard_with_charts_and_data_tables(intake, work, officer, login_as, db):
    _populate(intake, work, officer)
    client, _ = login_as("officer", "BE")
    page = client.get("/cases/statistics?year=2026").get_data(as_text=True)
    assert 'alt="Cases by channel, 2026: ' in page
    assert "Time to reply" in page and "Deadline compliance" in page
    png = client.get("/cases/statistics/chart.png?name=compliance&year=2026")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    assert client.get("/cases/statistics/chart.png?name=nothing").status_code == 404
    db.rollback()
    counts = Counter((c.country_code, c.received_at.year) for c in db.scalars(select(Case)) if not c.merged_into_id)
    assert f"{counts['BE', 2026]} cases registered" in page
    siena = Counter((c.country_code, c.received_at.year) for c in db.scalars(select(Case))
                    if not c.merged_into_id and c.channel == "SIENA")
    nl, _ = login_as("officer", "NL")
    nl_page = nl.get("/cases/statistics?year=2026").get_data(as_text=True)
    assert f"{counts['NL', 2026]} cases registered" in nl_page
    assert (f"SIENA: {siena['NL', 2026]}" in nl_page) == (siena["NL", 2026] > 0)



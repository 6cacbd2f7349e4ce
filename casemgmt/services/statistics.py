"""Figures of a SPOC: the dashboard (by channel, type, counterpart, urgency, time to reply, deadline
compliance) with its charts, and the Art. 18 annual figures for the Commission."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from casemgmt.models import Case, Exchange, Message


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)


def _cases(country_code: str, year: int):
    start, end = year_bounds(year)
    # a merged case is the same matter as its target: counted once, there
    return and_(Case.country_code == country_code, Case.received_at >= start, Case.received_at < end,
                Case.merged_into_id.is_(None))


def spoc_year_bounds(country_code: str, year: int) -> tuple[dt.datetime, dt.datetime]:
    """A calendar year in the SPOC's own time zone, as UTC bounds (Art. 18 counts per year there)."""
    from zoneinfo import ZoneInfo

    from portal.directory.reference import SPOC_TIME_ZONES

    zone = ZoneInfo(SPOC_TIME_ZONES.get(country_code, "UTC"))
    return (dt.datetime(year, 1, 1, tzinfo=zone).astimezone(dt.UTC),
            dt.datetime(year + 1, 1, 1, tzinfo=zone).astimezone(dt.UTC))


def _directive_exchanges(country_code: str, year: int):
    """Art. 18(2): exchanges under Directive (EU) 2023/977 with the other Member States it binds, by the
    year of receipt (or sending) in the SPOC's time zone; a confirmed duplicate and a merged case count
    once, where they were merged."""
    start, end = spoc_year_bounds(country_code, year)
    return and_(Exchange.country_code == country_code, Exchange.legal_framework == "2023/977",
                Exchange.counterpart_kind == "member_state", Exchange.received_at >= start,
                Exchange.received_at < end, Exchange.duplicate_of_id.is_(None), Exchange.type == "request",
                Case.id == Exchange.case_id, Case.merged_into_id.is_(None))


def art18_figures(session: Session, country_code: str, year: int) -> dict:
    """Art. 18(2)(a)-(d) of Directive (EU) 2023/977 for one year:
    (a) requests sent, by requested Member State; (b) requests received and answered, urgent or not,
    by requesting Member State ("answered": information provided, by a reply or a partial refusal);
    (c) refusals by requesting Member State and Art. 6 ground (a refusal counts once per ground);
    (d) Art. 5(2) deviations: requests answered after the Art. 5(1) limit because a judicial
    authorisation had to be obtained (a delay notice was given), by requesting Member State."""
    base = _directive_exchanges(country_code, year)
    incoming = and_(base, Exchange.direction == "in")
    # (a), (b) and (d) from one grouped pass over the year's exchanges (five passes before)
    sent: dict[str, int] = defaultdict(int)
    received = {"total": 0, "urgent": 0, "non_urgent": 0, "by_country": {}}
    answered = {"total": 0, "urgent": 0, "non_urgent": 0, "by_country": {}}
    deviations: dict[str, int] = defaultdict(int)
    rows = session.execute(
        select(Exchange.direction, Exchange.counterpart_country, Exchange.urgent, Exchange.answered,
               Exchange.art5_2_deviation, func.count(Exchange.id)).select_from(Exchange)
        .join(Case, Case.id == Exchange.case_id).where(base)
        .group_by(Exchange.direction, Exchange.counterpart_country, Exchange.urgent, Exchange.answered,
                  Exchange.art5_2_deviation))
    for direction, country, urgent, was_answered, deviation, n in rows:
        if direction == "out":
            sent[str(country)] += n
            continue
        if direction != "in":
            continue
        key = "urgent" if urgent else "non_urgent"
        for split, counts in ((received, True), (answered, was_answered)):
            if counts:
                split["total"] += n
                split[key] += n
                slot = split["by_country"].setdefault(country, {"urgent": 0, "non_urgent": 0})
                slot[key] += n
        if deviation:
            deviations[str(country)] += n
    for split in (received, answered):
        split["by_country"] = dict(sorted(split["by_country"].items()))
    sent, deviations = dict(sorted(sent.items())), dict(sorted(deviations.items()))
    refusals = {"total": 0, "by_country": {}, "by_ground": {}, "by_country_and_ground": {}}
    q = (select(Exchange.id, Exchange.counterpart_country, Message.refusal_grounds).select_from(Exchange)
         .join(Case, Case.id == Exchange.case_id).join(Message, Message.exchange_id == Exchange.id)
         .where(incoming, Exchange.refused, Message.type == "refusal", Message.direction == "out")
         .order_by(Exchange.id, Message.id))
    grounds_by_exchange: dict[int, tuple[str, set]] = {}
    for exchange_id, country, grounds in session.execute(q):
        grounds_by_exchange.setdefault(exchange_id, (country, set()))[1].update(grounds or [])
    for country, grounds in grounds_by_exchange.values():
        refusals["total"] += 1
        refusals["by_country"][country] = refusals["by_country"].get(country, 0) + 1
        per = refusals["by_country_and_ground"].setdefault(country, {})
        for g in sorted(grounds):
            refusals["by_ground"][g] = refusals["by_ground"].get(g, 0) + 1
            per[g] = per.get(g, 0) + 1
    for key in ("by_country", "by_ground", "by_country_and_ground"):
        refusals[key] = dict(sorted(refusals[key].items()))
    return {
        "year": year,
        "country": country_code,
        "requests_sent": {"total": sum(sent.values()), "by_country": sent},
        "requests_received": received,
        "requests_answered": answered,
        "refusals": refusals,
        "deadline_deviations_art5_2": {"total": sum(deviations.values()), "by_country": deviations},
    }


def art18_table(figures: dict) -> tuple[list[str], list[list]]:
    """The figures as one tidy table (figure, country, urgency, ground, count): the CSV pandas reads."""
    header = ["figure", "country", "urgency", "ground", "count"]
    rows: list[list] = []
    for country, n in figures["requests_sent"]["by_country"].items():
        rows.append(["requests_sent", country, "", "", n])
    for key in ("requests_received", "requests_answered"):
        for country, split in figures[key]["by_country"].items():
            for urgency in ("urgent", "non_urgent"):
                rows.append([key, country, urgency, "", split[urgency]])
    for country, per in figures["refusals"]["by_country_and_ground"].items():
        for ground, n in per.items():
            rows.append(["refusals", country, "", ground, n])
    for country, n in figures["deadline_deviations_art5_2"]["by_country"].items():
        rows.append(["deadline_deviations_art5_2", country, "", "", n])
    return header, rows


def _named(code: str) -> str:
    """A country as a reader of the Council's tables expects it: its name, with its code (Germany (DE))."""
    from casemgmt.services.frameworks import country_name

    name = country_name(code)
    return f"{name} ({code})" if name and name != code else code


def art18_rows(figures: dict) -> dict[str, tuple[list[str], list[list]]]:
    """The figures as sheets {title: (header, rows)} for the page and the XLSX (countries by name)."""
    sheets = _art18_sheets(figures)
    return {title: (header, [[_named(r[0]) if r[0] != "total" else r[0], *r[1:]] for r in rows])
            for title, (header, rows) in sheets.items()}


def _art18_sheets(figures: dict) -> dict[str, tuple[list[str], list[list]]]:
    rec, ans = figures["requests_received"], figures["requests_answered"]
    countries = sorted(set(rec["by_country"]) | set(ans["by_country"]))
    zero = {"urgent": 0, "non_urgent": 0}
    received = [[c, rec["by_country"].get(c, zero)["urgent"], rec["by_country"].get(c, zero)["non_urgent"],
                 ans["by_country"].get(c, zero)["urgent"], ans["by_country"].get(c, zero)["non_urgent"]]
                for c in countries]
    received.append(["total", rec["urgent"], rec["non_urgent"], ans["urgent"], ans["non_urgent"]])
    grounds = "abcdefgh"
    ref = figures["refusals"]
    refused = [[c, n, *[ref["by_country_and_ground"].get(c, {}).get(g, 0) for g in grounds]]
               for c, n in ref["by_country"].items()]
    refused.append(["total", ref["total"], *[ref["by_ground"].get(g, 0) for g in grounds]])
    sent = [[c, n] for c, n in figures["requests_sent"]["by_country"].items()]
    sent.append(["total", figures["requests_sent"]["total"]])
    dev = [[c, n] for c, n in figures["deadline_deviations_art5_2"]["by_country"].items()]
    dev.append(["total", figures["deadline_deviations_art5_2"]["total"]])
    return {
        "Requests sent": (["requested country", "requests sent"], sent),
        "Received and answered": (["requesting country", "received urgent", "received non-urgent",
                                   "answered urgent", "answered non-urgent"], received),
        "Refusals": (["requesting country", "refusals", *[f"ground ({g})" for g in grounds]], refused),
        "Art. 5(2) deviations": (["requesting country", "deviations"], dev),
    }


def _seconds_between(session: Session, start, end):
    """end - start in seconds, computed by the database (no datetime made per row in Python)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def _sorted_counts(counts: dict) -> dict[str, int]:
    """As ORDER BY the column gave them (SQLite: NULL first), NULL written "unknown"."""
    return {str(k) if k is not None else "unknown": counts[k]
            for k in sorted(counts, key=lambda k: (k is not None, k if k is not None else ""))}



def _reply_label(urgent, access) -> str:
    return ("urgent, direct" if access == "direct" else "urgent, indirect") if urgent else "not urgent"


def _reply_label_filter(label: str):
    from sqlalchemy import or_

    if label == "not urgent":
        return ~Case.urgent
    if label == "urgent, direct":
        return and_(Case.urgent, Case.information_access == "direct")
    return and_(Case.urgent, or_(Case.information_access != "direct", Case.information_access.is_(None)))


def dashboard(session: Session, country_code: str, year: int, now: dt.datetime) -> dict:
    """The year's figures off the covering index ix_cases_statistics, without a row per case in
    Python: one grouped count (every count of the page, the number and the longest of the reply
    times; a few hundred groups), then each median reply time picked by the database (the middle
    one or two of the sorted times). Before: six grouped queries, each reading the year's rows from the
    table (issue 24; bench/scale.py). Equal to a plain count: tests/casemgmt/test_statistics_plain.py."""
    from sqlalchemy import case as when
    from sqlalchemy import literal_column

    base = _cases(country_code, year)
    incoming = and_(Case.direction == "in", Case.request_type == "request")
    state = when((~incoming, literal_column("NULL")),
                 (Case.replied_at.is_not(None), when((Case.deadline_met, "met"), else_="late")),
                 (Case.status.in_(("closed", "archived")), literal_column("NULL")),
                 (Case.due_at < now, "open_overdue"), else_="open_in_time")
    seconds = _seconds_between(session, Case.received_at, Case.replied_at)
    reply = when((and_(incoming, Case.replied_at.is_not(None)), seconds))
    columns = (Case.channel, Case.request_type, Case.counterpart_country, Case.urgent, Case.information_access,
               state.label("state"))
    by_channel: dict = defaultdict(int)
    by_type: dict = defaultdict(int)
    by_counterpart: dict = defaultdict(int)
    urgency_class: dict[str, int] = {}
    compliance = {"met": 0, "late": 0, "open_overdue": 0, "open_in_time": 0}
    answered: dict[str, int] = defaultdict(int)
    longest: dict[str, float] = {}
    total = 0
    for channel, request_type, counterpart, urgent, access, how, n, replies, most in session.execute(
            select(*columns, func.count(), func.count(reply), func.max(reply)).where(base).group_by(*columns)):
        total += n
        by_channel[channel] += n
        by_type[request_type] += n
        by_counterpart[counterpart] += n
        label = ("urgent, direct access" if access == "direct" else "urgent, indirect access") if urgent \
            else "not urgent"
        urgency_class[label] = urgency_class.get(label, 0) + n
        if how is not None:
            compliance[how] += n
        if replies:
            short = _reply_label(urgent, access)
            answered[short] += replies
            longest[short] = max(longest.get(short, float(most)), float(most))
    reply_times = {}
    for label in sorted(answered):
        n = answered[label]
        middle = [round(float(v), 3) / 3600 for v in session.scalars(
            select(seconds).where(base, incoming, Case.replied_at.is_not(None), _reply_label_filter(label))
            .order_by(seconds).limit(1 if n % 2 else 2).offset((n - 1) // 2))]
        reply_times[label] = {"answered": n, "median_hours": round(sum(middle) / len(middle), 1),
                              "max_hours": round(round(longest[label], 3) / 3600, 1)}
    return {
        "year": year,
        "total": total,
        "by_channel": _sorted_counts(by_channel),
        "by_type": _sorted_counts(by_type),
        "by_counterpart": _sorted_counts(by_counterpart),
        "by_urgency": dict(sorted(urgency_class.items())),
        "reply_times": reply_times,
        "compliance": compliance,
    }


CHARTS = {"channel": ("by_channel", "Cases by channel"), "type": ("by_type", "Cases by type of first message"),
          "counterpart": ("by_counterpart", "Cases by counterpart country"),
          "urgency": ("by_urgency", "Cases by urgency"), "compliance": ("compliance", "Deadline compliance")}


def chart_png(figures: dict, name: str) -> bytes:
    """A bar chart of one dashboard figure (matplotlib, Agg backend: no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    key, title = CHARTS[name]
    data = figures[key]
    labels = [k.replace("_", " ") for k in data]
    fig = Figure(figsize=(6, 3.2), dpi=100)
    ax = fig.add_subplot()
    bars = ax.bar(labels, list(data.values()), color="#0d6efd")
    ax.bar_label(bars)
    ax.set_title(f"{title}, {figures['year']}")
    ax.set_ylabel("cases")
    ax.tick_params(axis="x", labelrotation=30 if len(labels) > 4 else 0, labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def chart_alt(figures: dict, name: str) -> str:
    key, title = CHARTS[name]
    data = figures[key]
    parts = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in data.items()) or "no cases"
    return f"{title}, {figures['year']}: {parts}."

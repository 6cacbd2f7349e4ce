"""Figures of a SPOC: the dashboard (by channel, type, counterpart, urgency, time to reply, deadline
compliance) with its charts, and the Art. 18 annual figures for the Commission."""

from __future__ import annotations

import datetime as dt
import io
import statistics as pystats
from collections import defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from casemgmt.models import Case, Message


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)


def _cases(country_code: str, year: int):
    start, end = year_bounds(year)
    # a merged case is the same matter as its target: counted once, there
    return and_(Case.country_code == country_code, Case.received_at >= start, Case.received_at < end,
                Case.merged_into_id.is_(None))


def _grouped(session: Session, column, where) -> dict[str, int]:
    rows = session.execute(select(column, func.count(Case.id)).where(where).group_by(column).order_by(column))
    return {str(k) if k is not None else "unknown": n for k, n in rows}


def _split(session: Session, where) -> dict:
    rows = session.execute(select(Case.counterpart_country, Case.urgent, func.count(Case.id)).where(where)
                           .group_by(Case.counterpart_country, Case.urgent))
    out = {"total": 0, "urgent": 0, "non_urgent": 0, "by_country": {}}
    for country, urgent, n in rows:
        key = "urgent" if urgent else "non_urgent"
        out["total"] += n
        out[key] += n
        slot = out["by_country"].setdefault(country or "unknown", {"urgent": 0, "non_urgent": 0})
        slot[key] += n
    out["by_country"] = dict(sorted(out["by_country"].items()))
    return out


def art18_figures(session: Session, country_code: str, year: int) -> dict:
    """Art. 18(1)(a)-(d) for one year of receipt. 'Answered' means information was provided
    (a reply or a partial refusal); a refusal counts once per ground it cites."""
    base = _cases(country_code, year)
    incoming = and_(base, Case.direction == "in", Case.request_type == "request")
    sent = _grouped(session, Case.counterpart_country,
                    and_(base, Case.direction == "out", Case.request_type == "request"))
    refusals = {"total": 0, "by_country": {}, "by_ground": {}, "by_country_and_ground": {}}
    q = (select(Case.id, Case.counterpart_country, Message.refusal_grounds)
         .join(Message, Message.case_id == Case.id)
         .where(incoming, Case.refused, Message.type == "refusal", Message.direction == "out")
         .order_by(Case.id, Message.id))
    grounds_by_case: dict[int, tuple[str, set]] = {}
    for case_id, country, grounds in session.execute(q):
        grounds_by_case.setdefault(case_id, (country or "unknown", set()))[1].update(grounds or [])
    for country, grounds in grounds_by_case.values():
        refusals["total"] += 1
        refusals["by_country"][country] = refusals["by_country"].get(country, 0) + 1
        per = refusals["by_country_and_ground"].setdefault(country, {})
        for g in sorted(grounds):
            refusals["by_ground"][g] = refusals["by_ground"].get(g, 0) + 1
            per[g] = per.get(g, 0) + 1
    for key in ("by_country", "by_ground", "by_country_and_ground"):
        refusals[key] = dict(sorted(refusals[key].items()))
    deviations = _grouped(session, Case.counterpart_country, and_(incoming, Case.art5_2_deviation))
    return {
        "year": year,
        "country": country_code,
        "requests_sent": {"total": sum(sent.values()), "by_country": sent},
        "requests_received": _split(session, incoming),
        "requests_answered": _split(session, and_(incoming, Case.answered)),
        "refusals": refusals,
        "deadline_deviations_art5_2": {"total": sum(deviations.values()), "by_country": deviations},
    }


def art18_rows(figures: dict) -> dict[str, tuple[list[str], list[list]]]:
    """The figures as sheets {title: (header, rows)} for CSV / XLSX."""
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


def dashboard(session: Session, country_code: str, year: int, now: dt.datetime) -> dict:
    base = _cases(country_code, year)
    urgency_class = {}
    for urgent, access, n in session.execute(select(Case.urgent, Case.information_access, func.count(Case.id))
                                             .where(base).group_by(Case.urgent, Case.information_access)):
        label = ("urgent, direct access" if access == "direct" else "urgent, indirect access") if urgent \
            else "not urgent"
        urgency_class[label] = urgency_class.get(label, 0) + n
    incoming = and_(base, Case.direction == "in", Case.request_type == "request")
    hours: dict[str, list[float]] = defaultdict(list)
    compliance = {"met": 0, "late": 0, "open_overdue": 0, "open_in_time": 0}
    for urgent, access, received, replied, due, met, status in session.execute(
            select(Case.urgent, Case.information_access, Case.received_at, Case.replied_at, Case.due_at,
                   Case.deadline_met, Case.status).where(incoming)):
        label = ("urgent, direct" if access == "direct" else "urgent, indirect") if urgent else "not urgent"
        if replied is not None:
            hours[label].append((replied - received).total_seconds() / 3600)
            compliance["met" if met else "late"] += 1
        elif status not in ("closed", "archived"):
            compliance["open_overdue" if due < now else "open_in_time"] += 1
    reply_times = {k: {"answered": len(v), "median_hours": round(pystats.median(v), 1),
                       "max_hours": round(max(v), 1)} for k, v in sorted(hours.items())}
    return {
        "year": year,
        "total": session.scalar(select(func.count(Case.id)).where(base)) or 0,
        "by_channel": _grouped(session, Case.channel, base),
        "by_type": _grouped(session, Case.request_type, base),
        "by_counterpart": _grouped(session, Case.counterpart_country, base),
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

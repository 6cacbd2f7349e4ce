"""Figures of a SPOC: the dashboard (by channel, type, counterpart, urgency, time to reply, deadline
compliance) with its charts, and the Art. 18 annual figures for the Commission."""

from __future__ import annotations

import datetime as dt
import io
import statistics as pystats
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


def _grouped(session: Session, column, where) -> dict[str, int]:
    rows = session.execute(select(column, func.count(Case.id)).where(where).group_by(column).order_by(column))
    return {str(k) if k is not None else "unknown": n for k, n in rows}


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


def _by_country(session: Session, where) -> dict[str, int]:
    rows = session.execute(select(Exchange.counterpart_country, func.count(Exchange.id)).select_from(Exchange)
                           .join(Case, Case.id == Exchange.case_id).where(where)
                           .group_by(Exchange.counterpart_country).order_by(Exchange.counterpart_country))
    return {str(k): n for k, n in rows}


def _urgency_split(session: Session, where) -> dict:
    rows = session.execute(select(Exchange.counterpart_country, Exchange.urgent, func.count(Exchange.id))
                           .select_from(Exchange).join(Case, Case.id == Exchange.case_id).where(where)
                           .group_by(Exchange.counterpart_country, Exchange.urgent))
    out = {"total": 0, "urgent": 0, "non_urgent": 0, "by_country": {}}
    for country, urgent, n in rows:
        key = "urgent" if urgent else "non_urgent"
        out["total"] += n
        out[key] += n
        slot = out["by_country"].setdefault(country, {"urgent": 0, "non_urgent": 0})
        slot[key] += n
    out["by_country"] = dict(sorted(out["by_country"].items()))
    return out


def art18_figures(session: Session, country_code: str, year: int) -> dict:
    """Art. 18(2)(a)-(d) of Directive (EU) 2023/977 for one year:
    (a) requests sent, by requested Member State; (b) requests received and answered, urgent or not,
    by requesting Member State ("answered": information provided, by a reply or a partial refusal);
    (c) refusals by requesting Member State and Art. 6 ground (a refusal counts once per ground);
    (d) Art. 5(2) deviations: requests answered after the Art. 5(1) limit because a judicial
    authorisation had to be obtained (a delay notice was given), by requesting Member State."""
    base = _directive_exchanges(country_code, year)
    incoming = and_(base, Exchange.direction == "in")
    sent = _by_country(session, and_(base, Exchange.direction == "out"))
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
    deviations = _by_country(session, and_(incoming, Exchange.art5_2_deviation))
    return {
        "year": year,
        "country": country_code,
        "requests_sent": {"total": sum(sent.values()), "by_country": sent},
        "requests_received": _urgency_split(session, incoming),
        "requests_answered": _urgency_split(session, and_(incoming, Exchange.answered)),
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

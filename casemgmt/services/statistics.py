"""Figures of a SPOC: the dashboard (by channel, type, counterpart, urgency, time to reply, deadline
compliance) with its charts, and the Art. 18 annual figures for the Commission."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from casemgmt.models import Case
from casemgmt.models.case import OPEN_REQUEST_SQL
from portal.enums import N_, label_for, say, translated


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)


def _year(year: int) -> tuple:
    start, end = year_bounds(year)
    return Case.received_at >= start, Case.received_at < end


def spoc_year_bounds(country_code: str, year: int) -> tuple[dt.datetime, dt.datetime]:
    """A calendar year in the SPOC's own time zone, as UTC bounds (Art. 18 counts per year there)."""
    from zoneinfo import ZoneInfo

    from portal.directory.reference import SPOC_TIME_ZONES

    zone = ZoneInfo(SPOC_TIME_ZONES.get(country_code, "UTC"))
    return (dt.datetime(year, 1, 1, tzinfo=zone).astimezone(dt.UTC),
            dt.datetime(year + 1, 1, 1, tzinfo=zone).astimezone(dt.UTC))


def _counted(session: Session, country_code: str, year: int, *figures: str):
    """The maintained counts (casemgmt.services.counts) of a SPOC's year, figure by figure."""
    from casemgmt.models import StatisticsCount as C

    return session.execute(select(C.figure, C.k1, C.k2, C.k3, C.k4, C.k5, C.value, C.count)
                           .where(C.country_code == country_code, C.year == year, C.figure.in_(figures), C.count > 0)
                           .order_by(C.figure, C.k1, C.k2, C.k3, C.k4, C.k5, C.value))


def art18_figures(session: Session, country_code: str, year: int) -> dict:
    """Art. 18(2)(a)-(d) of Directive (EU) 2023/977 for one year:
    (a) requests sent, by requested Member State; (b) requests received and answered, urgent or not,
    by requesting Member State ("answered": information provided, by a reply or a partial refusal);
    (c) refusals by requesting Member State and Art. 6 ground (a refusal counts once per ground);
    (d) Art. 5(2) deviations: requests answered after the Art. 5(1) limit because a judicial
    authorisation had to be obtained (a delay notice was given), by requesting Member State.
    Counted: exchanges under the Directive with the other Member States it binds, requests, by the
    year of receipt (or sending) in the SPOC's time zone; a confirmed duplicate and a merged case count
    once, where they were merged. Read off the maintained counts (casemgmt.services.counts: a few rows
    a year, whatever the size of the folder; issue 24)."""
    sent: dict[str, int] = defaultdict(int)
    received = {"total": 0, "urgent": 0, "non_urgent": 0, "by_country": {}}
    answered = {"total": 0, "urgent": 0, "non_urgent": 0, "by_country": {}}
    deviations: dict[str, int] = defaultdict(int)
    refusals = {"total": 0, "by_country": {}, "by_ground": {}, "by_country_and_ground": {}}
    for figure, k1, k2, _k3, _k4, _k5, _value, n in _counted(session, country_code, year, "a18_sent", "a18_received",
                                                              "a18_answered", "a18_dev", "a18_refused",
                                                              "a18_ground"):
        country = k1 or None
        if figure == "a18_sent":
            sent[str(country)] += n
        elif figure == "a18_dev":
            deviations[str(country)] += n
        elif figure in ("a18_received", "a18_answered"):
            split = received if figure == "a18_received" else answered
            split["total"] += n
            split[k2] += n
            slot = split["by_country"].setdefault(country, {"urgent": 0, "non_urgent": 0})
            slot[k2] += n
        elif figure == "a18_refused":
            refusals["total"] += n
            refusals["by_country"][country] = refusals["by_country"].get(country, 0) + n
            refusals["by_country_and_ground"].setdefault(country, {})
        else:
            refusals["by_ground"][k2] = refusals["by_ground"].get(k2, 0) + n
            per = refusals["by_country_and_ground"].setdefault(country, {})
            per[k2] = per.get(k2, 0) + n
    for split in (received, answered):
        split["by_country"] = dict(sorted(split["by_country"].items()))
    sent, deviations = dict(sorted(sent.items())), dict(sorted(deviations.items()))
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
    # in English in the CSV and XLSX (the Commission's); the page translates the titles and headers (N_)
    return {
        N_("Requests sent"): ([N_("requested country"), N_("requests sent")], sent),
        N_("Received and answered"): ([N_("requesting country"), N_("received urgent"), N_("received non-urgent"),
                                       N_("answered urgent"), N_("answered non-urgent")], received),
        N_("Refusals"): ([N_("requesting country"), N_("refusals"), *GROUND_HEADERS], refused),
        N_("Art. 5(2) deviations"): ([N_("requesting country"), N_("deviations")], dev),
    }


GROUND_HEADERS = [N_("ground (a)"), N_("ground (b)"), N_("ground (c)"), N_("ground (d)"), N_("ground (e)"),
                  N_("ground (f)"), N_("ground (g)"), N_("ground (h)")]  # Art. 6(1)(a)-(h)


def _sorted_counts(counts: dict) -> dict[str, int]:
    """As ORDER BY the column gave them (SQLite: NULL first), NULL written "unknown"."""
    return {str(k) if k is not None else "unknown": counts[k]
            for k in sorted(counts, key=lambda k: (k is not None, k if k is not None else ""))}


def _median_hours(values: list[tuple[float, int]], n: int) -> float:
    """The median of n reply times given as (seconds, how many) in ascending order, in hours."""
    wanted = [(n - 1) // 2] if n % 2 else [n // 2 - 1, n // 2]
    middle, seen = [], 0
    for seconds, k in values:
        while wanted and wanted[0] < seen + k:
            middle.append(seconds / 3600)
            wanted.pop(0)
        seen += k
        if not wanted:
            break
    return round(sum(middle) / len(middle), 1)


def dashboard(session: Session, country_code: str, year: int, now: dt.datetime) -> dict:
    """The year's figures (cases by the UTC year of receipt; a merged case counts once, where it was
    merged): by channel, type of first message, counterpart and urgency; reply times (median and longest)
    and deadline compliance of the incoming requests. Every count off the maintained counts
    (casemgmt.services.counts: a few hundred rows a year, whatever the size of the folder; issue 24) but
    the open, unanswered requests (overdue or in time depends on `now`), counted off their own
    partial index (ix_cases_open_requests). Equal to a plain count: tests/casemgmt/test_statistics_plain.py."""
    from sqlalchemy import case as when

    by_channel: dict = defaultdict(int)
    by_type: dict = defaultdict(int)
    by_counterpart: dict = defaultdict(int)
    urgency_class: dict[str, int] = {}
    compliance = {"met": 0, "late": 0, "open_overdue": 0, "open_in_time": 0}
    replies: dict[str, list[tuple[float, int]]] = defaultdict(list)
    total = 0
    for figure, k1, k2, k3, k4, k5, value, n in _counted(session, country_code, year, "case", "compliance", "reply"):
        if figure == "case":
            total += n
            by_channel[k1 or None] += n
            by_type[k2 or None] += n
            by_counterpart[k3 or None] += n
            label = ("urgent, direct access" if k5 == "direct" else "urgent, indirect access") if k4 else "not urgent"
            urgency_class[label] = urgency_class.get(label, 0) + n
        elif figure == "compliance":
            compliance[k1] += n
        else:
            replies[k1].append((value, n))
    overdue = when((Case.due_at < now, "open_overdue"), else_="open_in_time")
    # the open requests' own partial index (ix_cases_open_requests): its WHERE as literal text
    for how, n in session.execute(
            select(overdue, func.count()).where(Case.country_code == country_code, *_year(year),
                                                text(OPEN_REQUEST_SQL)).group_by(overdue)):
        compliance[how] += n
    reply_times = {}
    for label in sorted(replies):
        values = replies[label]
        n = sum(k for _, k in values)
        reply_times[label] = {"answered": n, "median_hours": _median_hours(values, n),
                              "max_hours": round(values[-1][0] / 3600, 1)}
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


CHARTS = {"channel": ("by_channel", N_("Cases by channel")), "type": ("by_type", N_("Cases by type of first message")),
          "counterpart": ("by_counterpart", N_("Cases by counterpart country")),
          "urgency": ("by_urgency", N_("Cases by urgency")), "compliance": ("compliance", N_("Deadline compliance"))}
# the heading of a chart's table column, as the chart counts them
CHART_COLUMNS = {"channel": N_("Channel"), "type": N_("Type of first message"), "counterpart": N_("Country"),
                 "urgency": N_("Urgency"), "compliance": N_("Outcome")}
# the counted classes as people read them (urgency and reply-time classes, deadline compliance)
CLASS_LABELS = {"unknown": N_("unknown"), "not urgent": N_("not urgent"), "urgent, direct": N_("urgent, direct"),
                "urgent, indirect": N_("urgent, indirect"), "urgent, direct access": N_("urgent, direct access"),
                "urgent, indirect access": N_("urgent, indirect access"), "met": N_("met"), "late": N_("late"),
                "open_overdue": N_("open, overdue"), "open_in_time": N_("open, in time")}


def class_label(name: str, key: str) -> str:
    """A counted class of chart `name` (a channel, a type, a country code, an urgency class) in the reader's
    language, no internal code (issue 19)."""
    from casemgmt.services.frameworks import country_name

    if key in CLASS_LABELS:
        return translated(CLASS_LABELS[key])
    if name == "channel":
        return label_for("Channel", key)
    if name == "type":
        return label_for("MessageType", key)
    if name == "counterpart":
        return country_name(key)
    return translated(key.replace("_", " "))


def chart_rows(figures: dict, name: str) -> list[tuple[str, int]]:
    """(label, count) of one chart, as the page's table and the chart show them."""
    key = CHARTS[name][0]
    return [(class_label(name, k), v) for k, v in figures[key].items()]


def chart_title(figures: dict, name: str) -> str:
    return say("%(title)s, %(year)s", title=translated(CHARTS[name][1]), year=figures["year"])


def chart_png(figures: dict, name: str) -> bytes:
    """A bar chart of one dashboard figure (matplotlib, Agg backend: no display needed), in the reader's language."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    rows = chart_rows(figures, name)
    labels = [label for label, _ in rows]
    fig = Figure(figsize=(6, 3.2), dpi=100)
    ax = fig.add_subplot()
    bars = ax.bar(labels, [n for _, n in rows], color="#0d6efd")
    ax.bar_label(bars)
    ax.set_title(chart_title(figures, name))
    ax.set_ylabel(say("cases"))
    ax.tick_params(axis="x", labelrotation=30 if len(labels) > 4 else 0, labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def chart_alt(figures: dict, name: str) -> str:
    parts = ", ".join(f"{label}: {n}" for label, n in chart_rows(figures, name)) or say("no cases")
    return say("%(title)s: %(parts)s.", title=chart_title(figures, name), parts=parts)

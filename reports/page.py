"""What the report page shows, as plain lists for the templates (no Flask here)."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd

from portal.enums import N_, say, translated
from reports.exports import plain, table_rows
from reports.report import Report, Table


def cell(value, decimals: int | None = None) -> str:
    """A value as a table of the page shows it; a number with `decimals` places when its column has them."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return say("yes") if value else say("no")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if decimals is None else f"{value:.{decimals}f}"
    return str(value)


def decimals_of(values) -> int:
    """The decimal places a column's numbers need (at most 2), so that the column reads alike: 64.0 beside
    64.4, not 64, as the chart beside it prints them."""
    need = 0
    for value in values:
        value = plain(value)
        if isinstance(value, float) and not isinstance(value, bool):
            need = max(need, len(f"{value:.2f}".rstrip("0").partition(".")[2]))
    return need


def cells(rows: list[list]) -> list[list[str]]:
    """The rows of a table as the page shows them, each column's numbers with the same decimal places."""
    places = [decimals_of(column) for column in zip(*rows, strict=True)] if rows else []
    return [[cell(v, places[i]) for i, v in enumerate(r)] for r in rows]


# the columns of the figures summary on the page (its table's own column names; shown translated)
FIGURE_COLUMNS = [N_("Question"), N_("Unit"), N_("Countries answering"), N_("Mean"), N_("Median"), N_("Minimum"),
                  N_("Maximum"), N_("Total")]


def labelled_rows(rows: list[list]) -> list[list]:
    """Rows whose first cell is one of our labels (N_, e.g. the maturity spread's measures), in the reader's language."""
    return [[translated(str(r[0])), *r[1:]] for r in rows]


def table_view(table: Table, columns: list[str] | None = None) -> dict:
    header, rows = table_rows(table)
    if columns is not None:
        keep = [header.index(c) for c in columns if c in header]
        header, rows = [header[i] for i in keep], [[r[i] for i in keep] for r in rows]
    return {"key": table.key, "title": table.title, "note": table.note, "header": header,
            "rows": cells(rows)}


def _share(x) -> str:
    return "" if x is None or pd.isna(x) else f"{x:.0%}"


def question_blocks(report: Report) -> list[dict]:
    """One block per question chart: the chart's key, title and alt text, and its data table."""
    freq = report.tables["frequencies"].frame
    ranks = report.tables["rankings"].frame
    freq_by_q = {q: rows for q, rows in freq.groupby("question", sort=False)}
    ranks_by_q = {q: rows for q, rows in ranks.groupby("question", sort=False)}
    blocks = []
    for spec in report.question_charts:
        qid = spec.key[2:]
        if spec.table == "rankings":
            rows = ranks_by_q[qid]
            header = ["Answer", "Average points", "Ranked first"]
            body = [[r.label, cell(r.points), str(r.first)] for r in rows.itertuples()]
        elif spec.kind == "stacked":
            rows = freq_by_q[qid]
            header = ["Row", "Answer", "Countries", "Share"]
            body = [[r.row, r.label, str(r.countries), _share(r.share)] for r in rows.itertuples()]
        else:
            rows = freq_by_q[qid]
            header = ["Answer", "Countries", "Share"]
            body = [[r.label, str(r.countries), _share(r.share)] for r in rows.itertuples()]
        blocks.append({"key": spec.key, "question": qid, "title": spec.title, "alt": spec.alt, "header": header,
                       "rows": body})
    return blocks


def grouped(frame: pd.DataFrame, by: str, label: str) -> list[tuple[str, list]]:
    """[(group label, [row tuples])] in the frame's order."""
    if frame.empty:
        return []
    return [(str(rows[label].iloc[0]), list(rows.itertuples())) for _, rows in frame.groupby(by, sort=False)]


def capability_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """The heatmap's data as a table: capability rows, country columns, 'yes' / 'no' / '–'."""
    caps = report.tables["capabilities"].frame
    marks = {1.0: say("yes"), 0.0: say("no")}  # in the page's language, as the caption that explains them
    rows = [[k, *(marks.get(caps.at[c, k], "–") for c in caps.index)] for k in caps.columns]
    return list(caps.index), rows


def position_capabilities(position: dict) -> list[list[str]]:
    marks = {True: say("yes"), False: say("no"), None: say("no answer")}  # in the page's language
    return [[c["label"], marks[c["own"]], f"{c['network']} {say('of')} {c['of']}"] for c in position["capabilities"]]


def position_answers(position: dict) -> list[list[str]]:
    return [[a["label"], a["own"], f"{a['same']} {say('of')} {a['answered']}"] for a in position["answers"]]


CLASSIFICATIONS = {"mandatory": N_("mandatory"), "required": N_("required"), "optional": N_("optional")}


def process_rows(rows: list) -> list[list[str]]:
    """A process's steps as the round's page shows them, the derived classification in the page's language."""
    return [[r.step_label, str(r.countries), str(r.mandatory), str(r.required), str(r.optional),
             str(r.automated), str(r.partly_automated), str(r.manual), str(r.in_variants),
             say("common") if r.common else "",
             translated(CLASSIFICATIONS[r.classification]) if r.classification in CLASSIFICATIONS
             else r.classification] for r in rows]


PROCESS_HEADER = [N_("Step"), N_("Countries doing it"), "Always done", "In specific cases", "Optional", "Automated",
                  "Partly automated", "Manual", "In a variant", "Common to all", "Classification (derived)"]


def variant_rows(rows: list) -> list[list[str]]:
    return [[r.variant_label, str(r.countries), r.country_list, r.variant_steps] for r in rows]


def swot_rows(rows: list) -> list[list[str]]:
    return [[r.country, r.strength, r.weakness, r.opportunity, r.threat] for r in rows]


_BODIES: OrderedDict[tuple, tuple[weakref.ref, str]] = OrderedDict()
_BODIES_LOCK = threading.Lock()


def cached_body(report: Report, viewer, render: Callable[[], str], language: str = "en") -> str:
    """The report page's body for this built report and viewer, rendered once: a built report never
    changes (reports.services.round_report builds a new one when an answer changes), so neither does
    its body. About 60 ms of tables and charts' data a page before (bench/web.py). One per language: the
    body's words are the page's."""
    key = (id(report), viewer, language)
    with _BODIES_LOCK:
        found = _BODIES.get(key)
        if found is not None and found[0]() is report:
            _BODIES.move_to_end(key)
            return found[1]
    body = render()
    with _BODIES_LOCK:
        _BODIES[key] = (weakref.ref(report), body)
        while len(_BODIES) > 32:
            _BODIES.popitem(last=False)
    return body

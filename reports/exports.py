"""A report as files: an XLSX workbook (one sheet per table, charts as images), the tidy frame as
CSV, and a DOCX document for a Council working party. Every spreadsheet cell goes through
portal.exports, which neutralises text a spreadsheet would run as a formula."""

from __future__ import annotations

import math
import struct

import numpy as np
import pandas as pd

from portal import exports as writers
from portal.enums import N_, say, translated
from reports.chart_cache import ChartCache
from reports.report import Report, Table
from reports.tables import HEADERS

SHEET_NAMES = {
    "maturity": N_("Maturity"), "maturity_method": N_("Maturity method"), "capabilities": N_("Capabilities"),
    "matrix": N_("Answers by country"), "frequencies": N_("Frequencies"), "rankings": N_("Rankings"),
    "numbers": N_("Figures by country"), "numeric_summary": N_("Figures summary"), "processes": N_("Processes"),
    "process_variants": N_("Process variants"), "common_steps": N_("Common steps"), "swot": N_("SWOT"), "free_text": N_("Free text"), "changes": N_("Change since last round"),
    "trend": N_("Maturity by round"), "maturity_spread": N_("Maturity over the network"), "workload": N_("Workload"),
}
EXTRA_HEADERS = {"measure": N_("Measure"), "value": N_("Maturity index"), "index": N_("Maturity index"), "rank": N_("Rank"), "weight": N_("Weight"), "weight_share": N_("Share of weight (%)"),
                 "scores": N_("What each answer scores"), "step": N_("Step key"), "step_label": N_("Step"),
                 "mandatory": N_("Always done"), "required": N_("In specific cases"), "optional": N_("Optional"),
                 "automated": N_("Automated"), "partly_automated": N_("Partly automated"), "manual": N_("Manual"),
                 "in_variants": N_("In a variant"), "answered": N_("Countries describing the process"),
                 "classification": N_("Classification (derived)"), "common": N_("Common to all"),
                 "variant": N_("Variant key"), "variant_label": N_("Variant"), "country_list": N_("Country list"),
                 "variant_steps": N_("Steps (countries)"), "mandatory_for_all": N_("Always done by all"), "process": N_("Process key"), "process_label": N_("Process"),
                 "strength": N_("Strengths"), "weakness": N_("Weaknesses"), "opportunity": N_("Opportunities"),
                 "threat": N_("Threats"), "maturity_before": N_("Maturity before"), "maturity_now": N_("Maturity now"),
                 "change": N_("Change"), "gained": N_("Capabilities gained"), "lost": N_("Capabilities lost"),
                 "answers_changed": N_("Answers changed")}


def plain(value):
    """A cell value a writer understands: no NaN, no numpy scalars."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def table_rows(table: Table) -> tuple[list[str], list[list]]:
    frame = table.frame
    header = [HEADERS.get(c, EXTRA_HEADERS.get(c, str(c))) for c in frame.columns]
    if table.index:
        header = ["Country", *header]
        rows = [[plain(i), *(plain(v) for v in row)] for i, row in zip(frame.index, frame.itertuples(index=False),
                                                                      strict=True)]
    else:
        rows = [[plain(v) for v in row] for row in frame.itertuples(index=False)]
    return header, rows


LABELLED_TABLES = ("maturity_spread",)  # tables whose first column holds our labels (N_), not answers or names
SHEET_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})  # characters Excel refuses in a sheet's name


def shown_rows(table: Table) -> tuple[list[str], list[list]]:
    """A table's column titles and rows as a document or workbook shows them: the titles and our row labels
    (the maturity spread's measures) in the reader's language."""
    header, rows = table_rows(table)
    if table.key in LABELLED_TABLES:
        rows = [[translated(str(r[0])) if r[0] is not None else None, *r[1:]] for r in rows]
        # the spread's figures are maturity indices, not an answer's value (the shared column title of "value")
        header = [EXTRA_HEADERS.get(c, h) for c, h in zip(table.frame.columns, header, strict=True)]
    return localised(header), rows


def sheet_name(label: str, taken=()) -> str:
    """A label (N_) as a worksheet's name in the reader's language: no character Excel refuses, at most 31
    characters (cut at a word where it can), not starting or ending with an apostrophe, and unlike `taken`."""
    name = translated(label).translate(SHEET_FORBIDDEN).strip().strip("'") or "-"
    if len(name) > 31:
        cut = name[:31]
        name = (cut.rsplit(" ", 1)[0] if " " in cut[10:] else cut).rstrip(" -,")
    base, n = name, 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)].rstrip() + suffix, n + 1
    return name


def localised(header: list[str]) -> list[str]:
    """Column titles (ours, marked N_) in the language of the page, document or answer being made."""
    return [translated(h) for h in header]


def table_records(table: Table) -> tuple[list[dict], list[dict]]:
    """A table as JSON: its columns ({name, title}, the titles the page and the workbook use) and
    one record per row keyed by column name; an index table starts with its country column. The titles are in the
    language of the request (the API: the token's user's, portal/i18n.py::select_locale)."""
    frame = table.frame.rename_axis("country").reset_index() if table.index else table.frame
    names = [str(c) for c in frame.columns]
    header, _ = table_rows(table)
    columns = [{"name": n, "title": t} for n, t in zip(names, localised(header), strict=True)]
    records = [dict(zip(names, (plain(v) for v in row), strict=True)) for row in frame.itertuples(index=False)]
    return columns, records


def _png_height(png: bytes) -> int:
    return struct.unpack(">I", png[20:24])[0] if png[:8] == b"\x89PNG\r\n\x1a\n" else 300


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _charts_sheet(report: Report, pngs: dict[str, bytes]) -> tuple[tuple[list, list], list]:
    """The 'Charts' sheet: each question's chart beside its small data table."""
    freq = report.tables["frequencies"].frame
    ranks = report.tables["rankings"].frame
    rows: list[list] = []
    images = []
    for spec in report.question_charts:
        qid = spec.key[2:]
        start = len(rows) + 2  # the header is row 1
        rows.append([qid, translated(spec.title), None, None])
        if spec.table == "rankings":
            for r in ranks[ranks["question"] == qid].itertuples():
                rows.append([None, r.label, plain(r.points), None])
        else:
            for r in freq[freq["question"] == qid].itertuples():
                label = f"{r.row}: {r.label}" if r.row else r.label
                rows.append([None, label, plain(r.countries), plain(r.share)])
        png = pngs.get(spec.key)
        if png:
            images.append((png, f"F{start}"))
            need = math.ceil(_png_height(png) / 20) + 1
            while len(rows) + 2 - start < need:
                rows.append([None, None, None, None])
        rows.append([None, None, None, None])
    return ([say("Question id"), say("Question / answer"), say("Countries (or points)"), say("Share")], rows), images


def xlsx_report(report: Report, cache: ChartCache, workers: int = 1) -> bytes:
    """One sheet per table (plus 'About' and 'Charts'); heatmap and ranking beside their tables. Written in the
    language of the request, or the one the worker forces (reports/jobs.py)."""
    pngs = cache.get_many(report.charts, "png", workers=workers)
    about = [[say("Report"), report.title], [say("Round"), report.subtitle],
             [say("Countries"), ", ".join(report.countries)], [say("Maturity index method"), report.method],
             [None, None], [say("Sheet"), say("Contents")]]
    sheets: dict[str, tuple[list, list]] = {sheet_name(N_("About this report")): ([say("Item"), say("Value")], about)}
    images: dict[str, list] = {}
    for key, table in report.tables.items():
        name = sheet_name(SHEET_NAMES.get(key, key), sheets)
        about.append([name, translated(table.title) + (f" — {translated(table.note)}" if table.note else "")])
        header, rows = shown_rows(table)
        sheets[name] = (header, rows)
        chart = next((c for c in report.charts if c.table == key and not c.key.startswith("q-")), None)
        if chart is not None and chart.key in pngs:
            images[name] = [(pngs[chart.key], f"{_column_letter(len(header) + 2)}2")]
    if report.question_charts:
        charts = sheet_name(N_("Charts"), sheets)
        about.append([charts, say("A chart per choice question, beside its data")])
        sheets[charts], images[charts] = _charts_sheet(report, pngs)
    return writers.xlsx_bytes(sheets, images=images, marking=report.marking)


def csv_frame(frame: pd.DataFrame) -> bytes:
    """The tidy frame as CSV (formula-safe)."""
    return writers.csv_bytes(list(frame.columns), ([plain(v) for v in row] for row in frame.itertuples(index=False)))

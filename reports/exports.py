"""A report as files: an XLSX workbook (one sheet per table, charts as images), the tidy frame as
CSV, and a DOCX document for a Council working party. Every spreadsheet cell goes through
portal.exports, which neutralises text a spreadsheet would run as a formula."""

from __future__ import annotations

import math
import struct

import numpy as np
import pandas as pd

from portal import exports as writers
from reports.chart_cache import ChartCache
from reports.report import Report, Table
from reports.tables import HEADERS

SHEET_NAMES = {
    "maturity": "Maturity", "maturity_method": "Maturity method", "capabilities": "Capabilities",
    "matrix": "Answers by country", "frequencies": "Frequencies", "rankings": "Rankings",
    "numbers": "Figures by country", "numeric_summary": "Figures summary", "processes": "Processes",
    "process_variants": "Process variants", "common_steps": "Common steps", "swot": "SWOT", "free_text": "Free text", "changes": "Change since last round",
    "trend": "Maturity by round", "maturity_spread": "Maturity over the network",
}
EXTRA_HEADERS = {"measure": "Measure", "value": "Maturity index", "index": "Maturity index", "rank": "Rank", "weight": "Weight", "weight_share": "Share of weight (%)",
                 "scores": "What each answer scores", "step": "Step key", "step_label": "Step",
                 "mandatory": "Always done", "required": "In specific cases", "optional": "Optional",
                 "automated": "Automated", "partly_automated": "Partly automated", "manual": "Manual",
                 "in_variants": "In a variant", "answered": "Countries describing the process",
                 "classification": "Classification (derived)", "common": "Common to all",
                 "variant": "Variant key", "variant_label": "Variant", "country_list": "Country list",
                 "variant_steps": "Steps (countries)", "mandatory_for_all": "Always done by all", "process": "Process key", "process_label": "Process",
                 "strength": "Strengths", "weakness": "Weaknesses", "opportunity": "Opportunities",
                 "threat": "Threats", "maturity_before": "Maturity before", "maturity_now": "Maturity now",
                 "change": "Change", "gained": "Capabilities gained", "lost": "Capabilities lost",
                 "answers_changed": "Answers changed"}


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


def table_records(table: Table) -> tuple[list[dict], list[dict]]:
    """A table as JSON: its columns ({name, title}, the titles the page and the workbook use) and
    one record per row keyed by column name; an index table starts with its country column."""
    frame = table.frame.rename_axis("country").reset_index() if table.index else table.frame
    names = [str(c) for c in frame.columns]
    header, _ = table_rows(table)
    columns = [{"name": n, "title": t} for n, t in zip(names, header, strict=True)]
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
        rows.append([qid, spec.title, None, None])
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
    return (["Question id", "Question / answer", "Countries (or points)", "Share"], rows), images


def xlsx_report(report: Report, cache: ChartCache, workers: int = 1) -> bytes:
    """One sheet per table (plus 'About' and 'Charts'); heatmap and ranking beside their tables."""
    pngs = cache.get_many(report.charts, "png", workers=workers)
    about = [["Report", report.title], ["Round", report.subtitle], ["Countries", ", ".join(report.countries)],
             ["Maturity index method", report.method], [None, None], ["Sheet", "Contents"]]
    sheets: dict[str, tuple[list, list]] = {"About": (["Item", "Value"], about)}
    images: dict[str, list] = {}
    for key, table in report.tables.items():
        name = SHEET_NAMES.get(key, key)
        about.append([name, table.title + (f" — {table.note}" if table.note else "")])
        header, rows = table_rows(table)
        sheets[name] = (header, rows)
        chart = next((c for c in report.charts if c.table == key and not c.key.startswith("q-")), None)
        if chart is not None and chart.key in pngs:
            images[name] = [(pngs[chart.key], f"{_column_letter(len(header) + 2)}2")]
    if report.question_charts:
        about.append(["Charts", "A chart per choice question, beside its data"])
        sheets["Charts"], images["Charts"] = _charts_sheet(report, pngs)
    return writers.xlsx_bytes(sheets, images=images, marking=report.marking)


def csv_frame(frame: pd.DataFrame) -> bytes:
    """The tidy frame as CSV (formula-safe)."""
    return writers.csv_bytes(list(frame.columns), ([plain(v) for v in row] for row in frame.itertuples(index=False)))

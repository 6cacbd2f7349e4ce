"""The report as a DOCX document for a Council working party: the maturity ranking with its method,
the capability heatmap, a chart and table per choice question, figures, processes, SWOT and free
text. Every picture carries its alt text (the document's accessibility description)."""

from __future__ import annotations

import io

import pandas as pd

from portal import exports as writers
from reports.chart_cache import ChartCache
from reports.exports import plain, table_rows
from reports.report import Report, Table


def _picture(doc, png: bytes, alt: str, width_in: float = 6.3) -> None:
    from docx.shared import Inches

    shape = doc.add_picture(io.BytesIO(png), width=Inches(width_in))
    shape._inline.docPr.set("descr", alt)  # read out by screen readers in word processors
    caption = doc.add_paragraph(alt)
    caption.style = "Caption"


def _table(doc, table: Table, columns: list[str] | None = None) -> None:
    header, rows = table_rows(table)
    if columns is not None:
        keep = [header.index(c) for c in columns]
        header, rows = [header[i] for i in keep], [[r[i] for i in keep] for r in rows]
    writers.docx_table(doc, header, [["" if v is None else _fmt(v) for v in r] for r in rows])


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _capability_summary(caps: pd.DataFrame) -> tuple[list[str], list[list]]:
    rows = []
    for k in caps.columns:
        col = caps[k]
        rows.append([k, int((col == 1).sum()), int((col == 0).sum()), int(col.isna().sum()),
                     ", ".join(c for c in caps.index if col[c] == 1)])
    return ["Capability", "In place", "Not in place", "No answer", "Countries with it"], rows


def docx_report(report: Report, cache: ChartCache, workers: int = 1) -> bytes:
    pngs = cache.get_many(report.charts, "png", workers=workers)
    doc = writers.docx_document(report.title, report.subtitle)
    doc.add_paragraph(
        f"Comparative report on the answers of {len(report.countries)} countries "
        f"({', '.join(report.countries)}). Every figure below is derived from the submitted answers; "
        "each chart is followed by its description and its data.")
    t = report.tables

    doc.add_heading("1. Maturity index", level=1)
    doc.add_paragraph(report.method or "The questionnaire defines no maturity index.")
    _table(doc, t["maturity_method"], ["Question", "Weight", "What each answer scores"])
    if "maturity" in pngs:
        _picture(doc, pngs["maturity"], report.chart("maturity").alt)
    _table(doc, t["maturity"], ["Country", "Maturity index", "Rank"])

    doc.add_heading("2. Key capabilities", level=1)
    if "heatmap" in pngs:
        _picture(doc, pngs["heatmap"], report.chart("heatmap").alt)
    header, rows = _capability_summary(t["capabilities"].frame)
    writers.docx_table(doc, header, rows)

    if "changes" in t:
        doc.add_heading("3. Change since the previous round", level=1)
        _table(doc, t["changes"])

    doc.add_heading("Answers to choice questions", level=1)
    freq, ranks = t["frequencies"].frame, t["rankings"].frame
    for spec in report.question_charts:
        qid = spec.key[2:]
        doc.add_heading(spec.title, level=3)
        if spec.key in pngs:
            _picture(doc, pngs[spec.key], spec.alt, width_in=5.8)
        if spec.table == "rankings":
            rows = [[r.label, _fmt(plain(r.points)), str(r.first)] for r in ranks[ranks["question"] == qid].itertuples()]
            writers.docx_table(doc, ["Answer", "Average points", "Ranked first"], rows)
        else:
            rows = [[f"{r.row}: {r.label}" if r.row else r.label, str(r.countries),
                     "" if pd.isna(r.share) else f"{r.share:.0%}"] for r in freq[freq["question"] == qid].itertuples()]
            writers.docx_table(doc, ["Answer", "Countries", "Share"], rows)

    doc.add_heading("Figures", level=1)
    _table(doc, t["numeric_summary"], ["Question", "Unit", "Countries answering", "Mean", "Median", "Minimum",
                                       "Maximum", "Total"])

    doc.add_heading("Processes", level=1)
    doc.add_paragraph("For each step: the countries that have it, and how many rate it mandatory for all, required "
                      "in specific cases, or optional (Council document 9410/17, section 4).")
    steps = t["processes"].frame
    for _, rows in steps.groupby("question", sort=False):
        doc.add_heading(str(rows["question_label"].iloc[0]), level=3)
        writers.docx_table(doc, ["Step", "Countries", "Mandatory", "Required", "Optional", "Common to all"],
                           [[r.step_label, str(r.countries), str(r.mandatory), str(r.required), str(r.optional),
                             "yes" if r.common else ""] for r in rows.itertuples()])

    doc.add_heading("Strengths, weaknesses, opportunities and threats", level=1)
    swot = t["swot"].frame
    if swot.empty:
        doc.add_paragraph("No SWOT answers are shown.")
    for _, rows in swot.groupby("process", sort=False):
        doc.add_heading(str(rows["process_label"].iloc[0]), level=3)
        writers.docx_table(doc, ["Country", "Strengths", "Weaknesses", "Opportunities", "Threats"],
                           [[r.country, r.strength, r.weakness, r.opportunity, r.threat] for r in rows.itertuples()])

    doc.add_heading("Free-text answers", level=1)
    free = t["free_text"].frame
    if free.empty:
        doc.add_paragraph("No free-text answers are shown.")
    for _, rows in free.groupby("question", sort=False):
        doc.add_heading(str(rows["question_label"].iloc[0]), level=3)
        for r in rows.itertuples():
            doc.add_paragraph(f"{r.country}: {r.text}", style="List Bullet")
    return writers.docx_bytes(doc)

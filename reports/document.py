"""The report as a DOCX document for a Council working party: the maturity ranking with its method,
the capability heatmap, a chart and table per choice question, figures, processes, SWOT and free
text. Every picture carries its alt text (the document's accessibility description)."""

from __future__ import annotations

import pandas as pd

from portal.docx_writer import DocxWriter
from portal.enums import say, translated
from reports.chart_cache import ChartCache
from reports.exports import plain, shown_rows, table_rows
from reports.page import cells
from reports.report import Report, Table


def _table(doc, table: Table, columns: list[str] | None = None) -> None:
    header, rows = table_rows(table)
    keep = [header.index(c) for c in columns if c in header] if columns is not None else range(len(header))
    titles, rows = shown_rows(table)  # titles and our row labels in the reader's language
    # as the page shows them: each column's numbers with the same decimal places (64.0 beside 64.4)
    doc.table([titles[i] for i in keep], cells([[r[i] for i in keep] for r in rows]))


def _fmt(value) -> str:
    if isinstance(value, bool):
        return say("yes") if value else say("no")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _capability_summary(caps: pd.DataFrame) -> tuple[list[str], list[list]]:
    rows = []
    for k in caps.columns:
        col = caps[k]
        rows.append([k, int((col == 1).sum()), int((col == 0).sum()), int(col.isna().sum()),
                     ", ".join(c for c in caps.index if col[c] == 1)])
    return [say("Capability"), say("In place"), say("Not in place"), say("No answer"), say("Countries with it")], rows


def docx_report(report: Report, cache: ChartCache, workers: int = 1) -> bytes:
    """The document in the language of the request, or the one the worker forces (reports/jobs.py)."""
    pngs = cache.get_many(report.charts, "png", workers=workers)
    doc = DocxWriter(report.title, report.subtitle, subject=say("Comparative report on the questionnaire answers"),
                     marking=report.marking)
    doc.paragraph(say(
        "Comparative report on the answers of %(count)s countries (%(countries)s). Every figure below is derived "
        "from the submitted answers; each chart is followed by its description and its data.",
        count=len(report.countries), countries=", ".join(report.countries)))
    for section in (_maturity_section, _capability_section, _choice_section, _process_section, _words_section):
        section(doc, report, pngs)
    return doc.to_bytes()


def _maturity_section(doc: DocxWriter, report: Report, pngs: dict) -> None:
    t = report.tables
    doc.heading(say("Maturity index"), 1)
    doc.paragraph(report.method or say("The questionnaire defines no maturity index."))
    _table(doc, t["maturity_method"], ["Question", "Weight", "What each answer scores"])
    if "maturity" in pngs:
        doc.picture(pngs["maturity"], report.chart("maturity").alt)
    if not report.league:  # the network view: the spread, and only the reader's own country's index
        doc.paragraph(say("Without league tables or ranks: the index over the network, and your country's own."))
        _table(doc, t["maturity_spread"])
        if not t["maturity"].frame.empty:
            _table(doc, t["maturity"], ["Country", "Maturity index"])
    else:
        if report.league_note:
            doc.paragraph(report.league_note, italic=True)
        _table(doc, t["maturity"], ["Country", "Maturity index", "Rank"])


def _capability_section(doc: DocxWriter, report: Report, pngs: dict) -> None:
    t = report.tables
    doc.heading(say("Key capabilities"), 1)
    if "heatmap" in pngs:
        doc.picture(pngs["heatmap"], report.chart("heatmap").alt)
    header, rows = _capability_summary(t["capabilities"].frame)
    doc.table(header, rows)
    if "changes" in t:
        doc.heading(say("Change since the previous round"), 1)
        _table(doc, t["changes"])


def _choice_section(doc: DocxWriter, report: Report, pngs: dict) -> None:
    t = report.tables
    doc.heading(say("Answers to choice questions"), 1)
    freq, ranks = t["frequencies"].frame, t["rankings"].frame
    for spec in report.question_charts:
        qid = spec.key[2:]
        doc.heading(translated(spec.title), 2)
        if spec.key in pngs:
            doc.picture(pngs[spec.key], spec.alt, width_mm=150)
        if spec.table == "rankings":
            rows = [[r.label, _fmt(plain(r.points)), str(r.first)] for r in ranks[ranks["question"] == qid].itertuples()]
            doc.table([say("Answer"), say("Average points"), say("Ranked first")], rows)
        else:
            rows = [[f"{r.row}: {r.label}" if r.row else r.label, str(r.countries),
                     "" if pd.isna(r.share) else f"{r.share:.0%}"] for r in freq[freq["question"] == qid].itertuples()]
            doc.table([say("Answer"), say("Countries"), say("Share")], rows)
    doc.heading(say("Figures"), 1)
    _table(doc, t["numeric_summary"], ["Question", "Unit", "Countries answering", "Mean", "Median", "Minimum",
                                       "Maximum", "Total"])


def _process_section(doc: DocxWriter, report: Report, pngs: dict) -> None:
    t = report.tables
    doc.heading(say("Processes"), 1)
    doc.paragraph(say("Each country describes what its SPOC does: the steps of each process with their target, the "
                      "system used and how automated they are, and variants such as the urgent path or one channel. "
                      "For each step: the countries doing it, what they say of it in their SPOC (always done, done "
                      "in specific cases, optional) and how they do it (automated, partly automated, manual)."))
    doc.paragraph(say("Classification (derived from all answers, Council document 9410/17 section 4): a step is "
                      "mandatory for all when every country that described the process does it (on its main path "
                      "or in a variant); required when at least half of those countries do it; optional otherwise."))
    for _, rows in t["processes"].frame.groupby("question", sort=False):
        doc.heading(str(rows["question_label"].iloc[0]), 2)
        doc.table([say("Step"), say("Countries"), say("Always"), say("Specific cases"), say("Optional"),
                   say("Automated"), say("Partly"), say("Manual"), say("Classification")],
                  [[r.step_label, str(r.countries), str(r.mandatory), str(r.required), str(r.optional),
                    str(r.automated), str(r.partly_automated), str(r.manual), translated(r.classification)]
                   for r in rows.itertuples()])
    for _, rows in t["process_variants"].frame.groupby("question", sort=False):
        doc.heading(say("%(process)s: variants", process=rows["question_label"].iloc[0]), 2)
        doc.table([say("Variant"), say("Countries"), say("Steps (countries)")],
                  [[r.variant_label, f"{r.countries} ({r.country_list})", r.variant_steps] for r in rows.itertuples()])


def _words_section(doc: DocxWriter, report: Report, pngs: dict) -> None:
    """The countries' own words: SWOT and free text (only those the reader may see, reports.report)."""
    t = report.tables
    doc.heading(say("Strengths, weaknesses, opportunities and threats"), 1)
    swot = t["swot"].frame
    if swot.empty:
        doc.paragraph(say("No SWOT answers are shown."))
    for _, rows in swot.groupby("process", sort=False):
        doc.heading(str(rows["process_label"].iloc[0]), 2)
        doc.table([say("Country"), say("Strengths"), say("Weaknesses"), say("Opportunities"), say("Threats")],
                  [[r.country, r.strength, r.weakness, r.opportunity, r.threat] for r in rows.itertuples()])
    doc.heading(say("Free-text answers"), 1)
    free = t["free_text"].frame
    if free.empty:
        doc.paragraph(say("No free-text answers are shown."))
    for _, rows in free.groupby("question", sort=False):
        doc.heading(str(rows["question_label"].iloc[0]), 2)
        for r in rows.itertuples():
            doc.bullet(f"{r.country}: {r.text}")

"""A comparative report of one round: every table and chart specification, built from the tidy frame.

`build_report` is pure (a Definition and frames in, a Report out); pages, exports, the CLI and the
benchmark all use it, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from portal.enums import N_, reader_language, say_in, say_n_in
from questionnaires.definitions import Definition, Question, tr
from questionnaires.question_types import question_type
from reports import indices, processes, tables
from reports.charts import ChartSpec
from reports.frame import CHOICE_TYPES
from reports.tables import number, percent


@dataclass
class Table:
    key: str
    title: str
    frame: pd.DataFrame
    note: str = ""
    index: bool = False  # the frame's index (the country) is the first column


@dataclass
class Report:
    title: str
    subtitle: str
    definition: Definition
    countries: list[str]
    tables: dict[str, Table] = field(default_factory=dict)
    charts: list[ChartSpec] = field(default_factory=list)
    method: str = ""
    highlight: str | None = None
    marking: str = ""  # the round's (portal.markings): on the page and every page of its files
    # False: the network view without league tables (no ranks, no other country's maturity index)
    league: bool = True
    league_note: str = ""
    # the spread of the maturity index over the network: countries, min, quartiles, median, max
    maturity_summary: dict = field(default_factory=dict)
    previous_label: str = ""  # the round the changes are measured against

    def chart(self, key: str) -> ChartSpec | None:
        return next((c for c in self.charts if c.key == key), None)

    @property
    def question_charts(self) -> list[ChartSpec]:
        return [c for c in self.charts if c.key.startswith("q-")]


def _pct(x: float | None, lang: str = "en") -> str:
    return "" if x is None or pd.isna(x) else percent(x, lang)


def _bar_chart(q: Question, rows: pd.DataFrame, title: str, lang: str) -> ChartSpec | None:
    """Countries per choice (frequencies)."""
    n = int(rows["answered"].iloc[0])
    if not n:
        return None
    counts = [int(c) for c in rows["countries"]]
    texts = [f"{c} ({_pct(s, lang)})" for c, s in zip(counts, rows["share"], strict=True)]
    alt = say_n_in(lang, "Bar chart: %(title)s Of %(num)s country answering: %(answers)s.",
                   "Bar chart: %(title)s Of %(num)s countries answering: %(answers)s.", n, title=title,
                   answers="; ".join(f"{lbl} {t}" for lbl, t in zip(rows["label"], texts, strict=True)))
    note = say_n_in(lang, "Countries answering: %(num)s", "Countries answering: %(num)s", n)
    if question_type(q.type).several:
        note = say_in(lang, "%(note)s; several answers possible", note=note)
    return ChartSpec(f"q-{q.id}", "bar", title,
                     {"labels": list(rows["label"]), "values": counts, "texts": texts, "xmax": n,
                      "note": note}, alt, table="frequencies")


def _stacked_chart(q: Question, rows: pd.DataFrame, title: str, lang: str) -> ChartSpec | None:
    """Countries per choice, row by row (frequencies of a matrix)."""
    if not rows["answered"].any():
        return None
    row_labels = list(dict.fromkeys(rows["row"]))
    series = [q.choice_label(v, lang) for v in q.choice_values]
    values = [[int(c) for c in rows[rows["row"] == r]["countries"]] for r in row_labels]
    alt = say_in(lang, "Stacked bar chart: %(title)s Countries per answer, row by row: %(rows)s.", title=title,
                 rows="; ".join(f"{r}: " + ", ".join(f"{s} {v}" for s, v in zip(series, vals, strict=True))
                                for r, vals in zip(row_labels, values, strict=True)))
    return ChartSpec(f"q-{q.id}", "stacked", title, {"rows": row_labels, "series": series, "values": values}, alt,
                     table="frequencies")


def _points_chart(q: Question, rows: pd.DataFrame, title: str, lang: str) -> ChartSpec | None:
    """A ranking's average points per choice (rankings)."""
    n = int(rows["answered"].iloc[0])
    if not n:
        return None
    points = [float(p) for p in rows["points"]]
    alt = say_n_in(lang, "Bar chart: %(title)s Average points over %(num)s country (the first of %(choices)s choices "
                   "scores %(choices)s, the last 1): %(points)s.",
                   "Bar chart: %(title)s Average points over %(num)s countries (the first of %(choices)s choices "
                   "scores %(choices)s, the last 1): %(points)s.", n, title=title, choices=len(points),
                   points="; ".join(f"{lbl} {number(p, lang)}" for lbl, p in zip(rows["label"], points, strict=True)))
    note = say_n_in(lang, "Average points, %(num)s country ranking", "Average points, %(num)s countries ranking", n)
    return ChartSpec(f"q-{q.id}", "bar", title,
                     {"labels": list(rows["label"]), "values": points, "texts": [number(p, lang) for p in points],
                      "xmax": len(points), "note": note}, alt, table="rankings")


# a question type's chart (QuestionType.chart): how it is drawn and from which table's rows
CHARTS = {"bar": (_bar_chart, "frequencies"), "stacked": (_stacked_chart, "frequencies"),
          "points": (_points_chart, "rankings")}


def _question_charts(definition: Definition, freq: pd.DataFrame, ranks: pd.DataFrame,
                     lang: str) -> list[ChartSpec]:
    tables = {"frequencies": {qid: rows for qid, rows in freq.groupby("question", sort=False)},
              "rankings": {qid: rows for qid, rows in ranks.groupby("question", sort=False)}}
    charts = []
    for q in definition.questions:
        kind = question_type(q.type).chart
        if kind not in CHARTS:
            continue
        draw, table = CHARTS[kind]
        rows = tables[table].get(q.id)
        chart = draw(q, rows, tr(q.label, lang), lang) if rows is not None else None
        if chart is not None:
            charts.append(chart)
    return charts


def _heatmap(caps: pd.DataFrame, lang: str = "en") -> ChartSpec | None:
    if caps.empty or not len(caps.columns):
        return None
    countries = list(caps.index)
    values = [[None if pd.isna(caps.at[c, k]) else int(caps.at[c, k]) for k in caps.columns] for c in countries]
    summary = "; ".join(say_in(lang, "%(capability)s: %(count)s of %(total)s", capability=k,
                               count=int((caps[k] == 1).sum()), total=len(countries)) for k in caps.columns)
    alt = say_in(lang, "Heatmap of %(capabilities)s (rows) for %(countries)s (columns): a tick on blue means in "
                 "place, a cross on yellow not in place, a question mark on grey no answer. Countries with each "
                 "capability: %(summary)s.", summary=summary,
                 capabilities=say_n_in(lang, "%(num)s key capability", "%(num)s key capabilities", len(caps.columns)),
                 countries=say_n_in(lang, "%(num)s country", "%(num)s countries", len(countries)))
    return ChartSpec("heatmap", "heatmap", say_in(lang, "Key capabilities by country"),
                     {"countries": countries, "capabilities": list(caps.columns), "values": values}, alt,
                     table="capabilities")


def _ranking(mat: pd.DataFrame, highlight: str | None, lang: str = "en") -> ChartSpec | None:
    if mat.empty:
        return None
    labels = list(mat.index)
    values = [float(v) for v in mat["index"]]
    ranking = ", ".join(f"{c} {number(v, lang, '.1f')}" for c, v in zip(labels, values, strict=True))
    alt = (say_in(lang, "Maturity ranking, highest first: %(ranking)s. %(country)s is highlighted.", ranking=ranking,
                  country=highlight) if highlight in labels
           else say_in(lang, "Maturity ranking, highest first: %(ranking)s.", ranking=ranking))
    return ChartSpec("maturity", "ranking", say_in(lang, "Maturity index by country (0-100)"),
                     {"labels": labels, "values": values, "highlight": highlight if highlight in labels else None,
                      "note": say_in(lang, "Maturity index, 0-100; method printed with the table")}, alt,
                     table="maturity")


def build_report(definition: Definition, frame: pd.DataFrame, *, title: str, subtitle: str = "",
                 previous: list[tuple[str, Definition, pd.DataFrame]] | None = None, current_label: str = "",
                 highlight: str | None = None, lang: str = "en", confirmed: dict[str, int] | None = None) -> Report:
    """Every table and chart of a round's report. `previous`: earlier rounds of the same
    questionnaire, oldest first, as (label, definition, frame), for the round-over-round change;
    `confirmed` (a prefilled round): {country: carried-over answers confirmed unchanged}."""
    countries = sorted(frame["country"].unique()) if not frame.empty else []
    report = Report(title, subtitle, definition, countries, highlight=highlight)
    add = report.tables.__setitem__

    mat = indices.maturity(definition, frame)
    method, method_items = indices.maturity_method(definition, lang)
    report.method = method
    caps = indices.capability_matrix(definition, frame, lang)
    add("maturity", Table("maturity", N_("Maturity index by country"), mat, index=True,
                          note=N_("Index 0-100 and the score (0-1) of each item; method below.")))
    add("maturity_method", Table("maturity_method", N_("Maturity index: method"), method_items, note=method))
    add("capabilities", Table("capabilities", N_("Key capabilities by country"), caps, index=True,
                              note=N_("1 = in place, 0 = not in place, empty = no answer.")))
    freq = tables.frequencies(definition, frame, lang)
    ranks = tables.ranking_summary(definition, frame, lang)
    add("matrix", Table("matrix", N_("Answers to choice questions by country"), tables.choice_matrix(definition, frame),
                        index=True, note=N_("Columns are question ids; a matrix question has one column per row.")))
    add("frequencies", Table("frequencies", N_("Frequencies of answers (counts and shares)"), freq,
                             note=N_("Share of the countries answering the question (or the row).")))
    add("rankings", Table("rankings", N_("Rankings"), ranks))
    add("numbers", Table("numbers", N_("Figures and dates by country"), tables.numbers_by_country(definition, frame),
                         index=True))
    add("numeric_summary", Table("numeric_summary", N_("Summary of figures"), tables.numeric_summary(definition, frame,
                                                                                               lang)))
    steps = processes.process_steps(definition, frame, lang)
    add("processes", Table("processes", N_("Process steps: what the countries do and the derived classification"),
                           steps, note=say_in(lang, "Countries doing the step, what they say of it and how automated it "
                                              "is; %(rule)s", rule=say_in(lang, processes.CLASSIFICATION_RULE))))
    add("process_variants", Table("process_variants", N_("Process variants (urgent path, per channel)"),
                                  processes.process_variants(definition, frame, lang),
                                  note=N_("The variants the countries describe, and the steps they give for each "
                                          "(countries giving the step).")))
    add("common_steps", Table("common_steps", N_("Steps common to all countries"), processes.common_steps(steps)))
    add("swot", Table("swot", N_("SWOT per process and country"), processes.swot(definition, frame, lang)))
    add("free_text", Table("free_text", N_("Free-text answers"), tables.free_text(definition, frame, lang)))
    load = tables.workload(definition, frame)
    if not load.empty:
        add("workload", Table("workload", N_("Workload per channel and staff per 1,000 messages"), load,
                              note=tables.WORKLOAD_RULE))
    if previous:
        prev_label, prev_def, prev_frame = previous[-1]
        note = (say_in(lang, "answers_confirmed: answers carried over from the country's last submission (the round "
                       "was prefilled) that the country confirmed unchanged.") if confirmed is not None else "")
        report.previous_label = prev_label  # the page writes "Change since %(round)s" in its language
        add("changes", Table("changes", say_in(lang, "Change since %(round)s", round=prev_label),
                             indices.round_changes((definition, frame), (prev_def, prev_frame), lang, confirmed),
                             note=note))
        trend = indices.maturity_trend([*previous, (current_label or say_in(lang, "This round"), definition, frame)])
        add("trend", Table("trend", N_("Maturity index by round"), trend, index=True))

    report.charts = [c for c in (_ranking(mat, highlight, lang), _heatmap(caps, lang)) if c is not None]
    report.charts += _question_charts(definition, freq, ranks, lang)
    return report


def _summary(index: pd.Series) -> dict:
    if index.empty:
        return {}
    return {"countries": int(index.size), "min": float(index.min()), "q1": float(index.quantile(0.25)),
            "median": float(index.median()), "q3": float(index.quantile(0.75)), "max": float(index.max())}


def quarter(value: float, summary: dict) -> str:
    """Where a value sits in the network's spread, in words (no rank)."""
    if not summary:
        return ""
    if value >= summary["q3"]:
        return N_("in the top quarter of the network")
    if value >= summary["median"]:
        return N_("above the network median")
    if value >= summary["q1"]:
        return N_("below the network median")
    return N_("in the bottom quarter of the network")


SPREAD_LABELS = {"countries": N_("Countries"), "min": N_("Lowest"), "q1": N_("Lower quartile"),
                 "median": N_("Median"), "q3": N_("Upper quartile"), "max": N_("Highest")}  # shown translated


def network_view(report: Report, country: str | None, note: str = "") -> Report:
    """The report without league tables: no ranks and no other country's maturity index, anywhere (tables,
    charts, trend, changes); the viewer's own country keeps its own; the maturity index is shown as its spread
    over the network. Changes `report` in place (each viewer has its own built report) and returns it."""
    mat = report.tables["maturity"].frame
    report.maturity_summary = _summary(mat["index"].dropna()) if "index" in mat else {}
    report.league, report.league_note = False, note
    own = [country] if country else []
    t = report.tables["maturity"]
    t.frame = mat.loc[mat.index.isin(own)].drop(columns=["rank"], errors="ignore")
    t.title, t.note = N_("Your country's maturity index"), N_("Index 0-100 and the score (0-1) of each item; method below.")
    spread = pd.DataFrame([{"measure": SPREAD_LABELS[k], "value": v} for k, v in report.maturity_summary.items()],
                          columns=["measure", "value"])
    report.tables["maturity_spread"] = Table("maturity_spread", N_("Maturity index over the network (no ranking)"),
                                             spread, note=N_("Countries, lowest, lower quartile, median, upper "
                                                             "quartile and highest index."))
    if "trend" in report.tables:
        trend = report.tables["trend"].frame
        report.tables["trend"].frame = trend.loc[trend.index.isin(own)]
    if "changes" in report.tables:
        changes = report.tables["changes"].frame.copy()
        others = ~changes["country"].isin(own)
        for col in ("maturity_before", "maturity_now", "change"):
            if col in changes:
                changes[col] = changes[col].astype(object).where(~others, None)
        report.tables["changes"].frame = changes
    report.charts = [c for c in report.charts if c.key != "maturity"]
    return report


def country_position(report: Report, country: str) -> dict:
    """Where one country stands in the round: its maturity rank, its capabilities against the
    network, and for each choice question its answer and how many countries gave the same."""
    mat = report.tables["maturity"].frame
    caps = report.tables["capabilities"].frame
    freq = report.tables["frequencies"].frame
    if country not in report.countries:
        return {}
    if country not in mat.index:
        return {}
    ranked = mat["index"]
    if report.league:
        position = {"country": country, "index": float(ranked[country]), "rank": int(mat.at[country, "rank"]),
                    "of": len(ranked), "median": float(ranked.median())}
    else:  # no rank: the index against the network's spread
        summary = report.maturity_summary
        index = float(ranked[country])
        position = {"country": country, "index": index, "rank": None, "of": summary.get("countries", 0),
                    "median": summary.get("median", index), "where": quarter(index, summary)}
    position["capabilities"] = [
        {"label": k, "own": None if pd.isna(caps.at[country, k]) else bool(caps.at[country, k]),
         "network": int((caps[k] == 1).sum()), "of": len(caps)} for k in caps.columns]
    matrix = report.tables["matrix"].frame
    answers = []
    for q in report.definition.questions:
        if q.type not in CHOICE_TYPES or q.id not in matrix.columns:
            continue
        own = matrix.at[country, q.id]
        if pd.isna(own):
            continue
        same = int((matrix[q.id] == own).sum())
        answered = int(freq.loc[freq["question"] == q.id, "answered"].max())
        answers.append({"question": q.id, "label": tr(q.label, reader_language()), "own": own, "same": same,
                        "answered": answered})  # the question in the reader's language, where the questionnaire has it
    position["answers"] = answers
    return position

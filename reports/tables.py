"""Tables of answers derived from the tidy frame: the country × question matrix, frequencies,
rankings, numbers and their summary, free text. Each returns a DataFrame; HEADERS names its columns
for people."""

from __future__ import annotations

import pandas as pd
from babel.numbers import format_percent

from portal.enums import N_
from questionnaires.definitions import Definition, tr
from questionnaires.question_types import names_in, names_with, question_type
from reports.frame import FREE_TEXT_TYPES


def number(x: float, lang: str = "en", spec: str = "g") -> str:
    """A figure in a report's text with the reader's decimal separator: 0.5 (en), 0,5 (fr, de)."""
    text = format(x, spec)
    return text.replace(".", ",") if lang in ("fr", "de") else text


def percent(x: float, lang: str = "en") -> str:
    """A share as the reader's language writes it: 50% (en), 50 % (fr, de)."""
    return format_percent(x, locale=lang if lang in ("fr", "de") else "en")

# which tables a question type's answers appear in is the type's own (QuestionType.tables)
CHOICES, COUNTED, RANKED = names_in("choices"), names_in("frequencies"), names_in("rankings")
NUMBERS, FIGURES = names_in("numbers"), names_in("figures")
BY_ROW = names_with(by_row=True)  # a row of the question is a column of its own

HEADERS = {  # column titles, shown translated (reports/exports.py::localised)
    "country": N_("Country"), "question": N_("Question id"), "question_label": N_("Question"), "row": N_("Row"),
    "value": N_("Answer value"), "label": N_("Answer"), "countries": N_("Countries"), "answered": N_("Countries answering"),
    "share": N_("Share"), "unit": N_("Unit"), "mean": N_("Mean"), "median": N_("Median"), "min": N_("Minimum"), "max": N_("Maximum"),
    "total": N_("Total"), "text": N_("Answer"), "ranked_by": N_("Countries ranking it"), "first": N_("Ranked first"),
    "mean_position": N_("Mean position"), "points": N_("Average points"),
    # the workload table's (workload)
    "messages_in": N_("Messages in"), "messages_out": N_("Messages out"), "messages": N_("Messages"),
    "staff": N_("Staff"), "staff_per_1000_messages": N_("Staff per 1,000 messages"),
}


def _question_order(definition: Definition) -> dict[str, int]:
    return {q.id: i for i, q in enumerate(definition.questions)}


def matrix_column(question_id: str, row: str) -> str:
    return f"{question_id}[{row}]" if row else question_id


def choice_matrix(definition: Definition, frame: pd.DataFrame) -> pd.DataFrame:
    """Countries × choice questions (a matrix question gives one column per row); cells hold the
    answer's label, several choices joined by '; ' (a ranking in its order)."""
    columns = [matrix_column(q.id, key) for q in definition.questions if q.type in CHOICES
               for key, _ in question_type(q.type).report_items(q, "en")]
    countries = sorted(frame["country"].unique()) if not frame.empty else []
    sub = frame[frame["type"].isin(CHOICES)]
    if sub.empty:
        return pd.DataFrame(index=pd.Index(countries, name="country"), columns=columns, dtype=object)
    by_row = sub["type"].isin(BY_ROW)
    column = sub["question"].where(~by_row, sub["question"] + "[" + sub["sub_item"] + "]")
    cells = sub.assign(column=column).groupby(["country", "column"], sort=False)["label"].agg("; ".join)
    out = cells.unstack("column").reindex(index=countries, columns=columns)
    out.index.name = "country"
    out.columns.name = None
    return out


def numbers_by_country(definition: Definition, frame: pd.DataFrame) -> pd.DataFrame:
    """Countries × number and date questions."""
    columns = [q.id for q in definition.questions if q.type in NUMBERS]
    countries = sorted(frame["country"].unique()) if not frame.empty else []
    sub = frame[frame["type"].isin(NUMBERS)]
    if sub.empty:
        return pd.DataFrame(index=pd.Index(countries, name="country"), columns=columns, dtype=object)
    out = sub.pivot_table(index="country", columns="question", values="value", aggfunc="first")
    out = out.reindex(index=countries, columns=columns)
    out.columns.name = None
    return out


def frequencies(definition: Definition, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """For every choice (also those nobody chose) of every single, yes/no, multiple-choice and
    matrix question: how many countries chose it and their share of the countries answering it
    (for a matrix: answering that row)."""
    sub = frame[frame["type"].isin(COUNTED)]
    counts = sub.groupby(["question", "sub_item", "value"])["country"].nunique().to_dict()
    answered = sub.groupby(["question", "sub_item"])["country"].nunique().to_dict()
    records = []
    for q in definition.questions:
        if q.type not in COUNTED:
            continue
        for row, row_label in question_type(q.type).report_items(q, lang):
            n = answered.get((q.id, row), 0)
            for value in q.choice_values:
                count = counts.get((q.id, row, value), 0)
                records.append((q.id, tr(q.label, lang), row_label, value, q.choice_label(value, lang),
                                count, n, round(count / n, 4) if n else None))
    return pd.DataFrame.from_records(records, columns=["question", "question_label", "row", "value", "label",
                                                      "countries", "answered", "share"])


def ranking_summary(definition: Definition, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Per ranking question and choice: countries ranking it, first places, mean position, and the
    average points (k points for the first of k choices, 1 for the last, 0 when not ranked)."""
    sub = frame[frame["type"].isin(RANKED)]
    records = []
    for q in definition.questions:
        if q.type not in RANKED:
            continue
        rows = sub[sub["question"] == q.id]
        n = rows["country"].nunique()
        k = len(q.choices)
        positions = rows.assign(pos=rows["sub_item"].astype(int))
        for value in q.choice_values:
            mine = positions[positions["value"] == value]["pos"]
            points = float((k - mine + 1).clip(lower=0).sum())
            records.append((q.id, tr(q.label, lang), value, q.choice_label(value, lang), len(mine),
                            int((mine == 1).sum()), round(float(mine.mean()), 2) if len(mine) else None, n,
                            round(points / n, 2) if n else None))
    return pd.DataFrame.from_records(records, columns=["question", "question_label", "value", "label", "ranked_by",
                                                      "first", "mean_position", "answered", "points"])


# answers in these units are shares or durations (averages, typical times): their sum means nothing
NOT_ADDITIVE_UNITS = {"%", "percent", "years", "months", "weeks", "days", "hours", "minutes"}


def is_additive(question) -> bool:
    """Whether the countries' answers add up to a meaningful total: counts (persons, requests) do; calendar
    years, shares and durations do not. A definition can say so with the tag `no_total`; a whole number
    from 1900 on without unit (a calendar year) and the units above are recognised without it."""
    if "no_total" in question.tags:
        return False
    unit = (question.unit or {}).get("en", "").strip().lower()
    if unit in NOT_ADDITIVE_UNITS:
        return False
    return not (question.min is not None and question.min >= 1900 and not unit)


def numeric_summary(definition: Definition, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Per number question: countries answering, mean, median, minimum, maximum and total (only where
    adding up the answers means something: never for years, shares or averages)."""
    sub = frame[frame["type"].isin(FIGURES)]
    stats = (sub.assign(value=pd.to_numeric(sub["value"]))
             .groupby("question")["value"].agg(["count", "mean", "median", "min", "max", "sum"]))
    records = []
    for q in definition.questions:
        if q.type not in FIGURES:
            continue
        unit = tr(q.unit, lang) if q.unit else ""
        if q.id in stats.index:
            s = stats.loc[q.id]
            records.append((q.id, tr(q.label, lang), unit, int(s["count"]), round(float(s["mean"]), 2),
                            float(s["median"]), float(s["min"]), float(s["max"]),
                            float(s["sum"]) if is_additive(q) else None))
        else:
            records.append((q.id, tr(q.label, lang), unit, 0, None, None, None, None, None))
    return pd.DataFrame.from_records(records, columns=["question", "question_label", "unit", "answered", "mean",
                                                      "median", "min", "max", "total"])


def free_text(definition: Definition, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Free-text answers (text, long text, file names) listed per question, then country; the SWOT
    questions are left to the SWOT table."""
    swot = {q.id for q in definition.questions if any(t.startswith("swot:") for t in q.tags)}
    sub = frame[frame["type"].isin(FREE_TEXT_TYPES) & ~frame["question"].isin(swot)]
    order = _question_order(definition)
    labels = {q.id: tr(q.label, lang) for q in definition.questions}
    out = pd.DataFrame({"question": sub["question"], "question_label": sub["question"].map(labels),
                        "country": sub["country"], "text": sub["label"].astype(str)})
    out = out.assign(_o=out["question"].map(order)).sort_values(["_o", "country"], kind="stable")
    return out.drop(columns="_o").reset_index(drop=True)


WORKLOAD_RULE = N_("Messages are the sum of the questions tagged workload:in (incoming) and workload:out "
                    "(outgoing) of each country; staff is its answer to the question tagged workload:staff; "
                    "staff per 1,000 messages = staff / messages x 1,000 (empty without messages or staff).")


def workload(definition: Definition, frame: pd.DataFrame) -> pd.DataFrame:
    """Per country that gave figures: messages in, out and in total (the questions tagged workload:in and
    workload:out), its staff (workload:staff) and staff per 1,000 messages, so that SPOCs can be compared."""
    columns = ["country", "messages_in", "messages_out", "messages", "staff", "staff_per_1000_messages"]
    tagged = {tag: [q.id for q in definition.questions if tag in q.tags]
              for tag in ("workload:in", "workload:out", "workload:staff")}
    if not tagged["workload:in"] and not tagged["workload:out"]:
        return pd.DataFrame(columns=columns)
    numbers = frame[frame["type"].isin(FIGURES)]
    records = []
    for cc in sorted(numbers["country"].unique()):
        mine = numbers[numbers["country"] == cc]

        def total(tag: str, mine=mine) -> float | None:
            values = mine[mine["question"].isin(tagged[tag])]["value"].astype(float)
            return float(values.sum()) if len(values) else None

        incoming, outgoing, staff = total("workload:in"), total("workload:out"), total("workload:staff")
        if incoming is None and outgoing is None:
            continue
        messages = (incoming or 0) + (outgoing or 0)
        per = round(staff / messages * 1000, 2) if staff is not None and messages else None
        records.append((cc, incoming, outgoing, messages, staff, per))
    return pd.DataFrame.from_records(records, columns=columns)

"""The tidy frame: one row per atomic answer of a round; every table and chart is derived from it.

Columns: round, country, question, section, type, sub_item, value, label.

How each question type becomes rows (an unanswered question gives no row); each type says so itself
(QuestionType.tidy_rows in questionnaires/question_types):

| type | rows | sub_item | value | label |
| --- | --- | --- | --- | --- |
| single_choice, yes_no | one | "" | the choice value | the choice label |
| multiple_choice | one per selected choice | "" | the choice value | the choice label |
| ranking | one per ranked choice | the position, "1" = best | the choice value | the choice label |
| matrix | one per answered row | the row value | the column (choice) value | the choice label |
| number | one | "" | the number (float) | the number as text |
| text, long_text, date, time, datetime, calculated | one | "" | the text | the text |
| file | one | "" | the file name | the file name |
| process | one per field of each step | "<step key>|<field>" | the field's text | the rating's or automation's label, or the text |

A process step's key is the suggested step's value when the typed name is that value or its label
(case-insensitive); otherwise the typed name itself ("|" and "@" replaced by "/"). A step of a variant
(urgent path, one channel) has the key "<step key>@<variant key>", the variant key found the same way
among the question's suggested variants. Fields are actor, task, target, system, automation,
prerequisite, depends_on and rating (see FORMAT.md); an answer stored before version 3 has no
variant, target, system nor automation.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from questionnaires.definitions import Definition, Question, tr
from questionnaires.question_types import names_in, names_where, question_type
from questionnaires.question_types.process import (  # noqa: F401  (the process's keys, used by reports.processes)
    CODED_FIELDS,
    STEP_FIELDS,
    VARIANT_MARK,
    step_key,
    step_label,
)

COLUMNS = ["round", "country", "question", "section", "type", "sub_item", "value", "label"]
# how the reports treat each type is the type's own (questionnaires.question_types)
CHOICE_TYPES = names_where(("choice", "multiple"))
# Answers that a country writes in its own words: shown to another country only when the round is
# shared (process steps are free text too, except their rating and automation, which are codes).
FREE_TEXT_TYPES = names_in("free_text")
PROCESS_TYPES = names_where("process")
OTHER_STEP = "(a step of its own)"


def split_step(key: str) -> tuple[str, str]:
    """(step key, variant key) of a frame's step key; the variant is "" on the main path."""
    step, _, variant = key.partition(VARIANT_MARK)
    return step, variant


def variant_label(question: Question, key: str, lang: str = "en") -> str:
    return next((tr(v.label, lang) for v in question.variants if v.value == key), key)


def split_process_item(sub_item: str) -> tuple[str, str]:
    step, _, field = sub_item.rpartition("|")
    return step, field


def answer_rows(q: Question, value: object, lang: str) -> list[tuple[str, object, str]]:
    """(sub_item, value, label) of one answer, as its type says (QuestionType.tidy_rows); none when
    unanswered."""
    if value is None or value == "" or value == [] or value == {}:
        return []
    return question_type(q.type).tidy_rows(q, value, lang)


def tidy_frame(definition: Definition, responses: Mapping[str, Mapping[str, object]],
               round_id: int | None = None, lang: str = "en") -> pd.DataFrame:
    """One row per atomic answer of `responses` ({country_code: {question_id: value}})."""
    meta = [(q, s.id) for s in definition.sections for q in s.questions]
    records: list[tuple] = []
    for country in sorted(responses):
        answers = responses[country] or {}
        for q, section_id in meta:
            value = answers.get(q.id)
            if value is None:
                continue
            for sub_item, v, label in answer_rows(q, value, lang):
                records.append((round_id, country, q.id, section_id, q.type, sub_item, v, label))
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def visible_to(frame: pd.DataFrame, definition: Definition, own_country) -> pd.DataFrame:
    """The frame without the free text of the countries not in `own_country` (one code, or the set of the
    countries whose own words the reader may see: their own and those that agreed to share them).

    Other countries keep their process ratings and levels of automation (codes, not free text), under the
    suggested step's key; a step they named themselves is counted as OTHER_STEP and a variant they named
    themselves is dropped (the step counts on the main path) so that no name of theirs is shown."""
    if frame.empty:
        return frame
    keep = {own_country} if isinstance(own_country, str) else set(own_country or ())
    others = ~frame["country"].isin(keep)
    is_process = frame["type"].isin(PROCESS_TYPES)
    field = frame["sub_item"].where(is_process, "").str.rpartition("|")[2]
    hidden = others & (frame["type"].isin(FREE_TEXT_TYPES) | (is_process & ~field.isin(list(CODED_FIELDS))))
    out = frame.loc[~hidden].copy()
    questions = {q.id: q for q in definition.questions if q.type in PROCESS_TYPES}
    mask = out["type"].isin(PROCESS_TYPES) & ~out["country"].isin(keep)
    if mask.any():
        parts = out.loc[mask, "sub_item"].str.rpartition("|")
        renamed = []
        for qid, key, field in zip(out.loc[mask, "question"], parts[0], parts[2], strict=True):
            step, variant = split_step(key)
            q = questions.get(qid)
            step = step if q and step in {s.value for s in q.steps} else OTHER_STEP
            keep = q and variant in {v.value for v in q.variants}
            renamed.append(f"{step}{VARIANT_MARK}{variant}|{field}" if keep else f"{step}|{field}")
        out.loc[mask, "sub_item"] = renamed
        # two steps of a country may now share a key: keep one row each
        twice = out.duplicated(subset=["country", "question", "sub_item"]) & out["type"].isin(PROCESS_TYPES)
        out = out.loc[~twice]
    return out

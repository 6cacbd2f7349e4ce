"""Processes and SWOT (seed 000 §4-5): how countries rate each step of a process, the steps common to
all, and strengths, weaknesses, opportunities and threats grouped per process and country."""

from __future__ import annotations

import pandas as pd

from questionnaires.definitions import Definition, tr
from reports.frame import split_process_item, step_label

RATINGS = ("mandatory", "required", "optional")
SWOT_DIMENSIONS = ("strength", "weakness", "opportunity", "threat")


CLASSIFICATION_RULE = ("classification, derived from the answers (9410/17: a sub-process is mandatory for all "
                       "SPOCs, required for some, or optional): mandatory when every country that described the "
                       "process has the step; required when at least half of them have it; optional otherwise. "
                       "The counts mandatory/required/optional are the countries' own ratings.")


def classify(having: int, answered: int) -> str:
    """The network's classification of a step from how many of the countries describing the process have it."""
    if answered and having == answered:
        return "mandatory"
    if answered and 2 * having >= answered:
        return "required"
    return "optional"


def process_steps(definition: Definition, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Per process question and step: how many countries have the step, how many rate it mandatory,
    required or optional, whether every country that described the process has it (`common`), and the
    network's classification derived from that (`classification`, see CLASSIFICATION_RULE).

    Suggested steps come first in the definition's order, then the others by how many have them."""
    sub = frame[frame["type"] == "process"]
    parts = sub["sub_item"].str.rpartition("|")
    steps = pd.DataFrame({"question": sub["question"], "country": sub["country"], "step": parts[0],
                          "field": parts[2], "value": sub["value"]})
    records = []
    for q in definition.questions:
        if q.type != "process":
            continue
        mine = steps[steps["question"] == q.id]
        answered = mine["country"].nunique()
        having = mine.groupby("step")["country"].nunique()
        ratings = mine[mine["field"] == "rating"].groupby(["step", "value"])["country"].nunique()
        suggested = [s.value for s in q.steps]
        extra = sorted((s for s in having.index if s not in suggested), key=lambda s: (-having[s], s))
        for key in [s for s in suggested if s in having.index] + extra:
            n = int(having[key])
            counts = [int(ratings.get((key, r), 0)) for r in RATINGS]
            records.append((q.id, tr(q.label, lang), key, step_label(q, key, lang), n, *counts, answered,
                            n == answered, classify(n, answered)))
    return pd.DataFrame.from_records(records, columns=["question", "question_label", "step", "step_label",
                                                      "countries", *RATINGS, "answered", "common",
                                                      "classification"])


def common_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """The steps every country that described the process has, and whether all rate it mandatory."""
    common = steps[steps["common"]].copy()
    common["mandatory_for_all"] = common["mandatory"] == common["countries"]
    return common[["question", "question_label", "step", "step_label", "countries", "mandatory_for_all"]] \
        .reset_index(drop=True)


def process_details(frame: pd.DataFrame, question_id: str) -> pd.DataFrame:
    """One country's process as a table of steps (step, actor, task, prerequisite, depends_on, rating)."""
    sub = frame[(frame["type"] == "process") & (frame["question"] == question_id)]
    table: dict[tuple[str, str], dict[str, str]] = {}
    for cc, item, label in zip(sub["country"], sub["sub_item"], sub["label"], strict=True):
        step, field = split_process_item(item)
        table.setdefault((cc, step), {})[field] = str(label)
    records = [(cc, step, v.get("actor", ""), v.get("task", ""), v.get("prerequisite", ""),
                v.get("depends_on", ""), v.get("rating", "")) for (cc, step), v in table.items()]
    return pd.DataFrame.from_records(records, columns=["country", "step", "actor", "task", "prerequisite",
                                                      "depends_on", "rating"])


def swot_questions(definition: Definition) -> dict[tuple[str, str], str]:
    """{(process, dimension): question id} from the tags swot:<process>:<dimension>."""
    found = {}
    for q in definition.questions:
        for tag in q.tags:
            parts = tag.split(":")
            if len(parts) == 3 and parts[0] == "swot" and parts[2] in SWOT_DIMENSIONS:
                found[(parts[1], parts[2])] = q.id
    return found


def _process_label(definition: Definition, question_ids: list[str], key: str, lang: str) -> str:
    """The part the SWOT questions' labels share before ':' ("Handling of incoming requests")."""
    questions = definition.question_map
    heads = {tr(questions[qid].label, lang).rpartition(":")[0].strip() for qid in question_ids}
    if len(heads) == 1 and "" not in heads:
        return heads.pop()
    return key.replace("_", " ").capitalize()


def swot(definition: Definition, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One row per process and country: its strengths, weaknesses, opportunities and threats."""
    tagged = swot_questions(definition)
    columns = ["process", "process_label", "country", *SWOT_DIMENSIONS]
    if not tagged:
        return pd.DataFrame(columns=columns)
    processes = list(dict.fromkeys(p for p, _ in tagged))
    by_question = {qid: key for key, qid in tagged.items()}
    sub = frame[frame["question"].isin(by_question)]
    texts: dict[tuple[str, str], dict[str, str]] = {}
    for qid, cc, label in zip(sub["question"], sub["country"], sub["label"], strict=True):
        process, dimension = by_question[qid]
        texts.setdefault((process, cc), {})[dimension] = str(label)
    records = []
    for process in processes:
        label = _process_label(definition, [q for (p, _), q in tagged.items() if p == process], process, lang)
        for cc in sorted({c for (p, c) in texts if p == process}):
            values = texts[(process, cc)]
            records.append((process, label, cc, *(values.get(d, "") for d in SWOT_DIMENSIONS)))
    return pd.DataFrame.from_records(records, columns=columns)

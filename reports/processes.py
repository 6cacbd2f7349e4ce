"""Processes and SWOT (seed 000 §4-5): how countries rate each step of a process, the steps common to
all, and strengths, weaknesses, opportunities and threats grouped per process and country."""

from __future__ import annotations

import pandas as pd

from portal.enums import N_
from questionnaires.definitions import Definition, tr
from reports.frame import (
    PROCESS_TYPES,
    STEP_FIELDS,
    split_process_item,
    split_step,
    step_label,
    variant_label,
)

RATINGS = ("mandatory", "required", "optional")  # a country's own answer: always done / in specific cases / optional
AUTOMATION = ("automated", "partly_automated", "manual")
SWOT_DIMENSIONS = ("strength", "weakness", "opportunity", "threat")
REQUIRED_SHARE = 0.5  # the share of the describing countries from which a step is "required" (see the rule)


CLASSIFICATION_RULE = N_("classification, derived from the answers (9410/17 §4: a sub-process is mandatory for all "
                         "SPOCs, required for some, or optional): mandatory when every country that described the "
                         "process does the step (on its main path or in a variant); required when at least half "
                         "of them do it; optional otherwise. The counts 'always done', 'in specific cases' and "
                         "'optional' are what the countries say of their own SPOC; automated, partly automated and "
                         "manual count how the countries do the step (its main path when a country gives both).")


def classify(having: int, answered: int) -> str:
    """The network's classification of a step from how many of the countries describing the process have it."""
    if answered and having == answered:
        return "mandatory"
    if answered and having >= REQUIRED_SHARE * answered:
        return "required"
    return "optional"


def _step_rows(frame: pd.DataFrame, question_id: str) -> list[tuple[str, str, str, str, str]]:
    """(country, step key, variant key, field, value) of one process question's rows."""
    sub = frame[frame["type"].isin(PROCESS_TYPES) & (frame["question"] == question_id)]
    out = []
    for cc, item, value in zip(sub["country"], sub["sub_item"], sub["value"], strict=True):
        key, field = split_process_item(item)
        step, variant = split_step(key)
        out.append((cc, step, variant, field, str(value)))
    return out


def process_steps(definition: Definition, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Per process question and step: how many countries do the step (main path or variant), how many say
    their SPOC always does it, does it in specific cases or treats it as optional, how many do it automated,
    partly automated or manually, how many describe it in a variant, whether every country that described the
    process has it (`common`), and the network's classification derived from that (see CLASSIFICATION_RULE).

    Suggested steps come first in the definition's order, then the others by how many have them."""
    records = []
    for q in definition.questions:
        if q.type not in PROCESS_TYPES:
            continue
        rows = _step_rows(frame, q.id)
        answered = len({cc for cc, *_ in rows})
        having: dict[str, set[str]] = {}
        in_variants: dict[str, set[str]] = {}
        # (step, field) -> {country: value}; the main path's value wins over a variant's
        chosen: dict[tuple[str, str], dict[str, tuple[bool, str]]] = {}
        for cc, step, variant, field, value in rows:
            having.setdefault(step, set()).add(cc)
            if variant:
                in_variants.setdefault(step, set()).add(cc)
            if field in ("rating", "automation"):
                mine = chosen.setdefault((step, field), {})
                if cc not in mine or (mine[cc][0] and not variant):
                    mine[cc] = (bool(variant), value)

        def count(step: str, field: str, code: str, chosen=chosen) -> int:
            return sum(1 for _, v in chosen.get((step, field), {}).values() if v == code)

        suggested = [s.value for s in q.steps]
        extra = sorted((s for s in having if s not in suggested), key=lambda s: (-len(having[s]), s))
        for key in [s for s in suggested if s in having] + extra:
            n = len(having[key])
            records.append((q.id, tr(q.label, lang), key, step_label(q, key, lang), n,
                            *(count(key, "rating", r) for r in RATINGS),
                            *(count(key, "automation", a) for a in AUTOMATION),
                            len(in_variants.get(key, ())), answered, n == answered, classify(n, answered)))
    return pd.DataFrame.from_records(records, columns=["question", "question_label", "step", "step_label",
                                                      "countries", *RATINGS, *AUTOMATION, "in_variants",
                                                      "answered", "common", "classification"])


def process_variants(definition: Definition, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Per process question and variant (urgent path, one channel...): the countries describing it and the
    steps they give for it (how many countries give each)."""
    records = []
    for q in definition.questions:
        if q.type not in PROCESS_TYPES:
            continue
        by_variant: dict[str, dict[str, set[str]]] = {}
        for cc, step, variant, _field, _value in _step_rows(frame, q.id):
            if variant:
                by_variant.setdefault(variant, {}).setdefault(step, set()).add(cc)
        suggested = [v.value for v in q.variants]
        for variant in [v for v in suggested if v in by_variant] + sorted(v for v in by_variant if v not in suggested):
            steps = by_variant[variant]
            countries = sorted(set().union(*steps.values()))
            listed = "; ".join(f"{step_label(q, s, lang)} ({len(c)})"
                               for s, c in sorted(steps.items(), key=lambda kv: (-len(kv[1]), kv[0])))
            records.append((q.id, tr(q.label, lang), variant, variant_label(q, variant, lang), len(countries),
                            ", ".join(countries), listed))
    return pd.DataFrame.from_records(records, columns=["question", "question_label", "variant", "variant_label",
                                                      "countries", "country_list", "variant_steps"])


def common_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """The steps every country that described the process has, and whether all say they always do it."""
    common = steps[steps["common"]].copy()
    common["mandatory_for_all"] = common["mandatory"] == common["countries"]
    return common[["question", "question_label", "step", "step_label", "countries", "mandatory_for_all"]] \
        .reset_index(drop=True)


def process_details(frame: pd.DataFrame, question_id: str) -> pd.DataFrame:
    """One country's process as a table of steps (variant, actor, task, target, system, automation,
    prerequisite, depends_on, rating)."""
    sub = frame[frame["type"].isin(PROCESS_TYPES) & (frame["question"] == question_id)]
    table: dict[tuple[str, str], dict[str, str]] = {}
    for cc, item, label in zip(sub["country"], sub["sub_item"], sub["label"], strict=True):
        step, field = split_process_item(item)
        table.setdefault((cc, step), {})[field] = str(label)
    records = [(cc, *split_step(key), *(v.get(f, "") for f in STEP_FIELDS)) for (cc, key), v in table.items()]
    return pd.DataFrame.from_records(records, columns=["country", "step", "variant", *STEP_FIELDS])


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

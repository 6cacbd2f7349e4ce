"""Synthetic data for bench/reports.py: a questionnaire definition of N questions with the type mix of
the shipped SPOC questionnaire, and answers of C countries over R rounds (deterministic seed)."""

from __future__ import annotations

import random

from questionnaires.definitions import Definition, load_definition

# Per block of 20 questions, close to spoc_structures.yaml (157 questions: 29 single, 22 yes/no,
# 21 multiple, 2 matrix, 2 ranking, 25 number, 21 text, 24 long text, 5 date, 3 file, 3 process).
BLOCK = (["single_choice"] * 4 + ["yes_no"] * 3 + ["multiple_choice"] * 3 + ["number"] * 3 + ["text"] * 3
         + ["long_text"] * 3 + ["date"])
SPECIAL = ["matrix", "ranking", "process", "file"]  # one each per 60 questions
COUNTRIES = ("AT BE BG HR CY CZ DK EE FI FR DE EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH").split()
WORDS = ("national police request channel database liaison officer urgent reply cross-check registration "
         "judicial authority SIENA SIRENE Interpol staff training language statistics priority").split()


def _choices(n: int, prefix: str) -> list[dict]:
    return [{"value": f"{prefix}{i}", "label": {"en": f"{prefix.title()} option {i} " + WORDS[i % len(WORDS)]}}
            for i in range(n)]


def _question(i: int, qtype: str, rnd: random.Random) -> dict:
    q = {"id": f"q{i:03d}", "type": qtype,
         "label": {"en": f"Question {i}: " + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(5, 14))) + "?"}}
    if qtype in ("single_choice", "multiple_choice", "ranking"):
        q["choices"] = _choices(rnd.randint(3, 8), "c")
    elif qtype == "matrix":
        q["rows"] = _choices(5, "r")
        q["choices"] = _choices(4, "level")
    elif qtype == "process":
        q["steps"] = _choices(10, "step")
    elif qtype == "number":
        q["min"] = 0
    return q


def synthetic_definition(questions: int = 300, seed: int = 7) -> Definition:
    rnd = random.Random(seed)
    types = []
    while len(types) < questions:
        block = list(BLOCK)
        if len(types) % 60 == 0:
            block[:len(SPECIAL)] = SPECIAL
        types.extend(block)
    types = types[:questions]
    qs = [_question(i, t, rnd) for i, t in enumerate(types)]
    long_texts = [q for q in qs if q["type"] == "long_text"]
    for j, q in enumerate(long_texts[:12]):  # 3 processes × 4 SWOT dimensions
        q["tags"] = [f"swot:p{j // 4}:{('strength', 'weakness', 'opportunity', 'threat')[j % 4]}"]
    sections = [{"id": f"s{k}", "title": {"en": f"Section {k}"}, "questions": qs[k * 30:(k + 1) * 30]}
                for k in range((len(qs) + 29) // 30)]
    yes_no = [q for q in qs if q["type"] == "yes_no"]
    singles = [q for q in qs if q["type"] == "single_choice"]
    capabilities = [{"key": f"cap{k}", "label": {"en": f"Capability {k}"}, "question": q["id"], "values": ["yes"]}
                    for k, q in enumerate(yes_no[:13])]
    items = [{"question": q["id"], "weight": 1 + k % 3, "scores": {"yes": 1, "no": 0}}
             for k, q in enumerate(yes_no[:10])]
    items += [{"question": q["id"], "weight": 2,
               "scores": {c["value"]: round(1 - n / len(q["choices"]), 2) for n, c in enumerate(q["choices"])}}
              for q in singles[:8]]
    return load_definition({
        "id": "synthetic", "version": 1, "title": {"en": f"Synthetic questionnaire of {questions} questions"},
        "sections": sections, "capabilities": capabilities,
        "maturity": {"description": {"en": "Weighted mean of the item scores, 0-100; no answer scores 0."},
                     "items": items}})


def _answer(q, rnd: random.Random):
    t = q.type
    if t in ("single_choice", "yes_no"):
        return rnd.choice(q.choice_values)
    if t == "multiple_choice":
        return rnd.sample(q.choice_values, rnd.randint(1, len(q.choice_values)))
    if t == "ranking":
        return rnd.sample(q.choice_values, len(q.choice_values))
    if t == "matrix":
        return {r.value: rnd.choice(q.choice_values) for r in q.rows}
    if t == "number":
        return rnd.randint(0, 500)
    if t == "date":
        return f"20{rnd.randint(18, 26)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    if t == "file":
        return {"file_id": rnd.randint(1, 999), "name": "procedures.pdf"}
    if t == "process":
        return [{"step": s.value, "actor": rnd.choice(WORDS), "task": " ".join(rnd.sample(WORDS, 4)),
                 "prerequisite": "", "depends_on": "", "rating": rnd.choice(("mandatory", "required", "optional"))}
                for s in q.steps if rnd.random() < 0.8]
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 60 if t == "long_text" else 10)))


def synthetic_rounds(definition: Definition, countries: int = 31, rounds: int = 4,
                     seed: int = 11) -> list[dict[str, dict[str, object]]]:
    """[{country: {question_id: value}}] per round, oldest first; about 15% of answers change per round."""
    rnd = random.Random(seed)
    codes = COUNTRIES[:countries] if countries <= len(COUNTRIES) else [f"X{i:02d}" for i in range(countries)]
    current = {cc: {q.id: _answer(q, rnd) for q in definition.questions if rnd.random() < 0.95} for cc in codes}
    out = [current]
    for _ in range(rounds - 1):
        current = {cc: {qid: (_answer(definition.question_map[qid], rnd) if rnd.random() < 0.15 else v)
                        for qid, v in answers.items()} for cc, answers in current.items()}
        out.append(current)
    return out

"""Indices defined by the questionnaire itself: the capability heatmap, the maturity index with its
printed method, and how both changed from one round to the next."""

from __future__ import annotations

import numpy as np
import pandas as pd

from portal.enums import say_in
from questionnaires.definitions import Definition, tr
from questionnaires.question_types import names_in
from reports.tables import number


def capability_matrix(definition: Definition, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Countries × capabilities (columns labelled by the definition): 1 when the country's answer is
    one of the capability's values, 0 when it answered otherwise, NaN when it did not answer."""
    countries = sorted(frame["country"].unique()) if not frame.empty else []
    out = pd.DataFrame(index=pd.Index(countries, name="country"))
    for cap in definition.capabilities:
        rows = frame[frame["question"] == cap.question]
        has = rows.groupby("country")["value"].agg(lambda s, v=set(cap.values): float(bool(v & set(s))))
        out[tr(cap.label, lang)] = has.reindex(countries)
    return out


def capability_keys(definition: Definition, lang: str = "en") -> dict[str, str]:
    """{column label: capability key}."""
    return {tr(c.label, lang): c.key for c in definition.capabilities}


def maturity(definition: Definition, frame: pd.DataFrame) -> pd.DataFrame:
    """Per country: the maturity index (0-100), its rank, and each item's score (0-1).

    As the definition's method says: the weighted mean of the item scores. An item scores the
    answer's value from its `scores`; an unanswered or not relevant question, or an answer the
    method does not list, scores 0; for a multiple choice the best selected option counts. An answer
    whose score is None ("does not apply", e.g. no Europol national unit in a Schengen-associated
    State) leaves the item out of that country's mean (its score shows empty)."""
    countries = sorted(frame["country"].unique()) if not frame.empty else []
    method = definition.maturity
    if method is None or not countries:
        return pd.DataFrame(index=pd.Index(countries, name="country"), columns=["index", "rank"])
    scores = pd.DataFrame(index=pd.Index(countries, name="country"))
    for item in method.items:
        rows = frame[frame["question"] == item.question]
        mapped = rows.assign(score=rows["value"].map(
            lambda v, s=item.scores: np.nan if str(v) in s and s[str(v)] is None else s.get(str(v), 0.0)).astype(float))
        best = mapped.groupby("country")["score"].max().to_dict()  # NaN only when nothing chosen applies
        scores[item.question] = [float(best.get(cc, 0.0)) for cc in countries]
    weights = np.array([item.weight for item in method.items], dtype=float)
    values = scores.to_numpy()
    applies = ~np.isnan(values)
    totals = applies @ weights
    weighted = np.where(applies, values, 0.0) @ weights
    index = np.divide(weighted, totals, out=np.zeros(len(countries)), where=totals > 0) * 100
    out = pd.DataFrame({"index": np.round(index, 1)}, index=scores.index)
    out["rank"] = out["index"].rank(ascending=False, method="min").astype(int)
    out = out.join(scores)
    return out.sort_values("rank", kind="stable")  # ties stay in alphabetical order


def maturity_method(definition: Definition, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """(the method's description, one row per item: question, weight, share of the total weight and
    what each answer scores) — printed beside the index wherever it is shown."""
    method = definition.maturity
    if method is None:
        return "", pd.DataFrame(columns=["question", "question_label", "weight", "weight_share", "scores"])
    questions = definition.question_map
    total = sum(item.weight for item in method.items) or 1
    records = []
    for item in method.items:
        q = questions[item.question]
        listed = [f"{q.choice_label(v, lang)} = {number(s, lang)}" if s is not None
                  else f"{q.choice_label(v, lang)} = {say_in(lang, 'left out')}" for v, s in item.scores.items()]
        unlisted = [q.choice_label(v, lang) for v in q.choice_values if v not in item.scores]
        rest = ", ".join([*unlisted, say_in(lang, "no answer")])
        records.append((item.question, tr(q.label, lang), item.weight, round(100 * item.weight / total, 1),
                        "; ".join([*listed, f"{rest} = 0"])))
    table = pd.DataFrame.from_records(records, columns=["question", "question_label", "weight", "weight_share",
                                                       "scores"])
    return tr(method.description, lang), table


def _comparable(definition: Definition) -> set[str]:
    compared = names_in("compared")
    return {q.id for q in definition.questions if q.type in compared}


def _answer_sets(frame: pd.DataFrame, questions: set[str]) -> dict[tuple[str, str], frozenset]:
    sub = frame[frame["question"].isin(questions)]
    found: dict[tuple[str, str], set] = {}
    for cc, qid, item, value in zip(sub["country"], sub["question"], sub["sub_item"], sub["value"], strict=True):
        found.setdefault((cc, qid), set()).add((item, str(value)))
    return {key: frozenset(values) for key, values in found.items()}


def round_changes(current: tuple[Definition, pd.DataFrame], previous: tuple[Definition, pd.DataFrame],
                  lang: str = "en", confirmed: dict[str, int] | None = None) -> pd.DataFrame:
    """Per country that answered both rounds: maturity before and now, the change, capabilities
    gained and lost, and how many answers to questions asked in both rounds changed; for a prefilled
    round (`confirmed` given) also how many carried-over answers the country confirmed unchanged."""
    (cur_def, cur), (prev_def, prev) = current, previous
    countries = sorted(set(cur["country"]) & set(prev["country"]))
    columns = ["country", "maturity_before", "maturity_now", "change", "gained", "lost", "answers_changed"]
    if confirmed is not None:
        columns.append("answers_confirmed")
    if not countries:
        return pd.DataFrame(columns=columns)
    m_now, m_before = maturity(cur_def, cur)["index"], maturity(prev_def, prev)["index"]
    caps_now, caps_before = capability_matrix(cur_def, cur, lang), capability_matrix(prev_def, prev, lang)
    shared_caps = [c for c in caps_now.columns if c in caps_before.columns]
    questions = _comparable(cur_def) & _comparable(prev_def)
    sets_now, sets_before = _answer_sets(cur, questions), _answer_sets(prev, questions)
    records = []
    for cc in countries:
        gained = [c for c in shared_caps if caps_now.at[cc, c] == 1 and caps_before.at[cc, c] != 1]
        lost = [c for c in shared_caps if caps_before.at[cc, c] == 1 and caps_now.at[cc, c] != 1]
        changed = sum(1 for q in questions
                      if sets_now.get((cc, q), frozenset()) != sets_before.get((cc, q), frozenset()))
        before, now = m_before.get(cc), m_now.get(cc)
        change = round(now - before, 1) if before is not None and now is not None else None
        record = (cc, before, now, change, "; ".join(gained), "; ".join(lost), changed)
        records.append((*record, confirmed.get(cc, 0)) if confirmed is not None else record)
    return pd.DataFrame.from_records(records, columns=columns)


def maturity_trend(rounds: list[tuple[str, Definition, pd.DataFrame]]) -> pd.DataFrame:
    """Countries × rounds (oldest first): the maturity index in each round the country answered."""
    columns = {}
    for label, definition, frame in rounds:
        columns[label] = maturity(definition, frame)["index"]
    out = pd.DataFrame(columns)
    out.index.name = "country"
    return out.sort_index()

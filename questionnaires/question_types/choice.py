"""Question types answered with the question's choices: one, several, in order, one per row."""

from __future__ import annotations

from collections.abc import Mapping

from questionnaires.definitions import Question, tr
from questionnaires.question_types import FormData, QuestionType, TidyRow, first_value
from questionnaires.xlsform.layout import YES_NO_LABELS


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def listed(value: object) -> list:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def rank(value: object, choice: str) -> int | None:
    items = listed(value)
    return items.index(choice) + 1 if choice in items else None


def choices_text(q: Question, lang: str) -> str:
    """The legend of a choice column: value=label; ..."""
    return "; ".join(f"{v}={q.choice_label(v, lang)}" for v in q.choice_values)


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


def _unknown(q: Question, values: list[str]) -> str | None:
    unknown = [v for v in values if v not in q.choice_values]
    return f"Unknown option(s): {', '.join(unknown)}." if unknown else None


class SingleChoice(QuestionType):
    name, report, chart = "single_choice", "choice", "bar"
    needs_choices = filters_choices = True
    tables = frozenset({"choices", "frequencies", "compared"})
    xlsform_types = frozenset({"select_one"})

    def demo_values(self, q: Question, demo):
        for _ in range(3):
            yield demo.weighted_choice(q.choice_values)

    def check(self, q: Question, value: object) -> str | None:
        if not isinstance(value, str) or value not in q.choice_values:
            return "Choose one of the options."
        return None

    def display(self, q: Question, value: object, lang: str) -> str:
        return q.choice_label(value, lang) if isinstance(value, str) else str(value)

    def xlsform(self, q, row, meta, writer) -> None:
        row["type"] = f"select_one {writer.list_for(q.id, q.choices)}"

    def export_columns(self, q: Question, label: str, lang: str):
        choices = choices_text(q, lang)
        return [("", label, str, choices),
                ("__label", f"{label} (label)", lambda v: q.choice_label(str(v), lang), choices)]

    def tidy_rows(self, q: Question, value: object, lang: str) -> list[TidyRow]:
        return [("", str(value), q.choice_label(str(value), lang))]

    def profile_values(self, q: Question, value: object, lang: str) -> list[str]:
        return [q.choice_label(str(value), lang)]


class YesNo(SingleChoice):
    name = "yes_no"
    needs_choices = filters_choices = False
    fixed_choices = {"yes": "Yes", "no": "No"}
    fixed_labels = YES_NO_LABELS  # said in the questionnaire's language (the form, answers, reports, profiles)

    def demo_values(self, q: Question, demo):
        yield "yes" if demo.rng.random() < 0.72 else "no"

    def xlsform(self, q, row, meta, writer) -> None:
        row["type"] = f"select_one {writer.yes_no_list()}"


class MultipleChoice(QuestionType):
    name, report, chart, several = "multiple_choice", "multiple", "bar", True
    needs_choices = filters_choices = True
    tables = frozenset({"choices", "frequencies", "compared"})
    xlsform_types = frozenset({"select_multiple"})

    def demo_values(self, q: Question, demo):
        """A few choices (within min_selected and max_selected), in the definition's order."""
        values = q.choice_values
        lo = max(1, q.min_selected or 1)
        hi = min(len(values), q.max_selected or len(values), lo + 4)
        for _ in range(3):
            k = demo.rng.randint(lo, max(lo, hi))
            picked = set()
            while len(picked) < k:
                picked.add(demo.weighted_choice(values))
            yield [v for v in values if v in picked]

    def parse(self, q: Question, form: FormData):
        values = [str(v) for v in form.get(f"a.{q.id}", []) if str(v)]
        # keep the definition's order, whatever order the browser sent
        order = {v: i for i, v in enumerate(q.choice_values)}
        values = sorted(dict.fromkeys(values), key=lambda v: order.get(v, len(order)))
        return (values or None), None

    def check(self, q: Question, value: object) -> str | None:
        if not _strings(value):
            return "Give a list of options."
        if len(set(value)) != len(value):
            return "An option is chosen twice."
        if unknown := _unknown(q, value):
            return unknown
        if q.min_selected is not None and len(value) < q.min_selected:
            return f"Choose at least {q.min_selected} options."
        if q.max_selected is not None and len(value) > q.max_selected:
            return f"Choose at most {q.max_selected} options."
        return None

    def display(self, q: Question, value: object, lang: str) -> str:
        return "; ".join(q.choice_label(v, lang) for v in value) if isinstance(value, list) else str(value)

    def xlsform(self, q, row, meta, writer) -> None:
        row["type"] = f"select_multiple {writer.list_for(q.id, q.choices)}"

    def export_columns(self, q: Question, label: str, lang: str):
        """A column per option (1/0 selected; a ranking: its rank), then the labels."""
        out = []
        for c in q.choices:
            heading = f"{label}: {tr(c.label, lang)}"
            if self.report == "ranking":
                out.append((f"__{c.value}", heading, lambda v, c=c: rank(v, c.value), "rank, 1=first"))
            else:
                out.append((f"__{c.value}", heading, lambda v, c=c: int(c.value in listed(v)),
                            "1=selected; 0=not selected"))
        out.append(("__labels", f"{label} (labels)",
                    lambda v: "; ".join(q.choice_label(str(x), lang) for x in listed(v)), choices_text(q, lang)))
        return out

    def tidy_rows(self, q: Question, value: object, lang: str) -> list[TidyRow]:
        """A row per chosen option."""
        return [("", str(v), q.choice_label(str(v), lang)) for v in _as_list(value)]

    def profile_values(self, q: Question, value: object, lang: str) -> list[str]:
        return [q.choice_label(str(v), lang) for v in _as_list(value)]


class Ranking(MultipleChoice):
    name, report, chart, several = "ranking", "ranking", "points", False
    filters_choices = False
    tables = frozenset({"choices", "rankings", "compared"})
    xlsform_types = frozenset({"select_multiple", "rank"})

    def demo_values(self, q: Question, demo):
        values = list(q.choice_values)
        demo.rng.shuffle(values)
        yield values[: demo.rng.randint(min(2, len(values)), len(values))]

    def parse(self, q: Question, form: FormData):
        ranked = [first_value(form, f"a.{q.id}.rank.{n}") for n in range(1, len(q.choices) + 1)]
        ranked = [v for v in ranked if v]
        if len(set(ranked)) != len(ranked):
            return ranked, "Each option can have only one rank."
        return (ranked or None), None

    def check(self, q: Question, value: object) -> str | None:
        if not _strings(value):
            return "Give the options in order, best first."
        if len(set(value)) != len(value):
            return "Each option can have only one rank."
        return _unknown(q, value)

    def display(self, q: Question, value: object, lang: str) -> str:
        if not isinstance(value, list):
            return str(value)
        return " > ".join(f"{i}. {q.choice_label(v, lang)}" for i, v in enumerate(value, start=1))

    def tidy_rows(self, q: Question, value: object, lang: str) -> list[TidyRow]:
        """A row per ranked option; its sub_item is the position, "1" = best."""
        return [(str(i), str(v), q.choice_label(str(v), lang)) for i, v in enumerate(_as_list(value), start=1)]


class Matrix(QuestionType):
    """One choice per row; in XLSForm a group of its own (the exporter's `matrix`)."""

    name, report, chart, by_row = "matrix", "matrix", "stacked", True
    needs_choices = True
    tables = frozenset({"choices", "frequencies", "compared"})
    xlsform_types = frozenset({"begin group"})

    def incomplete(self, q: Question, value: object) -> str | None:
        return "Answer every row." if len(value) < len(q.rows) else None

    def demo_values(self, q: Question, demo):
        yield {r.value: demo.weighted_choice(q.choice_values) for r in q.rows}

    def write_xlsform(self, q: Question, writer) -> None:
        writer.matrix(q)  # a group of its own, one select_one per row

    def parse(self, q: Question, form: FormData):
        value = {r.value: first_value(form, f"a.{q.id}.{r.value}") for r in q.rows}
        value = {k: v for k, v in value.items() if v}
        return (value or None), None

    def check(self, q: Question, value: object) -> str | None:
        if not isinstance(value, dict):
            return "Give one choice per row."
        rows = {r.value for r in q.rows}
        for row, choice in value.items():
            if row not in rows:
                return f"Unknown row {row!r}."
            if choice not in q.choice_values:
                return f"Row {row!r}: choose one of the options."
        return None

    def display(self, q: Question, value: object, lang: str) -> str:
        if not isinstance(value, dict):
            return str(value)
        rows = {r.value: tr(r.label, lang) for r in q.rows}
        return "; ".join(f"{rows.get(k, k)}: {q.choice_label(v, lang)}" for k, v in value.items())

    def export_columns(self, q: Question, label: str, lang: str):
        """Per row: the chosen value, then its label."""
        choices, out = choices_text(q, lang), []
        for r in q.rows:
            heading = f"{label}: {tr(r.label, lang)}"
            out.append((f"__{r.value}", heading, lambda v, r=r: v.get(r.value), choices))
            out.append((f"__{r.value}__label", f"{heading} (label)",
                        lambda v, r=r: q.choice_label(v[r.value], lang) if v.get(r.value) else None, choices))
        return out

    def tidy_rows(self, q: Question, value: object, lang: str) -> list[TidyRow]:
        """A row per answered row of the question; its sub_item is the row's value."""
        if not isinstance(value, Mapping):
            return []
        rows = {r.value for r in q.rows}
        return [(str(r), str(v), q.choice_label(str(v), lang)) for r, v in value.items()
                if r in rows and v not in (None, "")]

    def report_items(self, q: Question, lang: str) -> list[tuple[str, str]]:
        return [(r.value, tr(r.label, lang)) for r in q.rows]

    def profile_values(self, q: Question, value: object, lang: str) -> list[str]:
        if not isinstance(value, Mapping):
            return [str(value)]
        rows = {r.value: tr(r.label, lang) for r in q.rows}
        return [f"{rows.get(r, r)}: {q.choice_label(str(v), lang)}" for r, v in value.items()]


TYPES = (SingleChoice(), YesNo(), MultipleChoice(), Ranking(), Matrix())

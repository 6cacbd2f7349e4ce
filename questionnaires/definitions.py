"""Questionnaire definitions: the YAML format of FORMAT.md, validated into typed objects."""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from portal.enums import N_, say
from portal.errors import RuleError
from questionnaires import expressions

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
SLUG = re.compile(r"[a-z][a-z0-9_]*")
QUESTION_TYPES = ("single_choice", "multiple_choice", "yes_no", "text", "long_text", "number", "date",
                  "time", "datetime", "matrix", "ranking", "file", "process", "calculated")
RATINGS = ("mandatory", "required", "optional")
EXPRESSION_ATTRS = ("relevant", "constraint", "choice_filter", "calculation")
CHOICE_REF = "choice."  # ${choice.state} in a choice_filter: the choice's own 'state' column

# A process step's fields (Council document 9410/17, section 4: "actors, targets, tasks, pre-requisites and
# dependencies", "variants of sub-processes", and the level of automation of section 5(2)).
PROCESS_FIELDS = ("step", "variant", "actor", "task", "target", "system", "automation", "prerequisite",
                  "depends_on", "rating")
# Fields added in version 3 of spoc_structures: an answer stored before lacks them and reads them as "".
PROCESS_OPTIONAL_FIELDS = ("variant", "target", "system", "automation")
AUTOMATION = ("automated", "partly_automated", "manual")
AUTOMATION_LABELS = {"automated": "Automated", "partly_automated": "Partly automated", "manual": "Manual"}
# How a country's own rating of a step reads: what the step is in its SPOC. The network's classification of a
# sub-process (mandatory for all SPOCs / required for some / optional) is derived by the report from all the
# countries' answers (reports/processes.py), not asked of one country.
RATING_LABELS = {"mandatory": "Always done", "required": "Done in specific cases", "optional": "Optional"}
MAIN_PATH = "main path"  # how a step without a variant is shown


def process_step(step: dict) -> dict:
    """A stored step with every field of PROCESS_FIELDS (an answer stored before version 3 lacks the new ones)."""
    return {f: step.get(f, "") for f in PROCESS_FIELDS}


# The C-accelerated safe loader reads the 1,600-line shipped file about ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DefinitionError(RuleError):
    """The definition breaks the format; the message names where. The author's bad input: about the
    uploaded definition file (`field` "file", 422)."""

    def __init__(self, message: str, field: str | None = "file", **params):
        super().__init__(message, field, **params)


Text = dict[str, str]


def primary_language(languages: list[str] | None) -> str:
    """The language every text must have: English, or the first language of a questionnaire without English."""
    return "en" if not languages or "en" in languages else languages[0]


def _need_english(value: Text | None, where: str, info: ValidationInfo | None = None) -> None:
    lang = ((info.context if info else None) or {}).get("primary", "en")
    if value is not None and not str(value.get(lang, "")).strip():
        name = "an English ('en')" if lang == "en" else f"a text in its language ({lang!r})"
        raise ValueError(f"{where} needs {name} text")


def tr(text: Text | None, lang: str = "en") -> str:
    """The text in the user's language, English when there is none."""
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _type_of(name: str):
    """The type object of a question type (questionnaires/question_types): it says what a question of
    the type carries. Imported when first used, the registry itself being built on this module."""
    from questionnaires.question_types import question_type

    return question_type(name)


class Choice(Strict):
    value: str
    label: Text
    # Other columns of the choice (XLSForm's choices sheet), which a question's choice_filter reads as ${choice.<key>}.
    filters: dict[str, str] = {}

    @field_validator("value", mode="before")
    @classmethod
    def _value_str(cls, v):
        if isinstance(v, bool):  # YAML reads a bare no/yes/on/off as a boolean
            raise ValueError("quote yes/no-like choice values, e.g. value: 'no'")
        return str(v)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo):
        _need_english(self.label, f"choice {self.value!r}", info)
        return self


class Question(Strict):
    id: str
    type: Literal[QUESTION_TYPES]  # type: ignore[valid-type]
    label: Text
    hint: Text | None = None
    required: bool = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: Text | None = None
    choices: list[Choice] = []
    rows: list[Choice] = []
    steps: list[Choice] = []
    variants: list[Choice] = []  # a process question's suggested variants (urgent path, per channel)
    min: float | None = None
    max: float | None = None
    step: float | None = None
    integer: bool = False
    unit: Text | None = None
    max_length: int | None = None
    min_selected: int | None = None
    max_selected: int | None = None
    max_size_mb: float | None = None
    accept: list[str] = []
    source: str | None = None
    tags: list[str] = []
    choice_filter: str | None = None
    calculation: str | None = None

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo):
        if not SLUG.fullmatch(self.id):
            raise ValueError(f"question id {self.id!r} must be a slug (a-z, 0-9, _)")
        _need_english(self.label, f"question {self.id}", info)
        kind = _type_of(self.type)  # what a question of its type must or may carry
        if kind.needs_choices and not self.choices:
            raise ValueError(f"question {self.id} ({self.type}) needs choices")
        if kind.by_row and not self.rows:
            raise ValueError(f"question {self.id} ({self.type}) needs rows")
        values = [c.value for c in self.choices]
        if len(values) != len(set(values)):
            raise ValueError(f"question {self.id} has duplicate choice values")
        if self.variants and not kind.has_variants:
            raise ValueError(f"question {self.id}: only a process question has variants")
        if kind.computed and not self.calculation:
            raise ValueError(f"question {self.id} ({self.type}) needs a calculation")
        if self.calculation and not kind.computed:
            raise ValueError(f"question {self.id}: only a calculated question has a calculation")
        if self.choice_filter and not kind.filters_choices:
            raise ValueError(f"question {self.id}: only single and multiple choice questions have a choice_filter")
        if self.step is not None and (not kind.stepped or self.step <= 0):
            raise ValueError(f"question {self.id}: step is for number questions and must be above 0")
        for attr in EXPRESSION_ATTRS:
            text = getattr(self, attr)
            if text:
                try:
                    expressions.parse(text)
                except expressions.ExpressionError as exc:
                    raise ValueError(f"question {self.id}: {attr}: {exc}") from None
        return self

    @property
    def choice_values(self) -> list[str]:
        if fixed := _type_of(self.type).fixed_choices:
            return list(fixed)
        return [c.value for c in self.choices]

    def choice_label(self, value: str, lang: str = "en") -> str:
        kind = _type_of(self.type)
        if fixed := kind.fixed_choices:
            return kind.fixed_labels.get(value, {}).get(lang) or fixed.get(value, value)
        for c in self.choices:
            if c.value == value:
                return tr(c.label, lang)
        return value


class Section(Strict):
    id: str
    title: Text
    description: Text | None = None
    relevant: str | None = None
    questions: list[Question]

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo):
        if not SLUG.fullmatch(self.id):
            raise ValueError(f"section id {self.id!r} must be a slug")
        _need_english(self.title, f"section {self.id}", info)
        if self.relevant:
            try:
                expressions.parse(self.relevant)
            except expressions.ExpressionError as exc:
                raise ValueError(f"section {self.id}: relevant: {exc}") from None
        return self


class Capability(Strict):
    key: str
    label: Text
    question: str
    values: list[str]


class MaturityItem(Strict):
    question: str
    weight: float = 1
    scores: dict[str, float | None]  # None: the answer says the item does not apply (left out of the index)


class Maturity(Strict):
    description: Text
    items: list[MaturityItem]


class Definition(Strict):
    id: str
    version: Annotated[int, Field(ge=1)]
    title: Text
    description: Text | None = None
    languages: list[str] = ["en"]
    sections: list[Section]
    capabilities: list[Capability] = []
    maturity: Maturity | None = None

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo):
        if not SLUG.fullmatch(self.id):
            raise ValueError(f"questionnaire id {self.id!r} must be a slug")
        _need_english(self.title, "the questionnaire title", info)
        seen: set[str] = set()
        sections: set[str] = set()
        for section in self.sections:
            if section.id in sections:
                raise ValueError(f"section id {section.id!r} is used twice")
            sections.add(section.id)
            for q in section.questions:
                if q.id in seen:
                    raise ValueError(f"question id {q.id!r} is used twice")
                seen.add(q.id)
        for section in self.sections:
            for q in section.questions:
                for attr in EXPRESSION_ATTRS:
                    text = getattr(q, attr)
                    refs = expressions.references(text) if text else set()
                    if attr == "choice_filter":
                        columns = {key for c in q.choices for key in c.filters}
                        refs = {r for r in refs if not (r.startswith(CHOICE_REF) and r[len(CHOICE_REF):] in columns)}
                    unknown = refs - seen
                    if unknown:
                        raise ValueError(f"question {q.id}: {attr} names unknown questions {sorted(unknown)}")
        for cap in self.capabilities:
            if cap.question not in seen:
                raise ValueError(f"capability {cap.key}: unknown question {cap.question!r}")
        for item in self.maturity.items if self.maturity else []:
            if item.question not in seen:
                raise ValueError(f"maturity: unknown question {item.question!r}")
        return self

    # navigation helpers -------------------------------------------------------------------------
    @property
    def primary_language(self) -> str:
        return primary_language(self.languages)

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def question_map(self) -> dict[str, Question]:
        return {q.id: q for s in self.sections for q in s.questions}

    def section_of(self, question_id: str) -> Section:
        return next(s for s in self.sections if any(q.id == question_id for q in s.questions))

    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


# The problems a hand-written definition most often has, by pydantic's error type, in the reader's language (issue
# 19); any other keeps pydantic's own words. `where` is the key's path in the file (sections.0.questions.2.type).
_PROBLEMS = {
    "missing": N_("%(where)s is missing"),
    "extra_forbidden": N_("%(where)s is not a key of the format"),
    "string_type": N_("%(where)s must be text"),
    "int_type": N_("%(where)s must be a whole number"),
    "int_parsing": N_("%(where)s must be a whole number"),
    "bool_type": N_("%(where)s must be true or false"),
    "bool_parsing": N_("%(where)s must be true or false"),
    "list_type": N_("%(where)s must be a list"),
    "dict_type": N_("%(where)s must be a mapping (key: value)"),
    "model_type": N_("%(where)s must be a mapping (key: value)"),
    "literal_error": N_("%(where)s must be one of %(expected)s"),
    "enum": N_("%(where)s must be one of %(expected)s"),
}


class _Problems:
    """A definition's problems, put into words when shown (a rule error's value): in the language of the page or
    API call that shows them, as the rule error's own message (portal.errors)."""

    def __init__(self, exc: ValidationError):
        self.errors = exc.errors()[:10]

    def __str__(self) -> str:
        return "; ".join(self._one(err) for err in self.errors)

    @staticmethod
    def _one(err) -> str:
        where = ".".join(str(p) for p in err["loc"])
        message = _PROBLEMS.get(err["type"])
        if message is None or not where:
            return f"{where}: {err['msg']}" if where else err["msg"]
        return say(message, where=where, expected=(err.get("ctx") or {}).get("expected", ""))


def load_definition(data: dict[str, Any]) -> Definition:
    languages = data.get("languages") if isinstance(data, dict) else None
    primary = primary_language(languages if isinstance(languages, list) else None)
    try:
        return Definition.model_validate(data, context={"primary": primary})
    except ValidationError as exc:
        raise DefinitionError("The definition is not valid: %(problems)s", problems=_Problems(exc)) from None


def load_definition_text(text: str) -> Definition:
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader (C when available)
    except yaml.YAMLError as exc:
        raise DefinitionError("The definition is not valid YAML: %(problem)s", problem=str(exc)) from None
    if not isinstance(data, dict):
        raise DefinitionError("The file must hold a mapping with id, version, title and sections.")
    return load_definition(data)


def load_definition_file(path: str | Path) -> Definition:
    return load_definition_text(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def shipped(name: str) -> Definition:
    """A definition shipped in questionnaires/definitions/ (e.g. 'spoc_structures')."""
    return load_definition_file(DEFINITIONS_DIR / f"{name}.yaml")

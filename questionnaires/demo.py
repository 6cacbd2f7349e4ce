"""Demo content: plausible answers for any definition, and the demo rounds of `spoc demo`.

`generate_answers` walks a definition in document order, answers the relevant questions with
values of the right shape that satisfy their constraints, and is deterministic for a given
random.Random: the same country always gets the same answers.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.directory.demo import SPOC_RECORDS
from portal.directory.demo_people import CONTACTS, DEMO_USERS, NOTIFIED_LANGUAGES, email_of, spoc_email
from portal.directory.reference import DIRECTIVE_2023_977_NOT_BINDING
from questionnaires import expressions
from questionnaires.definitions import RATINGS, Definition, Question, shipped, tr
from questionnaires.question_types import question_type
from questionnaires.services.validation import is_empty, problems_for_submit, relevance, value_error

REFERENCE_DAY = dt.date(2025, 6, 30)
NAMES = ["Anna Novak", "Jan Peeters", "Maria Rossi", "Lukas Weber", "Sofia Costa", "Mikko Virtanen",
         "Eva Horvath", "Pierre Laurent", "Katarzyna Nowak", "Jonas Berg", "Ioana Popescu", "Nikos Papadakis"]
ACTORS = ["Duty officer", "Case handler", "Shift supervisor", "SIRENE operator", "Europol national unit desk",
          "Interpol NCB operator", "Head of SPOC", "Liaison officer", "Analyst", "Legal adviser"]
SENTENCES = [
    "Requests arrive mainly through SIENA and are registered in the case management system within the hour.",
    "The shift supervisor checks urgency and assigns each request to a case handler.",
    "Direct access to the national police databases shortens the reply time considerably.",
    "Staff turnover is high and newly posted officers need several months of training.",
    "Indirect access through other authorities causes delays, especially outside office hours.",
    "A single search interface across national databases is planned for next year.",
    "Cooperation with customs and border guards works well thanks to co-location.",
    "Language skills are a bottleneck for requests that are not in English.",
    "Judicial authorisation can take several days when a prosecutor is not on call.",
    "Statistics are compiled manually from the registry, which is time-consuming.",
    "Regular exchanges with other SPOCs help harmonise practice.",
    "The integration of SIENA with the case management system avoids double data entry.",
]
OTHER_WEIGHT = 0.06
# plausible short texts for questions whose id names what they ask
TEXT_BY_KEYWORD = {
    "legal": ["Act on international police cooperation of 2021, Art. 12",
              "Ministerial decree of 15 March 2020 designating the SPOC", "Police Act, section 44a (as amended 2024)"],
    "function": ["Deputy head of the SPOC", "Head of the international cooperation unit", "Policy officer, SPOC"],
    "hours": ["Monday to Friday 07:00-19:00", "Weekdays 08:00-18:00; on call otherwise"],
    "topics": ["Directive 2023/977 in practice", "SIENA for case handlers", "Cross-checking and data quality"],
    "other": ["Coast guard liaison desk", "Regional coordination centre"],
}


# Schengen-associated States: no Europol national unit (operational agreements instead)
NON_EU = ("CH", "IS", "LI", "NO")
# channel → the share of a SPOC's messages it carries, roughly
CHANNEL_SHARE = {"siena": 0.45, "sirene": 0.3, "interpol": 0.15, "bilateral": 0.1}


def _weighted_choice(rng: random.Random, values: list[str]) -> str:
    """A random value; 'not_applicable' is never picked at random (see _coherent), other/don't know seldom."""
    weights = [0.0 if v == "not_applicable" else OTHER_WEIGHT if v in ("other", "dont_know", "unknown") else 1.0
               for v in values]
    return rng.choices(values, weights=weights, k=1)[0]


def _coherent(q: Question, rng: random.Random, country: str, answers: dict) -> list:
    """Values that fit what the country answered before, and what the portal knows of it (its contact
    person, its SPOC's address and notified languages, as in the directory and the demo users)."""
    qid = q.id
    if qid == "resp_name" and country in CONTACTS:
        return [CONTACTS[country]]
    if qid == "resp_email" and country in CONTACTS:  # the demo respondent's own login where there is one
        return [f"respondent.{country.lower()}@demo.invalid" if (country, "respondent") in DEMO_USERS
                else email_of(CONTACTS[country], country)]
    if qid == "avail_languages" and country in NOTIFIED_LANGUAGES:
        return [[v for v in q.choice_values if v in NOTIFIED_LANGUAGES[country]]]
    if qid == "avail_247" and country in SPOC_RECORDS:
        return ["yes"]  # the directory gives its 24/7 phone
    if qid.startswith("work_") and qid.endswith(("_in", "_out")) and isinstance(answers.get("staff_total"), int):
        channel = qid.split("_")[1]
        if channel == "siena" and answers.get("chan_siena_spoc") == "no":
            return [0]
        yearly = answers["staff_total"] * rng.uniform(180, 520) * CHANNEL_SHARE.get(channel, 0.1)
        return [int(yearly * (0.55 if qid.endswith("_in") else 0.45))]
    if qid == "work_year":
        return [REFERENCE_DAY.year - 1]
    if qid == "comp_units" and country in NON_EU:  # no Europol national unit (operational agreement instead)
        extra = [v for v in q.choice_values if v not in ("enu", "sirene", "interpol_ncb", "other")]
        return [["sirene", "interpol_ncb", *[v for v in extra if rng.random() < 0.3]]]
    if qid == "comp_units_absent":
        return [["enu"]] if country in NON_EU else [["none"]]
    if qid == "cms_in_place":
        return [rng.choices(["yes", "registry", "no"], [0.7, 0.15, 0.15])[0]]
    if qid in ("proc_in_time_basis", "stat_capability") and country in DIRECTIVE_2023_977_NOT_BINDING:
        return ["not_applicable"]  # Denmark: recital 44 of Directive 2023/977
    if "not_applicable" in q.choice_values:
        if qid in ("comp_colocation", "auth_art12_europol"):
            return ["not_applicable"] if country in NON_EU else []
        if qid == "chan_siena_mobile" and answers.get("chan_siena_spoc") == "no":
            return ["not_applicable"]
    return []


def _text(q: Question, rng: random.Random, country: str) -> str:
    qid = q.id
    if "email" in qid:
        text = spoc_email(country)
    elif qid.endswith("_name") and "resp" in qid:
        text = rng.choice(NAMES)
    elif qid.endswith("_name"):
        text = rng.choice(["International Police Cooperation Centre", "Central Office for International Cooperation",
                           "National SPOC", "International Operations Unit"])
    elif any(key in qid for key in TEXT_BY_KEYWORD):
        text = rng.choice(TEXT_BY_KEYWORD[next(key for key in TEXT_BY_KEYWORD if key in qid)])
    elif question_type(q).multiline:
        text = " ".join(rng.sample(SENTENCES, k=rng.randint(1, 3)))
    else:
        text = rng.choice(SENTENCES).split(",")[0].rstrip(".")
    return text[: q.max_length] if q.max_length else text


class _DemoWords:
    """What the question types' `demo_values` draw on: the random source and the demo's own words."""

    reference_day = REFERENCE_DAY

    def __init__(self, rng: random.Random, country: str):
        self.rng, self.country = rng, country

    def text(self, q: Question) -> str:
        return _text(q, self.rng, self.country)

    def weighted_choice(self, values: list[str]) -> str:
        return _weighted_choice(self.rng, values)

    def process(self, q: Question) -> list[dict]:
        return _process(q, self.rng)


def _candidates(q: Question, rng: random.Random, country: str):
    """Values to try, best first; the first that is valid is kept (each type knows its own)."""
    return question_type(q).demo_values(q, _DemoWords(rng, country))


SYSTEMS = ["National case management system", "SIENA", "National police information system", "SIS / SIRENE application",
           "I-24/7 (INTERPOL)", "Secure e-mail", "Paper registry"]
AUTOMATION_WEIGHTS = {"automated": 0.3, "partly_automated": 0.4, "manual": 0.3}


def _target(name: str) -> str:
    """What a step produces, in words a SPOC would use."""
    low = name.lower()
    for key, text in (("receipt", "The request registered as received"), ("regist", "A case number and folder"),
                      ("duplicate", "Duplicates linked to the existing folder"),
                      ("cross", "A list of hits in the CMS and databases"),
                      ("evaluat", "A decision on admissibility and urgency"), ("priorit", "A priority and deadline"),
                      ("assign", "An officer in charge"), ("quer", "Query results"),
                      ("authorisation", "The authorisation, or the reason for the delay"),
                      ("translation", "The request in the partner's language"), ("approv", "An approved text"),
                      ("reply", "The reply sent to the requester"), ("send", "The request sent on the chosen channel"),
                      ("closure", "A closed and archived folder"), ("archiv", "An archived folder"),
                      ("statistic", "The yearly figures"), ("retention", "Data reviewed or deleted")):
        if key in low:
            return text
    return "The step's result recorded in the case folder"


def _process(q: Question, rng: random.Random) -> list[dict]:
    """A plausible process: a main path of 3-7 of the suggested steps, each with its actor, task, target, system
    and automation; half of the SPOCs also describe a variant (e.g. the urgent path) that differs on 1-2 steps."""
    names = [tr(s.label) for s in q.steps] or ["Receipt", "Registration", "Evaluation", "Cross-check",
                                                  "Database queries", "Reply", "Archiving"]
    count = rng.randint(min(3, len(names)), min(7, len(names)))
    chosen = sorted(rng.sample(range(len(names)), count))
    automation = list(AUTOMATION_WEIGHTS)

    def step(name: str, previous: str, variant: str = "", manual: bool = False) -> dict:
        return {"step": name, "variant": variant, "actor": rng.choice(ACTORS),
                "task": rng.choice(SENTENCES).split(",")[0].rstrip("."), "target": _target(name),
                "system": rng.choice(SYSTEMS),
                "automation": "manual" if manual else rng.choices(automation, list(AUTOMATION_WEIGHTS.values()))[0],
                "prerequisite": previous and f"{previous} completed",
                "depends_on": previous if previous and rng.random() < 0.85 else "",
                "rating": rng.choice(RATINGS)}

    steps = []
    for i, index in enumerate(chosen):
        steps.append(step(names[index], names[chosen[i - 1]] if i else ""))
    if q.variants and rng.random() < 0.5:
        variant = tr(rng.choice(q.variants).label)
        for index in rng.sample(chosen, k=min(2, len(chosen))):
            # the variant's own way of doing the step, after the main path's first step
            first = names[chosen[0]]
            steps.append(step(names[index], first if index != chosen[0] else "", variant, manual=rng.random() < 0.6))
    return steps


def generate_answers(definition: Definition, rng: random.Random, *, country: str = "XX",
                     answer_rate: float = 0.85, make_file=None) -> dict[str, object]:
    """Valid answers to `definition`: every relevant required question and most optional ones.

    `make_file(question)` may return a file answer; without it file questions stay unanswered."""
    # In document order only relevant questions get answers, so `answers` is what the expressions
    # see; later answers that change an earlier relevance (forward references) are settled below.
    answers: dict[str, object] = {}
    effective = answers
    for section in definition.sections:
        if section.relevant and not expressions.is_true(section.relevant, effective):
            continue
        for q in section.questions:
            if q.relevant and not expressions.is_true(q.relevant, effective):
                continue
            if not q.required and rng.random() > answer_rate:
                continue
            if question_type(q).uploaded:
                value = make_file(q) if make_file else None
                if value is not None:
                    answers[q.id] = value
                continue
            for value in [*_coherent(q, rng, country, answers), *_candidates(q, rng, country)]:
                if value_error(q, value, effective) is None:
                    answers[q.id] = value
                    break
    return _settle(definition, answers)


def _settle(definition: Definition, answers: dict[str, object]) -> dict[str, object]:
    """Drop answers that became irrelevant or invalid through later answers (forward references)."""
    for _ in range(5):
        _, relevant = relevance(definition, answers)
        kept = {k: v for k, v in answers.items() if relevant.get(k) and not is_empty(v)}
        bad = {p.question_id for p in problems_for_submit(definition, kept)
               if not definition.question_map[p.question_id].required and p.question_id in kept}
        kept = {k: v for k, v in kept.items() if k not in bad}
        if kept == answers:
            break
        answers = kept
    return answers


# `spoc demo` ----------------------------------------------------------------------------------
CURRENT_TITLE = "National SPOC structures 2026"
EARLIER_TITLE = "National SPOC structures 2025"
SUBMITTED_NOW = ("AT", "BG", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "IE", "IT", "LT", "PL", "PT", "SE")
SUBMITTED_EARLIER = ("AT", "BE", "DE", "FR", "LT", "NL", "SE")
BE_DRAFT_SECTIONS = 4


def load_demo(session: Session, users: dict) -> None:
    """Publish the shipped questionnaire and open the demo rounds (idempotent)."""
    from portal.db import utcnow
    from questionnaires.models import Response, ResponseStatus, Round, RoundStatus
    from questionnaires.services import responses, rounds, versions

    secretariat = users.get("secretariat@demo.invalid")
    definition = shipped("spoc_structures")
    version = versions.publish_definition(session, definition, actor=secretariat).version
    versions.publish_definition(session, shipped("training_feedback"), actor=secretariat)
    if session.scalar(select(Round.id).where(Round.title == CURRENT_TITLE)) is not None:
        return
    today = utcnow().date()
    countries = rounds.all_country_codes(session)

    def fill(round_, cc: str, seed: str, keep_sections: int | None = None) -> Response:
        response = responses.get_response(session, round_, cc)
        rng = random.Random(f"{seed}-{cc}")  # noqa: S311 - demo data, deterministic on purpose
        values = generate_answers(definition, rng, country=cc)
        if keep_sections is not None:
            ids = {q.id for s in definition.sections[:keep_sections] for q in s.questions}
            values = {k: v for k, v in values.items() if k in ids}
        actor = users.get(f"respondent.{cc.lower()}@demo.invalid")
        responses.save_answers(session, response, actor, values, via="demo")
        return response

    earlier = rounds.open_round(session, version, title=EARLIER_TITLE, deadline=today - dt.timedelta(days=200),
                                countries=countries, actor=secretariat, today=today - dt.timedelta(days=260))
    earlier.opened_at = utcnow() - dt.timedelta(days=260)
    for cc in SUBMITTED_EARLIER:
        response = fill(earlier, cc, "2025")
        assert not responses.submit(session, response, users.get(f"respondent.{cc.lower()}@demo.invalid"),
                                    share_free_text=True), cc
        response.submitted_at = utcnow() - dt.timedelta(days=205 + len(cc) + ord(cc[0]) % 9)
    earlier.status = RoundStatus.CLOSED
    earlier.closed_at = utcnow() - dt.timedelta(days=199)
    earlier.shared = True  # released to observers

    current = rounds.open_round(session, version, title=CURRENT_TITLE, deadline=today + dt.timedelta(days=21),
                                countries=countries, actor=secretariat)
    current.marking = "LIMITE"
    for cc in SUBMITTED_NOW:
        response = fill(current, cc, "2026")
        # every other country agrees that the others read its own words
        assert not responses.submit(session, response, None, share_free_text=SUBMITTED_NOW.index(cc) % 2 == 0), cc
    draft = fill(current, "BE", "2026", keep_sections=BE_DRAFT_SECTIONS)
    assert draft.status == ResponseStatus.DRAFT
    session.flush()

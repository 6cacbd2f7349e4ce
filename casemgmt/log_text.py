"""The words of a case's log entries in the reader's language: the case page's log and the access-log page.

An entry's `what` is stored in English as the service wrote it (`casemgmt.services.access_log.log`), and stays so:
the hash chain, the CSV export and `spoc audit verify` read it as stored. Shown, it is matched against the
sentences the services write and said again in the page's language: its values (registration numbers, e-mail
addresses, names, dates) unchanged, its codes (a message type, a case state, an outcome) by their labels, so that
no internal code reaches a page in any language ("own_initiative received on SIENA" reads "Own-initiative
information received on SIENA"). A text no sentence matches (one written before a sentence changed) is shown as
it is stored. Each sentence names where it is written; tests/casemgmt/test_log_text.py reads every entry the
demo writes. The reasons a known case is suggested as a possible duplicate (stored with the exchange,
casemgmt/services/dedupe.py) are said the same way on the case page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from casemgmt.models.enums import CaseStatus, ExchangeOutcome, HitStatus, MessageType
from portal.enums import N_, english_label, reader_language, say, say_n_in, translated


def _member(enum) -> Callable[[str], str]:
    """A stored code (or the code with spaces for underscores) by its label; an unknown one as it is."""
    def label(value: str) -> str:
        member = enum.of(value.replace(" ", "_"))
        return member.label if member is not None else value
    return label


def _by_english(labels: Callable[[], dict[str, str]]) -> Callable[[str], str]:
    """A label the sentence holds in English and lower case ("information provided") in the reader's language."""
    def label(value: str) -> str:
        english = labels().get(value)
        return translated(english) if english else value
    return label


def _outcomes() -> dict[str, str]:
    return {english_label(m).lower(): english_label(m) for m in ExchangeOutcome}


def _four_eyes() -> dict[str, str]:
    from casemgmt.services.approvals import FOUR_EYES

    return {label.lower(): label for label in FOUR_EYES.values()}


def _duty_roles() -> dict[str, str]:
    from casemgmt.services.duty import DUTY_ROLES

    return {label.lower(): label for label in DUTY_ROLES.values()}


def _template_kinds() -> dict[str, str]:
    from casemgmt.services.templates import KINDS

    return {label: label for label, _ in KINDS.values()}


PERSON_FIELD_LABELS = {"surname": N_("Surname"), "given_names": N_("Given names"), "date_of_birth": N_("Date of birth"),
                 "nationality": N_("Nationality"), "category": N_("Data-subject category"),
                 "assessment": N_("Assessment")}


def _person_fields(value: str) -> str:
    """The fields a person's edit changed ("surname, date_of_birth") by their labels."""
    return ", ".join(translated(PERSON_FIELD_LABELS[f]) if f in PERSON_FIELD_LABELS else f for f in value.split(", "))


def _kind(value: str) -> str:
    from casemgmt.entity_forms import kind_label

    return kind_label(value)


TRIGGERS = {"intake": N_("at intake"), "edit": N_("after an edit"), "on_demand": N_("on demand"),
            "new_data": N_("new reference data"), "merge": N_("after a merge")}


def run_trigger(value: str) -> str:
    """What started a cross-check run (a stored code: intake, edit, new_data…) in the reader's language."""
    return translated(TRIGGERS[value]) if value in TRIGGERS else value.replace("_", " ")


def run_sources(sources: list[str]) -> str:
    """What a cross-check run searched (stored codes: "cases", "dataset:<name>") in the reader's language."""
    return _sources(", ".join(sources or []))


def _sources(value: str) -> str:
    """What a run searched: "cases" (the SPOC's own) and reference data sets ("dataset:wanted-persons")."""
    def one(source: str) -> str:
        if source == "cases":
            return say("the SPOC's cases")
        if source.startswith("dataset:"):
            return say("data set %(name)s", name=source.removeprefix("dataset:"))
        return source
    return ", ".join(one(s) for s in value.split(", "))


def _entities(value: str) -> str:
    n = int(value)
    return say_n_in(reader_language(), "%(num)s entity", "%(num)s entities", n)


def _hits(value: str) -> str:
    n = int(value)
    return say_n_in(reader_language(), "%(num)s hit", "%(num)s hits", n)


_TYPE = r"(?P<type>[a-z_]+)"
_SPACED_TYPE = r"(?P<type>[a-z ]+)"
_CHANNEL = r"(?P<channel>[A-Za-z0-9_]+)"
_SOURCE = r"\((?P<source>[^)]*)\)"
_NUMBER = r"(?P<number>[A-Z]{2}-\d{4}-\d+)"
_EXCHANGE = r"(?P<exchange>[A-Z]{2}-\d{4}-\d+/\d+)"
_TYPES, _STATES = _member(MessageType), _member(CaseStatus)

# (pattern of the stored text, sentence shown, converters of the pattern's values); the first that matches says it
SENTENCES: list[tuple[re.Pattern, str, dict[str, Callable[[str], str]]]] = [(re.compile(f"^{p}$"), s, c) for p, s, c in [
    # casemgmt/services/intake.py, import_batch.py
    (f"{_TYPE} received on {_CHANNEL}, case registered {_SOURCE}",
     N_("%(type)s received on %(channel)s, case registered (%(source)s)"), {"type": _TYPES}),
    (f"{_TYPE} received on {_CHANNEL}, filed into {_EXCHANGE} {_SOURCE}",
     N_("%(type)s received on %(channel)s, filed into %(exchange)s (%(source)s)"), {"type": _TYPES}),
    (f"{_TYPE} received again on {_CHANNEL}: an exact repeat {_SOURCE}",
     N_("%(type)s received again on %(channel)s: an exact repeat (%(source)s)"), {"type": _TYPES}),
    ("attachment added", N_("attachment added"), {}),
    # casemgmt/services/requests.py
    (f"copy of request {_EXCHANGE} to Europol \\(Art\\. 12\\)", N_("copy of request %(exchange)s to Europol (Art. 12)"),
     {}),
    # casemgmt/services/exchanges.py, exchange_folder.py
    (f"{_SPACED_TYPE} sent \\({_EXCHANGE}\\)", N_("%(type)s sent (%(exchange)s)"), {"type": _TYPES}),
    (f"{_SPACED_TYPE} received \\({_EXCHANGE}\\)", N_("%(type)s received (%(exchange)s)"), {"type": _TYPES}),
    (f"exchange {_EXCHANGE} closed: (?P<outcome>.+)", N_("exchange %(exchange)s closed: %(outcome)s"),
     {"outcome": _by_english(_outcomes)}),
    (f"exchange {_EXCHANGE} opened: outgoing {_SPACED_TYPE}", N_("exchange %(exchange)s opened: %(type)s (outgoing)"),
     {"type": _TYPES}),
    (f"exchange {_EXCHANGE} opened: incoming {_SPACED_TYPE}", N_("exchange %(exchange)s opened: %(type)s (incoming)"),
     {"type": _TYPES}),
    (f"{_EXCHANGE}: not the same as (?P<of>.+)", N_("%(exchange)s: not the same as %(of)s"), {}),
    # casemgmt/services/workflow.py
    ("status (?P<old>[a-z_]+) → closed \\(every exchange closed\\)",
     N_("status %(old)s → Closed (every exchange closed)"), {"old": _STATES}),
    ("status (?P<old>[a-z_]+) → (?P<new>[a-z_]+)", N_("status %(old)s → %(new)s"), {"old": _STATES, "new": _STATES}),
    ("evaluation recorded", N_("evaluation recorded"), {}),
    ("cross-check against the module's data", N_("cross-check against the module's data"), {}),
    ("assigned to (?P<user>\\S+)", N_("assigned to %(user)s"), {}),
    ("unassigned", N_("unassigned"), {}),
    ("priority set to (?P<level>\\d+)", N_("priority set to %(level)s"), {}),
    ("priority override removed", N_("priority override removed"), {}),
    ("note added", N_("note added"), {}),
    ("task added", N_("task added"), {}),
    ("task done", N_("task done"), {}),
    # casemgmt/services/dedupe.py
    (f"merged into {_NUMBER}", N_("merged into %(number)s"), {}),
    (f"{_NUMBER} merged into this case", N_("%(number)s merged into this case"), {}),
    (f"linked with {_NUMBER}", N_("linked with %(number)s"), {}),
    # casemgmt/services/bulk.py
    ("listed in an export of the inbox", N_("listed in an export of the inbox"), {}),
    ("added to a retention review", N_("added to a retention review"), {}),
    # casemgmt/services/entities.py, casemgmt/views/entities.py
    ("(?P<kind>[a-z_]+) #(?P<id>\\d+) added", N_("%(kind)s #%(id)s added"), {"kind": _kind}),
    ("person #(?P<id>\\d+) edited: (?P<fields>.+)", N_("person #%(id)s edited: %(fields)s"), {"fields": _person_fields}),
    ("(?P<kind>[a-z_]+) #(?P<id>\\d+) flagged inaccurate or out of date",
     N_("%(kind)s #%(id)s flagged inaccurate or out of date"), {"kind": _kind}),
    ("(?P<kind>[a-z_]+) #(?P<id>\\d+) flag removed", N_("%(kind)s #%(id)s: flag removed"), {"kind": _kind}),
    ("person #(?P<id>\\d+) opened for editing", N_("person #%(id)s opened for editing"), {}),
    # casemgmt/services/outgoing.py
    ("reply sent to the requester", N_("reply sent to the requester"), {}),
    ("refusal sent to the requester", N_("refusal sent to the requester"), {}),
    ("partial refusal sent to the requester", N_("partial refusal sent to the requester"), {}),
    ("delay notice sent \\(judicial authorisation pending\\)", N_("delay notice sent (judicial authorisation pending)"),
     {}),
    ("judicial authorisation granted", N_("judicial authorisation granted"), {}),
    ("judicial authorisation refused", N_("judicial authorisation refused"), {}),
    ("disseminated to (?P<authority>.+)", N_("disseminated to %(authority)s"), {}),
    ("case file exported \\(CSV\\)", N_("case file exported (CSV)"), {}),
    # casemgmt/services/approvals.py
    ("(?P<kind>.+): draft sent for approval", N_("%(kind)s: draft sent for approval"),
     {"kind": _by_english(_four_eyes)}),
    ("(?P<kind>.+): approved and sent", N_("%(kind)s: approved and sent"), {"kind": _by_english(_four_eyes)}),
    ("(?P<kind>.+): sent back", N_("%(kind)s: sent back"), {"kind": _by_english(_four_eyes)}),
    # casemgmt/services/retention.py
    ("retention review: kept until (?P<date>\\d{4}-\\d{2}-\\d{2})", N_("retention review: kept until %(date)s"), {}),
    ("personal data erased \\(retention review\\)", N_("personal data erased (retention review)"), {}),
    # casemgmt/views/case.py, casemgmt/api.py
    ("case page opened", N_("case page opened"), {}),
    ("attachment #(?P<id>\\d+) opened", N_("attachment #%(id)s opened"), {}),
    ("case page shown again after a refused action", N_("case page shown again after a refused action"), {}),
    ("case read through the API", N_("case read through the API"), {}),
    ("closed case's record read through the API, personal data withheld \\(no justification\\)",
     N_("closed case's record read through the API, personal data withheld (no justification)"), {}),
    # casemgmt/crosscheck/services/runs.py, hits.py
    ("cross-check \\((?P<trigger>[a-z_]+)\\): (?P<entities>\\d+) entities against (?P<sources>.+); (?P<hits>\\d+) hits",
     N_("cross-check (%(trigger)s): %(entities)s against %(sources)s; %(hits)s"),
     {"trigger": run_trigger, "entities": _entities, "sources": _sources, "hits": _hits}),
    ("cross-check hits consulted", N_("cross-check hits consulted"), {}),
    ("cross-check hits consulted through the (?P<via>.+)", N_("cross-check hits consulted through the %(via)s"), {}),
    ("cross-check hit (?P<decision>[a-z_]+): (?P<query>\\S+) ~ (?P<matched>\\S+)",
     N_("cross-check hit %(decision)s: %(query)s ~ %(matched)s"), {"decision": _member(HitStatus)}),
    # casemgmt/services/search.py
    ("search across cases \\((?P<via>[^)]+)\\): (?P<terms>.*)", N_("search across cases (%(via)s): %(terms)s"), {}),
    # casemgmt/services/duty.py
    ("(?P<role>.+) shift of (?P<user>\\S+): (?P<start>[-0-9]+ [0-9:]+) to (?P<end>[-0-9]+ [0-9:]+)",
     N_("%(role)s shift of %(user)s: %(start)s to %(end)s"), {"role": _by_english(_duty_roles)}),
    ("shift removed", N_("shift removed"), {}),
    # casemgmt/services/templates.py
    ("message template saved: (?P<kind>.+?), (?P<language>[a-z]{2}), (?P<title>.*)",
     N_("message template saved: %(kind)s, %(language)s, %(title)s"), {"kind": _by_english(_template_kinds)}),
    ("message template deleted: (?P<title>.*)", N_("message template deleted: %(title)s"), {}),
    # casemgmt/services/dedupe.py: why a known case is suggested as a possible duplicate (stored with the exchange)
    (f"same {_CHANNEL} reference (?P<reference>.+)", N_("same %(channel)s reference %(reference)s"), {}),
    (f"quotes the {_CHANNEL} reference (?P<reference>.+)", N_("quotes the %(channel)s reference %(reference)s"), {}),
    (f"mentions the registration number {_NUMBER}", N_("mentions the registration number %(number)s"), {}),
    (f"mentions the {_CHANNEL} reference (?P<reference>.+)", N_("mentions the %(channel)s reference %(reference)s"),
     {}),
]]


def readable(what: str) -> str:
    """An entry's words as a person reads them, in the page's language (above); the entry itself is not changed."""
    text = str(what or "")
    for pattern, sentence, converters in SENTENCES:
        if (found := pattern.match(text)) is not None:
            values = {k: converters[k](v) if k in converters else v for k, v in found.groupdict().items()}
            return say(sentence, **values) if values else translated(sentence)
    return text

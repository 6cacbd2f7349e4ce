"""The cross-check of cases: index a case's entities, search every source, keep hits and decisions.

Sources, all within the case's own SPOC (tenancy): (a) the entities of the SPOC's other cases,
(b) the reference data sets it loaded, (c) the external sources it may query (sources.py).
A run is logged in the audit log as a combination of data (Directive 2016/680 Art. 25).
Rules, one module per concern (no Flask): indexing (a case's subjects), runs (searching the sources),
hits (the results and the decisions).
"""

from __future__ import annotations

from casemgmt.models.enums import HitStatus
from portal.errors import NotFoundError, RuleError

AREA = "casemgmt"
INLINE_MAX_ENTITIES = 25  # more entities than this: the run is left pending for the background
DECISIONS = tuple(HitStatus)  # the officer's decision on a hit: confirmed, rejected, or back to unreviewed


class CrossCheckError(RuleError):
    """A decision on a hit refused (portal.errors.RuleError, a catalogue message)."""


class NoSuchHit(CrossCheckError, NotFoundError):
    """No such hit in the case (or another country's): `field` "hit", 404 on the page and in the API."""


from casemgmt.crosscheck.matching import POSSIBLE, STRONG  # noqa: E402
from casemgmt.crosscheck.services.hits import (  # noqa: E402
    case_summary,
    decide_hit,
    hits_of,
    latest_run,
    record_consultation,
    unreviewed_strong_hits,
)
from casemgmt.crosscheck.services.indexing import case_entities, forget_case, forget_entity, index_case  # noqa: E402
from casemgmt.crosscheck.services.runs import (  # noqa: E402
    IntakeSubject,
    NewCaseRun,
    RunResult,
    prepare_subjects,
    request_run,
    run_crosscheck,
    run_or_defer,
    run_pending,
    search_new_case,
    write_run,
)
from casemgmt.crosscheck.subjects import entity_ref, new_kind_identifiers, subject_of  # noqa: E402

__all__ = ["AREA", "DECISIONS", "INLINE_MAX_ENTITIES", "POSSIBLE", "STRONG", "CrossCheckError", "IntakeSubject", "NewCaseRun", "NoSuchHit", "RunResult",
           "case_entities", "case_summary", "decide_hit", "entity_ref", "forget_case",
           "forget_entity", "hits_of", "index_case", "latest_run", "new_kind_identifiers", "prepare_subjects",
           "record_consultation", "request_run", "run_crosscheck", "run_or_defer", "run_pending", "search_new_case", "subject_of",
           "unreviewed_strong_hits", "write_run"]

"""Priority by written rules (1 highest … 5 lowest), with a recorded override."""

from __future__ import annotations

import datetime as dt
import re

from casemgmt.models import Case, UrgencyGround
from casemgmt.services import CaseError
from casemgmt.services.deadlines import time_left
from portal.enums import N_, translated

LEVELS = {1: N_("Critical"), 2: N_("High"), 3: N_("Elevated"), 4: N_("Normal"), 5: N_("Low")}
# The reasons are kept with the case in English, as below; a page shows them in its reader's language (reason_text).
URGENT = re.compile(r"^Urgent, ground: (?P<ground>.+) → (?P<level>\d)$")
CATEGORY = re.compile(r"^Crime category “(?P<category>.*)” → (?P<level>\d)$")
REASONS = (N_("PCCC channel (operation at the border) → 3"), N_("Information only, not urgent → 5"),
           N_("Overdue or little time left → one level higher"), N_("No rule applies → 4 (normal)"), N_("Concluded"))


def compute_priority(case: Case, settings: dict, now: dt.datetime) -> tuple[int, list[str]]:
    """The rules, in order; the most pressing one wins and each rule that applied is explained.

    1. Urgency ground (Art. 4(4)): a threat to life or physical integrity, or an immediate and
       serious threat to public security → 1; deprivation of liberty or loss of relevance → 2.
    2. Crime category, from the SPOC's configurable list → the level the list gives (1-4).
    3. Channel: PCCC messages concern operations at the border, usually under way → at least 3.
    4. Copies and own-initiative information that are not urgent → 5, unless a rule above applies.
    5. Time left: overdue, or due within the "due soon" hours → one level higher.
    """
    level, reasons = 4, []
    if case.urgent:
        if case.urgency_ground in ("life_or_physical_integrity", "public_security_threat"):
            level = 1
            reasons.append(f"Urgent, ground: {case.urgency_ground.replace('_', ' ')} → 1")
        else:
            level = 2
            reasons.append(f"Urgent, ground: {(case.urgency_ground or 'not given').replace('_', ' ')} → 2")
    categories = settings["crime_categories"]
    category = (case.crime_category or "").strip().lower()
    if category and category in categories:
        cat_level = int(categories[category])
        if cat_level < level:
            reasons.append(f"Crime category “{category}” → {cat_level}")
        level = min(level, cat_level)
    if case.channel == "PCCC" and level > 3:
        level = 3
        reasons.append("PCCC channel (operation at the border) → 3")
    if not case.urgent and case.request_type in ("copy", "own_initiative") and level == 4:
        level = 5
        reasons.append("Information only, not urgent → 5")
    if case.clock_running:
        left = time_left(case, now)
        if left <= dt.timedelta(hours=int(settings["due_soon_hours"])) and level > 1:
            level -= 1
            reasons.append("Overdue or little time left → one level higher")
    if not reasons:
        reasons.append("No rule applies → 4 (normal)")
    return level, reasons


def reason_text(reason: str) -> str:
    """A kept reason in the reader's language: the urgency ground by its label (Art. 4(4)), not its code."""
    if found := URGENT.match(reason):
        code = found["ground"].replace(" ", "_")
        ground = UrgencyGround(code).label if code in UrgencyGround._value2member_map_ else \
            translated(N_("not given")) if code == "not_given" else found["ground"]
        return translated(N_("Urgent, ground: %(ground)s → %(level)s")) % {"ground": ground, "level": found["level"]}
    if found := CATEGORY.match(reason):
        # a default category by its name in the reader's language (casemgmt.services.settings), one a SPOC added as typed
        return translated(N_("Crime category “%(category)s” → %(level)s")) % {
            "category": translated(found["category"]), "level": found["level"]}
    return translated(reason)


def refresh_priority(case: Case, settings: dict, now: dt.datetime) -> None:
    case.priority_computed, case.priority_reasons = compute_priority(case, settings, now)
    case.priority = case.priority_override or case.priority_computed


def override_priority(case: Case, level: int | None, reason: str, settings: dict, now: dt.datetime) -> None:
    """Set (or with None, remove) a manual priority; a reason is required."""
    if level is not None and level not in LEVELS:
        raise CaseError("Choose a priority from 1 to 5.", "priority")
    if not reason.strip():
        raise CaseError("Give the reason for the override.", "reason")
    case.priority_override = level
    case.priority_override_reason = reason.strip() if level is not None else ""
    refresh_priority(case, settings, now)

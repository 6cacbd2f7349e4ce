"""A SPOC's case-management settings: defaults in code, overrides in the case_settings table."""

from __future__ import annotations

import json

from sqlalchemy import Text, bindparam, cast, select
from sqlalchemy.orm import Session

from casemgmt.models import CaseSetting
from casemgmt.services import CaseError
from portal.db.prepared import Prepared
from portal.enums import N_

# Crime categories (after the offences of Art. 2(3) of Framework Decision 2002/584/JHA) and the
# priority level (1 highest … 4) a request about them gets at least. Stored as written here (a SPOC adds its own
# in its language); these are shown in the reader's language (N_: the catalogues hold them).
DEFAULT_CRIME_CATEGORIES = {
    N_("terrorism"): 1,
    N_("murder or grievous bodily injury"): 1,
    N_("kidnapping or hostage-taking"): 1,
    N_("trafficking in human beings"): 1,
    N_("sexual exploitation of children"): 1,
    N_("illicit trafficking in weapons or explosives"): 2,
    N_("illicit trafficking in narcotic drugs"): 2,
    N_("organised or armed robbery"): 2,
    N_("participation in a criminal organisation"): 2,
    N_("facilitation of unauthorised entry"): 2,
    N_("money laundering"): 3,
    N_("fraud"): 3,
    N_("cybercrime"): 3,
    N_("motor vehicle crime"): 3,
    N_("theft"): 4,
    N_("other"): 4,
}

DEFAULTS: dict[str, object] = {
    # internal targets in calendar hours, shown beside the Art. 5(1) legal deadline: a SPOC may set
    # them shorter than the law's 8 hours / 3 days / 7 days, never longer (casemgmt.services.frameworks)
    "limit_urgent_direct_hours": 8,
    "limit_urgent_indirect_hours": 72,
    "limit_other_hours": 168,
    # pages mark cases due within this many hours; reminders warn this many hours ahead
    "due_soon_hours": 2,
    "reminder_hours": 4,
    # retention review after the exchange is concluded (6 months is the figure cited, unverified)
    "retention_review_months": 6,
    "crime_categories": DEFAULT_CRIME_CATEGORIES,
    # four-eyes (issue 17, point 5): what needs a supervisor's approval before it leaves the SPOC
    # (casemgmt.services.approvals.FOUR_EYES); none by default
    "four_eyes": [],
    # 24/7 duty (issue 17, point 4): an urgent request nobody took after this many minutes goes to the
    # shift leader on duty
    "escalate_unassigned_minutes": 30,
}

DESCRIPTIONS = {
    "limit_urgent_direct_hours": "Internal target: urgent request, directly accessible information (hours; "
                                 "the law allows at most 8)",
    "limit_urgent_indirect_hours": "Internal target: urgent request, indirectly accessible information (hours; "
                                   "the law allows at most 72)",
    "limit_other_hours": "Internal target: any other request (hours; the law allows at most 168)",
    "due_soon_hours": "Mark cases due within (hours)",
    "reminder_hours": "Remind the assignee this many hours before the deadline",
    "retention_review_months": "Retention review after the exchange is concluded (months)",
    "crime_categories": "Crime categories and the priority level they get",
    "four_eyes": "What needs a supervisor's approval before it leaves (refusal, restricted, request)",
    "escalate_unassigned_minutes": "An urgent request nobody took goes to the shift leader after (minutes)",
}


_SETTINGS = CaseSetting.__table__
# the value as its JSON text (the same on both databases), so the statement runs prepared on the driver's
# cursor: SQLAlchemy's execution cost ~4 % of an intake's CPU on PostgreSQL (bench/intake.py, issue 24)
_OF_COUNTRY = Prepared(select(_SETTINGS.c.key, cast(_SETTINGS.c.value, Text)).where(
    _SETTINGS.c.country_code == bindparam("cc")))


def load_settings(session: Session, country_code: str) -> dict:
    # a fresh copy of the defaults (one level deep is all they have), so a caller never changes them
    values = {k: (v.copy() if isinstance(v, list | dict) else v) for k, v in DEFAULTS.items()}
    for key, value in _OF_COUNTRY.all(session.connection(), {"cc": country_code}):
        if key in values:
            values[key] = None if value is None else json.loads(value)
    return values


def validate_setting(key: str, value: object) -> object:
    from casemgmt.services.frameworks import LEGAL_LIMIT_HOURS

    if key == "pausing_states":
        raise CaseError("Only a request for clarification stops the clock (Art. 6(3) of Directive (EU) 2023/977); "
                        "this is set by law, not a setting.", key)
    if key not in DEFAULTS:
        raise CaseError("There is no setting “%(key)s”.", "key", key=key)
    if key == "four_eyes":
        from casemgmt.services.approvals import FOUR_EYES

        if not isinstance(value, list) or any(v not in FOUR_EYES for v in value):
            raise CaseError("Choose among: %(choices)s.", key, choices=", ".join(FOUR_EYES))
        return sorted(set(value))
    if key == "crime_categories":
        if not isinstance(value, dict) or not value or any(
                not isinstance(k, str) or not k.strip() or not isinstance(v, int) or not 1 <= v <= 4
                for k, v in value.items()):
            raise CaseError("Give categories with a level from 1 (highest) to 4.", key)
        return {k.strip().lower(): v for k, v in value.items()}
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10_000:
        raise CaseError("Give a whole number between 1 and 10000.", key)
    if key in LEGAL_LIMIT_HOURS and value > LEGAL_LIMIT_HOURS[key]:
        raise CaseError("Art. 5(1) of Directive (EU) 2023/977 sets this limit at %(hours)s hours; an internal "
                        "target may be shorter, not longer.", key, hours=LEGAL_LIMIT_HOURS[key])
    return value


def set_setting(session: Session, country_code: str, key: str, value: object, actor=None) -> None:
    from portal import audit

    value = validate_setting(key, value)
    row = session.scalar(select(CaseSetting).where(CaseSetting.country_code == country_code,
                                                   CaseSetting.key == key))
    if row is None:
        session.add(CaseSetting(country_code=country_code, key=key, value=value))
    else:
        row.value = value
    audit.record(session, actor=actor, area="casemgmt", action=audit.AuditAction.ADMIN, object_type="setting",
                 object_id=key, country_code=country_code, details={"value": value})
    session.flush()

"""Priority by written rules, overridable with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from casemgmt.models import Case
from casemgmt.services import CaseError
from casemgmt.services.deadlines import set_deadline
from casemgmt.services.priority import compute_priority, override_priority
from casemgmt.services.settings import DEFAULTS

NOW = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)


def case(**kw) -> Case:
    values = dict(urgent=False, urgency_ground=None, information_access=None, crime_category="", channel="SIENA",
                  request_type="request", direction="in", status="received", received_at=NOW, paused_seconds=0,
                  replied_at=None, paused_since=None, merged_into_id=None, priority_override=None)
    values.update(kw)
    c = Case(**values)
    set_deadline(c, DEFAULTS)
    return c


@pytest.mark.parametrize(("kw", "level"), [
    ({}, 4),
    ({"urgent": True, "urgency_ground": "life_or_physical_integrity", "information_access": "indirect"}, 1),
    ({"urgent": True, "urgency_ground": "public_security_threat", "information_access": "indirect"}, 1),
    ({"urgent": True, "urgency_ground": "deprivation_of_liberty", "information_access": "indirect"}, 2),
    ({"crime_category": "terrorism"}, 1),
    ({"crime_category": "Money laundering"}, 3),
    ({"crime_category": "unknown category"}, 4),
    ({"channel": "PCCC"}, 3),
    ({"request_type": "copy"}, 5),
    ({"request_type": "copy", "crime_category": "fraud"}, 3),
    ({"received_at": NOW - dt.timedelta(days=7, hours=1)}, 3),  # overdue: one level higher
])
def test_rules(kw, level):
    got, reasons = compute_priority(case(**kw), DEFAULTS, NOW)
    assert got == level and reasons


def test_categories_are_configurable():
    settings = {**DEFAULTS, "crime_categories": {"theft": 1}}
    assert compute_priority(case(crime_category="theft"), settings, NOW)[0] == 1


def test_override_needs_a_reason_and_can_be_removed():
    c = case()
    with pytest.raises(CaseError) as exc:
        override_priority(c, 1, "  ", DEFAULTS, NOW)
    assert exc.value.field == "reason"
    override_priority(c, 1, "Minister asked", DEFAULTS, NOW)
    assert (c.priority, c.priority_computed, c.priority_override_reason) == (1, 4, "Minister asked")
    override_priority(c, None, "back to the rules", DEFAULTS, NOW)
    assert c.priority == 4

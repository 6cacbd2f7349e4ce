"""Declared access of the funding routes with object parameters (see tests/hardening/access.py): a meeting's
budget is read by the secretariat and admins only."""

from __future__ import annotations

from tests.hardening.access import Access
from tests.portal.meetings.access_rules import STAFF, matrix_meeting


def _budget(app, make_user) -> dict:
    return {"subject_type": "meeting", "subject_id": matrix_meeting(app, make_user)["meeting_id"]}


RULES = {
    "api.funding_budget": Access(_budget, network=STAFF),
}

"""Authorisation lives in portal/policy only (issue 22): no view, service or template outside
portal/policy and portal/accounts compares a user's role with a role's name; they ask policy
(`policy.can_x(user)`; templates: `policy.can_x(current_user)` or a `can_*` flag from the view)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.accounts.models import Role

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("portal", "questionnaires", "reports", "casemgmt")
ALLOWED = ("portal/policy/", "portal/accounts/")
_NAMES = "|".join(sorted(r.value for r in Role))
# `role == "x"`, `role in ("x", ...)`, `role.value != 'x'`, `User.role.in_(("x", ...))`
PYTHON = re.compile(rf"""\brole\b(\.value)?\s*(==|!=|\bin\b|\bnot in\b|\.in_\()\s*[\(\[\{{]?\s*["']({_NAMES})["']""")
TEMPLATE = re.compile(rf"""\brole\s*(==|!=|\bin\b|\bnot in\b)\s*[\(\[]?\s*['"]({_NAMES})['"]""")


def role_literals(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(ALLOWED) or "__pycache__" in rel or "/static/" in rel:
            continue
        pattern = PYTHON if path.suffix == ".py" else TEMPLATE if path.suffix == ".html" else None
        if pattern is None:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{rel}:{text.count(chr(10), 0, m.start()) + 1}" for m in pattern.finditer(text)]
    return found


def test_the_detector_sees_a_role_literal():
    assert PYTHON.search('if user.role in ("officer", "supervisor"):')
    assert PYTHON.search("User.role.in_(('officer', 'supervisor'))")
    assert TEMPLATE.search("{% if current_user.role == 'head_of_spoc' %}")
    assert not PYTHON.search("if policy.can_handle_case(user, case):")


@pytest.mark.parametrize("package", ["portal", "questionnaires", "reports"])
def test_no_role_literal_outside_policy_and_accounts(package):
    assert role_literals(package) == []


@pytest.mark.xfail(strict=True, reason="case management still compares roles itself: casemgmt/cli.py, "
                   "casemgmt/services/inbox.py, casemgmt/services/workflow.py, casemgmt/views/case.py, "
                   "casemgmt/templates/casemgmt/_nav.html (to move into portal/policy/cases.py)")
def test_no_role_literal_in_case_management():
    assert role_literals("casemgmt") == []

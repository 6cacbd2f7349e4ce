"""Authorisation lives in portal/policy only (issue 22): no view, service or template outside
portal/policy and portal/accounts compares a user's role with a role's name or a Role member; they
ask policy (`policy.can_x(user)`, whom to write to: `policy.heads_of_spoc_of(cc)`, ...; templates:
`policy.can_x(current_user)` or a `can_*` flag from the view)."""

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
# `Role.HEAD_OF_SPOC`, `Role(user.role)`: the enum itself, outside policy and accounts
ENUM = re.compile(rf"""\bRole(\.({"|".join(r.name for r in Role)})\b|\()""")
TEMPLATE = re.compile(rf"""\brole\s*(==|!=|\bin\b|\bnot in\b)\s*[\(\[]?\s*['"]({_NAMES})['"]""")


def role_literals(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(ALLOWED) or "__pycache__" in rel or "/static/" in rel:
            continue
        patterns = (PYTHON, ENUM) if path.suffix == ".py" else (TEMPLATE,) if path.suffix == ".html" else ()
        text = path.read_text(encoding="utf-8") if patterns else ""
        lines = {text.count(chr(10), 0, m.start()) + 1 for pattern in patterns for m in pattern.finditer(text)}
        found += [f"{rel}:{line}" for line in sorted(lines)]
    return found


def test_the_detector_sees_a_role_literal():
    assert PYTHON.search('if user.role in ("officer", "supervisor"):')
    assert PYTHON.search("User.role.in_(('officer', 'supervisor'))")
    assert TEMPLATE.search("{% if current_user.role == 'head_of_spoc' %}")
    assert ENUM.search("if role is Role.HEAD_OF_SPOC:") and ENUM.search("Role(actor.role)")
    assert not PYTHON.search("if policy.can_handle_case(user, case):")
    assert not ENUM.search("kind = ProposerKind(policy.proposes_as(actor))")


@pytest.mark.parametrize("package", ["portal", "questionnaires", "reports"])
def test_no_role_literal_outside_policy_and_accounts(package):
    assert role_literals(package) == []


def test_no_role_literal_in_case_management():
    assert role_literals("casemgmt") == []

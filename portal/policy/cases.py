"""Case management: a SPOC's own cases, for its case roles only."""

from __future__ import annotations

from portal.accounts.models import CASE_ROLES, Role
from portal.policy.base import is_own_country, role_of


def can_use_cases(user) -> bool:
    """Case management is a SPOC's own: network staff and admins are not in it."""
    return role_of(user) in CASE_ROLES and bool(user.country_code)


def can_view_case(user, case) -> bool:
    # Every case role of the SPOC reads its cases (the DPO for lawfulness checks); nobody else,
    # not the secretariat, not an admin: 404.
    return can_use_cases(user) and is_own_country(user, case.country_code)


def lists_show_subject(case) -> bool:
    """Whether a list of cases (the inbox, GET /api/v1/cases) shows the case's subject. A closed
    case opens only with a justification, which is logged (LED Art. 25); its subject often names
    the person, so a list shows a closed case's number, status and dates, never its subject: that
    would be a consultation without the justification and without the log entry. Open and merged
    cases (their page asks nothing) show it. `case` is a Case or an inbox row."""
    return case.is_open or case.merged_into_id is not None


def can_handle_case(user, case) -> bool:
    """Changes a case: evaluation, workflow, replies, dissemination, links, attachments."""
    return can_view_case(user, case) and role_of(user) in (Role.OFFICER, Role.SUPERVISOR)


def can_register_cases(user) -> bool:
    """Registers incoming messages (web form, API, file import) for their own SPOC."""
    return can_use_cases(user) and role_of(user) in (Role.OFFICER, Role.SUPERVISOR)


RETENTION_DECIDERS = (Role.SUPERVISOR, Role.HEAD_OF_SPOC)


def can_decide_retention(user, case) -> bool:
    """Keeps or erases a closed case's personal data after the review."""
    return can_view_case(user, case) and role_of(user) in RETENTION_DECIDERS


def retention_decider_roles() -> list[str]:
    """The roles told each day that retention reviews of their SPOC are due (those who decide them)."""
    return [r.value for r in RETENTION_DECIDERS]


def can_manage_case_settings(user) -> bool:
    """Time limits, pausing states, crime categories, retention period, national authorities."""
    return can_use_cases(user) and role_of(user) in (Role.SUPERVISOR, Role.HEAD_OF_SPOC)


CASE_HANDLERS = (Role.OFFICER, Role.SUPERVISOR)


def can_be_assigned(user, country_code: str) -> bool:
    """Who may be assigned a case of this SPOC: its active officers and supervisors (one rule, for the
    assign form, the bulk action and the service)."""
    return bool(user is not None and getattr(user, "active", False) and is_own_country(user, country_code)
                and role_of(user) in CASE_HANDLERS)


def assignable_roles() -> list[str]:
    """The roles of can_be_assigned, for a query of the SPOC's people."""
    return [r.value for r in CASE_HANDLERS]


APPROVERS = (Role.SUPERVISOR, Role.HEAD_OF_SPOC)


def can_approve_cases(user) -> bool:
    """Four-eyes (issue 17, point 5): approves or sends back what an officer wants to send."""
    return can_use_cases(user) and role_of(user) in APPROVERS


def can_approve(user, case) -> bool:
    return can_view_case(user, case) and role_of(user) in APPROVERS


def can_see_team_load(user) -> bool:
    return can_use_cases(user) and role_of(user) in (Role.SUPERVISOR, Role.HEAD_OF_SPOC)


def can_read_access_log(user, country_code: str) -> bool:
    return role_of(user) in (Role.DPO, Role.SUPERVISOR) and is_own_country(user, country_code)


def cases_visible_to(user):
    """The condition on Case of what `user` may see: their SPOC's cases (false for anyone outside case
    management). The API's lists and the dashboard's counts filter with it."""
    from sqlalchemy import false

    from casemgmt.models import Case

    if not can_use_cases(user):
        return false()
    return Case.country_code == user.country_code


def visible_cases(user):
    """select(Case) limited to the user's SPOC (nothing for anyone outside case management)."""
    from sqlalchemy import select

    from casemgmt.models import Case

    return select(Case).where(cases_visible_to(user))


def deadline_escalation_roles() -> list[str]:
    """Who is told when an exchange's legal deadline is near or passed (24/7 duty, issue 17 point 4)."""
    return [Role.SUPERVISOR.value]


def can_search_cases(user) -> bool:
    """Search across the SPOC's cases (issue 17, point 3): every case role of the SPOC, its own cases only
    (the search reads `visible_cases`' country; each search is a logged consultation)."""
    return can_use_cases(user)


def can_use_saved_search(user, saved) -> bool:
    """A saved search is its author's own: another user's, or one of another country, is a 404."""
    return (can_search_cases(user) and saved.user_id == user.id and is_own_country(user, saved.country_code))

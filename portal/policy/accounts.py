"""Who manages the users and the task queue."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.policy.base import role_of


def can_manage_users(user) -> bool:
    return role_of(user) is Role.ADMIN


def can_manage_jobs(user) -> bool:
    """The task queue's failed jobs (/admin/jobs): retry or drop."""
    return role_of(user) is Role.ADMIN

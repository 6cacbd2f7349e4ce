"""Funding: budgets and cost lines of meetings and training."""

from __future__ import annotations

from portal.policy.base import is_network_staff


def can_manage_funding(user) -> bool:
    return is_network_staff(user)

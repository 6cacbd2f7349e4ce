"""Declared access of the directory's routes (see tests/hardening/access.py).

The SPOC records are the network's public directory: every role of every country reads every
country's record (the BE record here is read by BE and NL users alike)."""

from __future__ import annotations

from dataclasses import dataclass

from tests.hardening.access import COUNTRY_ROLES, NETWORK_ROLES, Access


@dataclass(frozen=True)
class Everyone(Access):
    """Every signed-in role, whatever its country."""

    def allows(self, role: str, country: str | None) -> bool:
        return role in NETWORK_ROLES or role in COUNTRY_ROLES


def _nothing(app, make_user):
    return {}


def _belgium(app, make_user):
    return {"code": "BE"}


RULES = {
    "api.directory_spocs": Everyone(_nothing),
    "api.directory_spoc": Everyone(_belgium),
}

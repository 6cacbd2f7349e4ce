"""How a route's access is declared for the authorisation matrix (tests/hardening/test_authorisation_matrix.py).

In `tests/<domain>/access_rules.py`:

    from tests.hardening.access import Access

    def _case(app, make_user):          # creates a BE-owned object, returns url_for() arguments
        ...
        return {"case_id": case.id}

    RULES = {
        "casemgmt.case": Access(_case, roles={"officer", "supervisor", "head_of_spoc", "dpo"}),
        "questionnaires.response": Access(_resp, roles={"respondent", "head_of_spoc"}, network={"secretariat"}),
    }

A route reachable without login (e.g. a calendar feed authenticated by a token in its URL) is
listed in the same module as `PUBLIC = {"meetings.feed": "token in the URL"}` (endpoint → reason).

`roles` are the country roles that may use the object of THEIR OWN country (BE); the same roles of
another country (NL) must get 404. `network` are network-wide roles (admin, secretariat, observer)
that may use it. Everyone else gets 404. An allowed GET must answer below 400 (or one of
`allowed_errors`); a refused request of any method must answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

COUNTRY_ROLES = ("head_of_spoc", "respondent", "officer", "supervisor", "dpo", "trainer")
NETWORK_ROLES = ("admin", "secretariat", "observer")
ALL_ROLES = [(r, None) for r in NETWORK_ROLES] + [(r, "BE") for r in COUNTRY_ROLES]

# Reachable without login (everything else must redirect to /login or answer 401).
PUBLIC_ENDPOINTS = {
    "accounts.login", "accounts.logout", "accounts.set_password", "accounts.login_verify",
    "home.healthz", "api.openapi_json", "static",
}
# Not application routes.
SKIP_ENDPOINTS = {"static"}


@dataclass(frozen=True)
class Access:
    make: Callable  # (app, make_user) -> dict of url_for arguments for a BE-owned object
    roles: set[str] = field(default_factory=set)
    network: set[str] = field(default_factory=set)
    allowed_errors: tuple[int, ...] = ()

    def allows(self, role: str, country: str | None) -> bool:
        if role in NETWORK_ROLES:
            return role in self.network
        return role in self.roles and country == "BE"

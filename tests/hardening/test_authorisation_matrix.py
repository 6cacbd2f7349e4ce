"""The authorisation matrix: every route of the app (from its URL map) × every role × own / other
country. A new route without a declared access rule fails here, so nobody has to remember.

Declarations live beside each domain's tests, in `tests/<domain>/access_rules.py`, as
`RULES = {endpoint: Access(...)}` (see tests/hardening/access.py); routes whose only parameter is
a country code or that take no parameter are covered generically below.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import tests
from tests.conftest import PortalClient, fresh, user_factory
from tests.hardening.access import ALL_ROLES, PUBLIC_ENDPOINTS, SKIP_ENDPOINTS, Access

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def _access_modules():
    root = Path(tests.__file__).parent
    for module in pkgutil.walk_packages([str(root)], prefix="tests."):
        if module.name.endswith(".access_rules"):
            yield importlib.import_module(module.name)


def _declared_rules() -> dict[str, Access]:
    rules: dict[str, Access] = {}
    for module in _access_modules():
        rules.update(module.RULES)
    return rules


def _public() -> set[str]:
    """Endpoints reachable without login: the foundation's, plus each module's `PUBLIC` set with reasons."""
    public = set(PUBLIC_ENDPOINTS)
    for module in _access_modules():
        public |= set(getattr(module, "PUBLIC", {}))
    return public


def _rules_of(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS or rule.endpoint.startswith("bootstrap.") or rule.endpoint == "static":
            continue
        yield rule


def _sample_url(rule) -> str:
    def fill(match):
        converter, name = match.group(1) or "", match.group(2)
        if converter == "int":
            return "1"
        if name in ("code", "cc", "country", "country_code"):
            return "BE"
        return "x"

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", fill, rule.rule)


def test_every_route_with_an_object_parameter_has_an_access_rule(app):
    declared = _declared_rules()
    missing = []
    for rule in _rules_of(app):
        params = set(rule.arguments) - {"code"}
        if params and rule.endpoint not in declared and rule.endpoint not in _public():
            missing.append(f"{rule.endpoint} ({rule.rule})")
    assert not missing, ("routes without a declared access rule — add them to tests/<domain>/access_rules.py "
                         "(see tests/hardening/access.py): " + ", ".join(sorted(missing)))


def test_anonymous_users_are_sent_to_login_or_refused(app):
    anon = app.test_client()
    leaks = []
    for rule in _rules_of(app):
        if rule.endpoint in _public():
            continue
        url = _sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            r = anon.open(url, method=method)
            if url.startswith("/api/"):
                ok = r.status_code in (401, 404, 405)
            elif method in STATE_CHANGING:
                ok = r.status_code in (400, 302, 401, 404)  # CSRF refusal or login redirect
            else:
                ok = r.status_code in (302, 401, 404) and (r.status_code != 302 or "/login" in r.headers["Location"])
            if not ok:
                leaks.append(f"{method} {url} -> {r.status_code}")
    assert not leaks, leaks


@pytest.mark.parametrize("role,country", ALL_ROLES)
def test_pages_without_parameters_never_fail_for_any_role(app, login_as, role, country):
    c, _ = login_as(role, country)
    failures = []
    for rule in _rules_of(app):
        if "GET" not in rule.methods or (set(rule.arguments) - {"code"}) or rule.rule.startswith("/api/"):
            continue
        url = _sample_url(rule)
        r = c.get(url)
        if r.status_code >= 500 or r.status_code == 403:
            failures.append(f"GET {url} -> {r.status_code}")
    assert not failures, failures


def test_state_changing_pages_need_a_csrf_token(app, login_as):
    c, _ = login_as("admin")
    missing = []
    for rule in _rules_of(app):
        if rule.rule.startswith("/api/") or rule.endpoint in _public():
            continue
        for method in sorted((rule.methods or set()) & STATE_CHANGING):
            r = c.client.open(_sample_url(rule), method=method, data={"x": "1"})
            if r.status_code not in (400, 404):
                missing.append(f"{method} {rule.rule} -> {r.status_code}")
    assert not missing, missing


# every role of the network, and each country role of the object's own country (BE) and of another (NL)
PEOPLE = ALL_ROLES + [(r, "NL") for r, c in ALL_ROLES if c == "BE"]


@pytest.fixture(scope="module")
def people(_app):
    """One user of each role and country for the whole matrix, logged in once: a web client (through the
    login form) and a bearer token for the API. The routes' objects pile up in the same database: each test
    asks only for its own object."""
    from portal.accounts import services as accounts

    fresh(_app)
    make_user = user_factory(_app)
    clients = {}
    for role, country in PEOPLE:
        user = make_user(role, country)
        web = PortalClient(_app.test_client())
        web.login(user.email)
        web.csrf()
        with _app.extensions["spoc_db"].unit_of_work() as session:
            token = accounts.create_token(session, session.merge(user), "matrix")
        api = _app.test_client()  # the API's client carries no session cookie: the token alone says who
        clients[role, country] = (web, api, {"Authorization": f"Bearer {token}"})
    yield make_user, clients
    fresh(_app)


# one test per route (collected lazily so that a missing declaration shows as one clear failure above); each
# role in turn asks for the same object, and every answer that differs from the declaration is reported.
# These tests come last in this module: they share `people`'s database, which the `app` fixture would empty.
@pytest.mark.parametrize("endpoint", sorted(_declared_rules()))
def test_object_routes_answer_each_role_as_declared(_app, people, endpoint):
    make_user, clients = people
    access = _declared_rules()[endpoint]
    kwargs = access.make(_app, make_user)
    rule = next(r for r in _app.url_map.iter_rules() if r.endpoint == endpoint)
    with _app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **kwargs)
    wrong = []
    for role, country in PEOPLE:
        allowed = access.allows(role, country)
        web, api, bearer = clients[role, country]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method in STATE_CHANGING and allowed:
                continue  # allowed writes are exercised by the domain's own tests
            writes = method in STATE_CHANGING
            if url.startswith("/api/"):
                r = api.open(url, method=method, headers=bearer, json={} if writes else None)
            else:
                r = web.client.open(url, method=method, data={"csrf_token": web.csrf()} if writes else None)
            if allowed and not (r.status_code < 400 or r.status_code in access.allowed_errors):
                wrong.append(f"{role}/{country} {method} {url} -> {r.status_code}")
            elif not allowed and r.status_code != 404:
                wrong.append(f"{role}/{country} must get 404: {method} {url} -> {r.status_code}")
    assert not wrong, wrong

"""Shared fixtures: an app on a fresh database (SQLite, or PostgreSQL when SPOC_TEST_DATABASE_URL
is set), emptied after each test, and logged-in clients per role."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, exists, inspect, literal, select, text, union_all
from sqlalchemy.exc import DBAPIError

from portal import create_app
from portal.accounts import services as accounts
from portal.accounts.models import Role, User
from portal.db import Base
from portal.directory.models import Agency, Country, PresidencyTerm, Spoc

PASSWORD = "Correct-horse-battery-9"
# the audit chain's sealing key of every app and server process the tests start on one database:
# the hosts of a deployment share it (as they share the secret key)
AUDIT_KEY = "test-audit-key-0123456789abcdef0123456789"


def pytest_configure(config):
    # Production argon2 parameters cost ~50 ms a hash; the tests create hundreds of users.
    accounts.use_cheap_hashing_for_tests()


def end_every_connection(url: str) -> int:
    """PostgreSQL ends every other connection to the database of `url` (as a restart or a failover would):
    how many it ended."""
    admin = create_engine(url)
    with admin.begin() as conn:
        ended = conn.scalar(text("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                                 "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    admin.dispose()
    return ended


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("SPOC_TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    app = create_app({
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "AUDIT_KEY": AUDIT_KEY,
        "TESTING": True,
        "MAIL_SERVER": "",
        "BASE_URL": "http://portal.test",
    })
    from portal.commands import init_database

    with app.app_context():
        init_database()
    return app


# what seed_reference_data writes: kept between tests while no test changed them
_REFERENCE = tuple(model.__tablename__ for model in (Country, Spoc, Agency, PresidencyTerm))
_pristine: dict[int, list] = {}  # id(app) -> the reference tables' rows just after seeding
_asks: dict[int, object] = {}  # id(app) -> the statement asking which of its database's tables hold rows


def _filled_tables(app, session) -> set[str]:
    """The tables that hold at least one row, asked in one statement (a test writes to a few of the ~90).
    The statement names the tables the database has: a test may drop one and make it again."""
    for attempt in (1, 2):
        if attempt == 2 or id(app) not in _asks:
            existing = set(inspect(session.connection()).get_table_names())
            _asks[id(app)] = union_all(*(select(literal(t.name)).where(exists().select_from(t))
                                         for t in Base.metadata.sorted_tables if t.name in existing))
        try:
            with session.begin_nested():
                return set(session.scalars(_asks[id(app)]))
        except DBAPIError:
            if attempt == 2:
                raise


def _reference_rows(session) -> list:
    tables = Base.metadata.tables
    return [list(session.execute(select(tables[name]).order_by(*tables[name].primary_key.columns)))
            for name in _REFERENCE]


def _wipe(app) -> None:
    """Empty every table a test filled; the reference data are seeded again only if a test changed them."""
    from portal.audit import start_chain
    from portal.directory.services import seed_reference_data

    database = app.extensions["spoc_db"]
    with database.unit_of_work() as session:
        filled = _filled_tables(app, session)
        keep = id(app) in _pristine and _reference_rows(session) == _pristine[id(app)]
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in filled and not (keep and table.name in _REFERENCE):
                session.execute(table.delete())
        if not keep:
            seed_reference_data(session)
            _pristine[id(app)] = _reference_rows(session)
        start_chain(session)


def fresh(app) -> None:
    """An empty database (reference data only) and nothing remembered of the last test's data."""
    from casemgmt.crosscheck import refresh
    from casemgmt.services.frameworks import forget_bound_countries
    from portal.cache import side_panels
    from portal.security import login_throttle

    # an app made without TESTING in this process (the benchmark's smoke test) turns the big cases'
    # background runs on for every session; here `spoc crosscheck run-pending` does them
    refresh.configure(background=False)
    _wipe(app)
    forget_bound_countries()  # the directory was reset: whom the Directive binds is read again
    login_throttle(app).storage.reset()
    side_panels(app).clear()  # the side panels cached for the last test's data (portal/cache.py)


@pytest.fixture
def app(_app):
    """The app, with an empty database (reference data only) for this test."""
    fresh(_app)
    yield _app


@pytest.fixture
def db(app):
    """A session for arranging and checking data directly (the test commits what it arranges).

    It uses the deferred engine so that its open read transaction never blocks the app's writers;
    call db.rollback() to see what a request wrote since."""
    database = app.extensions["spoc_db"]
    with database.read_session() as session:
        yield session


def user_factory(app):
    """make(role, country=None, email=None, agency=None) -> User (committed), each with its own email."""
    database = app.extensions["spoc_db"]
    counter = {"n": 0}

    def make(role: str | Role, country: str | None = None, email: str | None = None, agency: str | None = None):
        role = Role(role)
        counter["n"] += 1
        if role.needs_agency and agency is None:
            agency = "EUROPOL"
        email = email or f"{role.value}{counter['n']}.{(country or agency or 'net').lower()}@test.invalid"
        with database.unit_of_work() as session:
            user = accounts.create_user(session, email=email, role=role, country_code=country,
                                        agency_code=agency if role.needs_agency else None,
                                        name=f"Test {role.value}", password=PASSWORD)
        return user

    return make


@pytest.fixture
def make_user(app):
    """Factory: make_user(role, country=None, email=None) -> User (committed)."""
    return user_factory(app)


def set_language(app, user, lang: str) -> None:
    """The user's chosen language (as the account page sets it), written outside any request."""
    with app.extensions["spoc_db"].unit_of_work() as session:
        session.get(User, user.id).language = lang


class PortalClient:
    """A test client that logs in through the form and sends CSRF tokens like a browser."""

    def __init__(self, client):
        self.client = client
        self._token = None

    def __getattr__(self, name):
        return getattr(self.client, name)

    def csrf(self) -> str:
        if self._token is None:
            page = self.client.get("/login", follow_redirects=True).get_data(as_text=True)
            self._token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        return self._token

    def post_form(self, url: str, data: dict | None = None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf())
        return self.client.post(url, data=data, **kw)

    def login(self, email: str, password: str = PASSWORD):
        self._token = None
        response = self.post_form("/login", {"email": email, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        # the session keeps its CSRF secret through the login, so the login page's token stays good
        return response


@pytest.fixture
def client(app):
    return PortalClient(app.test_client())


@pytest.fixture
def login_as(app, make_user):
    """Factory: login_as(role, country=None) -> (PortalClient logged in, User)."""

    def login(role: str | Role, country: str | None = None, **kw):
        user = make_user(role, country, **kw)
        c = PortalClient(app.test_client())
        c.login(user.email)
        return c, user

    return login


@pytest.fixture
def api(app):
    """Factory: api(user) -> a client whose requests carry a fresh bearer token of that user."""
    database = app.extensions["spoc_db"]

    class ApiClient:
        def __init__(self, token):
            self.c = app.test_client()
            self.headers = {"Authorization": f"Bearer {token}"}

        def request(self, method, url, **kw):
            return self.c.open(url, method=method, headers=self.headers, **kw)

        def get(self, url, **kw):
            return self.request("GET", url, **kw)

        def post(self, url, **kw):
            return self.request("POST", url, **kw)

        def patch(self, url, **kw):
            return self.request("PATCH", url, **kw)

    def make(user):
        with database.unit_of_work() as session:
            token = accounts.create_token(session, session.merge(user), "test")
        return ApiClient(token)

    return make

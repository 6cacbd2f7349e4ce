"""Each test starts on an empty database with the reference data as seeded (tests/conftest.py::fresh), even though
the wipe empties only the tables a test filled and keeps the reference data that no test changed."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.accounts.models import User
from portal.directory.models import Country, PresidencyTerm, Spoc
from portal.directory.reference import COUNTRIES
from tests.conftest import fresh


def _reference(session) -> tuple:
    return (sorted(session.execute(select(Country.code, Country.name, Country.status))),
            session.scalar(select(func.count(Spoc.country_code))),
            session.scalar(select(func.count(PresidencyTerm.id))))


def test_a_changed_country_and_a_new_user_are_gone_for_the_next_test(app, make_user, db):
    seeded = _reference(db)
    assert seeded[0] == sorted((code, name, status) for code, _, name, status in COUNTRIES)
    make_user("officer", "BE")
    with app.extensions["spoc_db"].unit_of_work() as session:
        session.get(Country, "BE").name = "Belgium (renamed by a test)"
        session.delete(session.get(Spoc, "NL"))
        session.add(PresidencyTerm(year=2099, half=1, country_code="BE"))
    db.rollback()
    assert _reference(db) != seeded
    fresh(app)  # what the next test's `app` fixture does
    db.rollback()
    assert _reference(db) == seeded
    assert db.scalar(select(func.count(User.id))) == 0


def test_reference_data_no_test_changed_are_kept_and_the_rest_emptied(app, make_user, db):
    seeded = _reference(db)
    make_user("secretariat")
    fresh(app)
    db.rollback()
    assert _reference(db) == seeded
    assert db.scalar(select(func.count(User.id))) == 0

"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.models import metadata


def test_migrated_schema_matches_the_models(app):
    database = app.extensions["spoc_db"]
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    assert diff == [], "a model changed without a migration: " + repr(diff[:5])


def test_upgrade_twice_changes_nothing(app):
    from portal.migrate import upgrade

    upgrade(app.extensions["spoc_db"])
    upgrade(app.extensions["spoc_db"])

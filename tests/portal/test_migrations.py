"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text

from portal.directory.models import Country
from portal.models import metadata


def test_migrated_schema_matches_the_models(app):
    from portal.migrate import modelled

    database = app.extensions["spoc_db"]
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False, "include_name": modelled}),
                               metadata)
    assert diff == [], "a model changed without a migration: " + repr(diff[:5])


def _state(database) -> tuple:
    """The tables with their columns and indexes, the revisions applied, the reference data's size."""
    with database.engine.connect() as conn:
        schema = inspect(conn)
        tables = {name: ([(c["name"], str(c["type"]), c["nullable"]) for c in schema.get_columns(name)],
                         sorted(i["name"] or "" for i in schema.get_indexes(name)))
                  for name in schema.get_table_names()}
        revisions = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        countries = conn.execute(select(func.count()).select_from(Country)).scalar_one()
    return tables, revisions, countries


def test_upgrade_twice_changes_nothing(app):
    from portal.migrate import alembic_config, upgrade

    database = app.extensions["spoc_db"]
    upgrade(database)
    tables, revisions, countries = before = _state(database)
    heads = ScriptDirectory.from_config(alembic_config(database.url)).get_heads()
    assert revisions == sorted(heads) and "budgets" in tables and countries > 0
    upgrade(database)
    assert _state(database) == before

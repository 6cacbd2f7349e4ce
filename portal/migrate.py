"""Schema migrations through Alembic, driven from code (`spoc init-db`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


# tables the models do not describe: SQLite's FTS5 index of the search across cases and its shadow
# tables (migration 0030_case_search creates them; casemgmt/services/search.py reads them)
UNMODELLED_PREFIXES = ("case_search_fts",)


def modelled(name: str | None, type_: str, parent_names) -> bool:
    """Alembic's include_name: whether comparing the schema with the models looks at this object."""
    return not (type_ == "table" and name and name.startswith(UNMODELLED_PREFIXES))


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(database) -> None:
    """Bring every branch (one per domain) to its newest revision; running it again changes nothing."""
    cfg = alembic_config(database.url)
    with database.write_engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")

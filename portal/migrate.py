"""Schema migrations through Alembic, driven from code (`spoc init-db`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


# what the models do not describe: SQLite's FTS5 index of the search across cases and its shadow
# tables, and on PostgreSQL the search documents' generated tsvector column and its GIN index
# (migration 0030_case_search creates them; casemgmt/services/search.py reads them), and PostgreSQL's
# table of the documents' words kept by triggers (migration 0045_case_search_words)
UNMODELLED_PREFIXES = ("case_search_fts", "case_search_words")
UNMODELLED = {("column", "case_search_docs", "document"), ("index", "case_search_docs", "ix_case_search_docs_document")}


def modelled(name: str | None, type_: str, parent_names) -> bool:
    """Alembic's include_name: whether comparing the schema with the models looks at this object."""
    if type_ == "table" and name and name.startswith(UNMODELLED_PREFIXES):
        return False
    return (type_, (parent_names or {}).get("table_name"), name) not in UNMODELLED


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

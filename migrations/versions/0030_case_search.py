"""casemgmt: search across cases (issue 17, point 3): a search document per case with the
database's own full-text index, and saved searches per user.

SQLite: an FTS5 table over case_search_docs (external content, rowid = case id), kept by
triggers so that a document written, rewritten (erasure) or deleted is indexed as it is now.
PostgreSQL: a generated tsvector column ('simple' configuration: the text is already folded and
cut into words by casemgmt.services.search) with a GIN index.
Existing cases are indexed by `spoc cases search-reindex`.

Revision ID: 0030_case_search
Revises: 0024_perf_indexes
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0030_case_search"
down_revision = "0024_perf_indexes"
branch_labels = None
depends_on = None
UTC = portal.db.UTCDateTime(timezone=True)

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE case_search_fts USING fts5(text, content='case_search_docs', content_rowid='case_id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER case_search_docs_ai AFTER INSERT ON case_search_docs BEGIN "
    "INSERT INTO case_search_fts(rowid, text) VALUES (new.case_id, new.text); END",
    "CREATE TRIGGER case_search_docs_ad AFTER DELETE ON case_search_docs BEGIN "
    "INSERT INTO case_search_fts(case_search_fts, rowid, text) VALUES ('delete', old.case_id, old.text); END",
    "CREATE TRIGGER case_search_docs_au AFTER UPDATE OF text ON case_search_docs BEGIN "
    "INSERT INTO case_search_fts(case_search_fts, rowid, text) VALUES ('delete', old.case_id, old.text); "
    "INSERT INTO case_search_fts(rowid, text) VALUES (new.case_id, new.text); END",
]


def upgrade() -> None:
    op.create_table(
        "case_search_docs",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), primary_key=True, autoincrement=False),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
        if tuple(int(x) for x in bind.exec_driver_sql("select sqlite_version()").scalar().split(".")) >= (3, 42):
            # an erased case's words leave the index's pages at once, not at the next merge
            op.execute("INSERT INTO case_search_fts(case_search_fts, rank) VALUES ('secure-delete', 1)")
    else:
        op.execute("ALTER TABLE case_search_docs ADD COLUMN document tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED")
        # new entries wait in GIN's pending list, which every search reads through: kept small (256 kB)
        op.execute("CREATE INDEX ix_case_search_docs_document ON case_search_docs USING gin (document) "
                   "WITH (gin_pending_list_limit = 256)")
    op.create_table(
        "case_saved_searches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
    )
    op.create_index("ix_case_saved_searches_user", "case_saved_searches", ["user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_case_saved_searches_user", table_name="case_saved_searches")
    op.drop_table("case_saved_searches")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS case_search_docs_{name}")
        op.execute("DROP TABLE IF EXISTS case_search_fts")
    op.drop_table("case_search_docs")

"""casemgmt: the search documents' words, one row a word a case (PostgreSQL; issue 24, item 1).

`case_search_words` (country_code, word, case_id), its primary key a btree in that order: the cases of a
SPOC holding a word are read from it newest first (case id descending) and stop at the page or at the
count's cap, by an index-only scan, whatever the size of the SPOC (casemgmt/services/search_paths.py).
The GIN index has no order: proving "more than 1,000" matches read 1,001 matching documents from the heap,
then the page walked the documents newest first.

Kept by statement-level triggers on case_search_docs from the generated tsvector (its lexemes are what the
GIN index finds), as SQLite's FTS5 table is kept by its triggers: every writer of the documents (a case's
reindexing, the intake's and the import's COPY, the erasure's rewrite, a deletion) writes the words too,
and an erased case's old words leave with its old document. Filled here from the existing documents.
SQLite keeps FTS5 alone: its matches come newest first already.

Revision ID: 0045_case_search_words
Revises: 0030_case_search
"""

from alembic import op

revision = "0045_case_search_words"
down_revision = "0030_case_search"
branch_labels = None
depends_on = None

WORDS = "SELECT {d}.country_code, unnest(tsvector_to_array({d}.document)) AS word, {d}.case_id FROM {table} {d}"

POSTGRESQL = [
    "CREATE TABLE case_search_words (country_code varchar(2) NOT NULL, word text NOT NULL, "
    "case_id integer NOT NULL, PRIMARY KEY (country_code, word, case_id))",
    "CREATE FUNCTION case_search_words_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
    "DELETE FROM case_search_words w USING (" + WORDS.format(d="o", table="old_docs") + ") g "
    "WHERE w.country_code = g.country_code AND w.word = g.word AND w.case_id = g.case_id; END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
    "INSERT INTO case_search_words (country_code, word, case_id) " + WORDS.format(d="n", table="new_docs") + "; "
    "END IF; RETURN NULL; END $$",
    "CREATE TRIGGER case_search_words_ai AFTER INSERT ON case_search_docs REFERENCING NEW TABLE AS new_docs "
    "FOR EACH STATEMENT EXECUTE FUNCTION case_search_words_write()",
    "CREATE TRIGGER case_search_words_au AFTER UPDATE ON case_search_docs "
    "REFERENCING OLD TABLE AS old_docs NEW TABLE AS new_docs FOR EACH STATEMENT EXECUTE FUNCTION case_search_words_write()",
    "CREATE TRIGGER case_search_words_ad AFTER DELETE ON case_search_docs REFERENCING OLD TABLE AS old_docs "
    "FOR EACH STATEMENT EXECUTE FUNCTION case_search_words_write()",
]
BACKFILL = "INSERT INTO case_search_words (country_code, word, case_id) " + WORDS.format(d="d", table="case_search_docs")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in POSTGRESQL:
        op.execute(statement)
    backfill()


def backfill() -> None:
    """The words of the documents written before the triggers."""
    op.execute(BACKFILL)
    op.execute("ANALYZE case_search_words")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in ("ai", "au", "ad"):
        op.execute(f"DROP TRIGGER IF EXISTS case_search_words_{name} ON case_search_docs")
    op.execute("DROP FUNCTION IF EXISTS case_search_words_write()")
    op.execute("DROP TABLE IF EXISTS case_search_words")

"""security, second pass (issue 23): the audit chain's head carries an HMAC seal (key kept out of
the database); API tokens expire.

Revision ID: 0023_security_pass2
Revises: 0001_foundation
"""

import datetime

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0023_security_pass2"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_chain_head") as batch:
        batch.add_column(sa.Column("seal", sa.String(length=64), nullable=True))
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", portal.db.UTCDateTime(timezone=True), nullable=True))
    # tokens made before lifetimes existed get the default 90 days from their creation
    tokens = sa.table("api_tokens", sa.column("id", sa.Integer), sa.column("created_at", portal.db.UTCDateTime()),
                      sa.column("expires_at", portal.db.UTCDateTime()))
    conn = op.get_bind()
    for ident, created in conn.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        conn.execute(tokens.update().where(tokens.c.id == ident)
                     .values(expires_at=created + datetime.timedelta(days=90)))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
    with op.batch_alter_table("audit_chain_head") as batch:
        batch.drop_column("seal")

"""crosscheck (issue 21): reference data sets record their legal basis, owner, extract date, refresh
interval and expiry; new entity kinds of a case: postal addresses, bank accounts, IP addresses,
crypto-currency addresses and social-media or messaging handles.

Revision ID: 0024_xc_identifiers_legal_basis
Revises: 0014_xc_hits_new_data
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0024_xc_identifiers_legal_basis"
down_revision = "0014_xc_hits_new_data"
branch_labels = None
depends_on = ("0012_entity_flags",)

_KIND_COLUMNS = {
    "case_addresses": [sa.Column("country", sa.String(length=2), nullable=False),
                       sa.Column("postcode", sa.String(length=20), nullable=False),
                       sa.Column("city", sa.String(length=120), nullable=False),
                       sa.Column("street", sa.String(length=200), nullable=False),
                       sa.Column("number", sa.String(length=20), nullable=False)],
    "case_bank_accounts": [sa.Column("iban", sa.String(length=34), nullable=False),
                           sa.Column("bic", sa.String(length=11), nullable=False),
                           sa.Column("holder", sa.String(length=200), nullable=False)],
    "case_ip_addresses": [sa.Column("address", sa.String(length=45), nullable=False)],
    "case_crypto_addresses": [sa.Column("currency", sa.String(length=10), nullable=False),
                              sa.Column("address", sa.String(length=130), nullable=False)],
    "case_handles": [sa.Column("platform", sa.String(length=30), nullable=False),
                     sa.Column("handle", sa.String(length=120), nullable=False)],
}


def upgrade() -> None:
    with op.batch_alter_table("xc_datasets") as batch:
        batch.add_column(sa.Column("legal_basis", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("owner", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("extract_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("refresh_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("expires_on", sa.Date(), nullable=True))
    for table, columns in _KIND_COLUMNS.items():
        op.create_table(
            table,
            *columns,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("case_id", sa.Integer(), nullable=False),
            sa.Column("message_id", sa.Integer(), nullable=True),
            sa.Column("country_code", sa.String(length=2), nullable=False),
            sa.Column("raw", sa.JSON(), nullable=False),
            sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
            sa.Column("flagged_inaccurate", sa.Boolean(), nullable=False),
            sa.Column("flag_reason", sa.Text(), nullable=False),
            sa.Column("flagged_at", portal.db.UTCDateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f(f"fk_{table}_case_id_cases")),
            sa.ForeignKeyConstraint(["message_id"], ["case_messages.id"],
                                    name=op.f(f"fk_{table}_message_id_case_messages")),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        with op.batch_alter_table(table) as batch:
            batch.create_index(batch.f(f"ix_{table}_case_id"), ["case_id"], unique=False)
            batch.create_index(batch.f(f"ix_{table}_message_id"), ["message_id"], unique=False)


def downgrade() -> None:
    for table in reversed(list(_KIND_COLUMNS)):
        op.drop_table(table)
    with op.batch_alter_table("xc_datasets") as batch:
        for column in ("expires_on", "refresh_days", "extract_date", "owner", "legal_basis"):
            batch.drop_column(column)

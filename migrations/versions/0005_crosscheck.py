"""crosscheck: reference data sets, key index, runs and hits

Revision ID: 0005_crosscheck
Revises: 0001_foundation
Create Date: 2026-11-24 08:48:24.881680
"""
import sqlalchemy as sa
from alembic import op

import portal.db


revision = '0005_crosscheck'
down_revision = '0001_foundation'
branch_labels = ('crosscheck',)
depends_on = '0003_casemgmt'


def upgrade() -> None:
    op.create_table('xc_keys',
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('key_type', sa.String(length=8), nullable=False),
    sa.Column('key_value', sa.String(length=120), nullable=False),
    sa.Column('subject_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('country_code', 'key_type', 'key_value', 'subject_id', name=op.f('pk_xc_keys')),
    sqlite_with_rowid=False
    )
    op.create_table('xc_subjects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('ref', sa.String(length=80), nullable=False),
    sa.Column('display', sa.String(length=300), nullable=False),
    sa.Column('names', sa.Text(), nullable=True),
    sa.Column('birth', sa.String(length=8), nullable=True),
    sa.Column('birth_placeholder', sa.Boolean(), nullable=False),
    sa.Column('nationality', sa.String(length=2), nullable=True),
    sa.Column('identifiers', sa.Text(), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xc_subjects'))
    )
    with op.batch_alter_table('xc_subjects', schema=None) as batch_op:
        batch_op.create_index('ix_xc_subjects_case', ['case_id'], unique=False)
        batch_op.create_index('ix_xc_subjects_country_ref', ['country_code', 'ref'], unique=False)
        batch_op.create_index('ix_xc_subjects_dataset', ['dataset_id'], unique=False)

    op.create_table('xc_datasets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source_file', sa.String(length=255), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('rejected_count', sa.Integer(), nullable=False),
    sa.Column('loaded_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_xc_datasets_country_code_countries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xc_datasets')),
    sa.UniqueConstraint('country_code', 'name', name='uq_xc_datasets_country_name')
    )
    op.create_table('xc_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('queries', sa.Integer(), nullable=False),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_xc_runs_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_xc_runs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xc_runs'))
    )
    with op.batch_alter_table('xc_runs', schema=None) as batch_op:
        batch_op.create_index('ix_xc_runs_case', ['case_id', 'started_at'], unique=False)
        batch_op.create_index('ix_xc_runs_pending', ['status', 'country_code'], unique=False)

    op.create_table('xc_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('query_ref', sa.String(length=80), nullable=False),
    sa.Column('query_display', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('matched_ref', sa.String(length=80), nullable=False),
    sa.Column('matched_display', sa.String(length=300), nullable=False),
    sa.Column('matched_case_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('first_seen_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_xc_hits_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_xc_hits_decided_by_id_users')),
    sa.ForeignKeyConstraint(['matched_case_id'], ['cases.id'], name=op.f('fk_xc_hits_matched_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['xc_runs.id'], name=op.f('fk_xc_hits_run_id_xc_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xc_hits')),
    sa.UniqueConstraint('case_id', 'query_ref', 'source', 'matched_ref', name='uq_xc_hits_pair')
    )
    with op.batch_alter_table('xc_hits', schema=None) as batch_op:
        batch_op.create_index('ix_xc_hits_case_status', ['case_id', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('xc_hits', schema=None) as batch_op:
        batch_op.drop_index('ix_xc_hits_case_status')

    op.drop_table('xc_hits')
    with op.batch_alter_table('xc_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_xc_runs_pending')
        batch_op.drop_index('ix_xc_runs_case')

    op.drop_table('xc_runs')
    op.drop_table('xc_datasets')
    with op.batch_alter_table('xc_subjects', schema=None) as batch_op:
        batch_op.drop_index('ix_xc_subjects_dataset')
        batch_op.drop_index('ix_xc_subjects_country_ref')
        batch_op.drop_index('ix_xc_subjects_case')

    op.drop_table('xc_subjects')
    op.drop_table('xc_keys')

"""Initial schema: every table of the data model.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 09:00:51.519439
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('actor',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sa.Enum('person', 'organization', 'state', 'group', 'media', name='actor_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('aliases', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('wikidata', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('identifiers', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.CheckConstraint("country ~ '^[A-Z]{2}$'", name=op.f('ck_actor_country_alpha2')),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_actor_id_slug')),
    sa.CheckConstraint("wikidata ~ '^Q[1-9][0-9]*$'", name=op.f('ck_actor_wikidata_qid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor'))
    )
    op.create_table('api_key',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('secret_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('scopes', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_api_key_id_slug')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
    sa.UniqueConstraint('secret_sha256', name=op.f('uq_api_key_secret_sha256'))
    )
    op.create_table('claim',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_claim_id_slug')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim'))
    )
    op.create_table('source',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('publisher', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retrieved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_source_id_slug')),
    sa.CheckConstraint("language ~ '^[a-z]{2,3}(-[A-Za-z0-9]+)*$'", name=op.f('ck_source_language_tag')),
    sa.CheckConstraint("text_sha256 ~ '^[0-9a-f]{64}$'", name=op.f('ck_source_sha256_hex')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source'))
    )
    op.create_table('affiliation',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('actor_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('organization_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('source_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_affiliation_id_slug')),
    sa.CheckConstraint('(source_id IS NULL) = (span_start IS NULL) AND (source_id IS NULL) = (span_end IS NULL) AND (source_id IS NULL) = (quote IS NULL)', name=op.f('ck_affiliation_span_complete')),
    sa.CheckConstraint('actor_id <> organization_id', name=op.f('ck_affiliation_not_self')),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR start_date <= end_date', name=op.f('ck_affiliation_date_order')),
    sa.CheckConstraint('span_start >= 0 AND span_start < span_end', name=op.f('ck_affiliation_span_order')),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_affiliation_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['actor.id'], name=op.f('fk_affiliation_organization_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_affiliation_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliation')),
    sa.UniqueConstraint('actor_id', 'organization_id', 'role', name=op.f('uq_affiliation_actor_id_organization_id_role'))
    )
    op.create_index(op.f('ix_affiliation_actor_id'), 'affiliation', ['actor_id'], unique=False)
    op.create_index(op.f('ix_affiliation_organization_id'), 'affiliation', ['organization_id'], unique=False)
    op.create_index(op.f('ix_affiliation_source_id'), 'affiliation', ['source_id'], unique=False)
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=True), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('api_key_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_key.id'], name=op.f('fk_audit_log_api_key_id_api_key'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_api_key_id'), 'audit_log', ['api_key_id'], unique=False)
    op.create_index(op.f('ix_audit_log_entity_id'), 'audit_log', ['entity_id'], unique=False)
    op.create_table('event',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sa.Enum('unrest', 'protest', 'violence', 'speech', 'deployment', 'meeting', 'arrest', 'funding', 'other', name='event_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('start_precision', sa.Enum('day', 'month', 'year', 'unknown', name='start_precision', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('end_precision', sa.Enum('day', 'month', 'year', 'unknown', name='end_precision', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('place_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('place_country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('parent_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('source_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.CheckConstraint("(end_date IS NULL) = (end_precision = 'unknown')", name=op.f('ck_event_end_known')),
    sa.CheckConstraint("(start_date IS NULL) = (start_precision = 'unknown')", name=op.f('ck_event_start_known')),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_event_id_slug')),
    sa.CheckConstraint("place_country ~ '^[A-Z]{2}$'", name=op.f('ck_event_country_alpha2')),
    sa.CheckConstraint('(source_id IS NULL) = (span_start IS NULL) AND (source_id IS NULL) = (span_end IS NULL) AND (source_id IS NULL) = (quote IS NULL)', name=op.f('ck_event_span_complete')),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR start_date <= end_date', name=op.f('ck_event_date_order')),
    sa.CheckConstraint('latitude BETWEEN -90 AND 90', name=op.f('ck_event_latitude_range')),
    sa.CheckConstraint('longitude BETWEEN -180 AND 180', name=op.f('ck_event_longitude_range')),
    sa.CheckConstraint('parent_id <> id', name=op.f('ck_event_not_own_parent')),
    sa.CheckConstraint('span_start >= 0 AND span_start < span_end', name=op.f('ck_event_span_order')),
    sa.ForeignKeyConstraint(['parent_id'], ['event.id'], name=op.f('fk_event_parent_id_event'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_event_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    op.create_index(op.f('ix_event_parent_id'), 'event', ['parent_id'], unique=False)
    op.create_index(op.f('ix_event_source_id'), 'event', ['source_id'], unique=False)
    op.create_index(op.f('ix_event_start_date'), 'event', ['start_date'], unique=False)
    op.create_table('event_participant',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('actor_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_event_participant_id_slug')),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_event_participant_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_participant_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_participant')),
    sa.UniqueConstraint('event_id', 'actor_id', 'role', name=op.f('uq_event_participant_event_id_actor_id_role'))
    )
    op.create_index(op.f('ix_event_participant_actor_id'), 'event_participant', ['actor_id'], unique=False)
    op.create_index(op.f('ix_event_participant_event_id'), 'event_participant', ['event_id'], unique=False)
    op.create_table('statement',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('source_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('speaker_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('kind', sa.Enum('quote', 'paraphrase', 'report', name='statement_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('said_on', sa.Date(), nullable=True),
    sa.Column('said_on_precision', sa.Enum('day', 'month', 'year', 'unknown', name='said_on_precision', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("(said_on IS NULL) = (said_on_precision = 'unknown')", name=op.f('ck_statement_said_on_known')),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_statement_id_slug')),
    sa.CheckConstraint('span_start >= 0 AND span_start < span_end', name=op.f('ck_statement_span_order')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_statement_event_id_event'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_statement_source_id_source'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['actor.id'], name=op.f('fk_statement_speaker_id_actor'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement'))
    )
    op.create_index(op.f('ix_statement_event_id'), 'statement', ['event_id'], unique=False)
    op.create_index('ix_statement_said_on_id', 'statement', ['said_on', 'id'], unique=False)
    op.create_index(op.f('ix_statement_source_id'), 'statement', ['source_id'], unique=False)
    op.create_index('ix_statement_source_id_span_start', 'statement', ['source_id', 'span_start'], unique=False)
    op.create_index(op.f('ix_statement_speaker_id'), 'statement', ['speaker_id'], unique=False)
    op.create_table('evidence',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('claim_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('relation', sa.Enum('supports', 'refutes', 'context', name='evidence_relation', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('source_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('statement_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('offered_by_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_evidence_id_slug')),
    sa.CheckConstraint('span_start >= 0 AND span_start < span_end', name=op.f('ck_evidence_span_order')),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_evidence_claim_id_claim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_evidence_event_id_event'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offered_by_id'], ['actor.id'], name=op.f('fk_evidence_offered_by_id_actor'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_evidence_source_id_source'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_evidence_statement_id_statement'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    op.create_index(op.f('ix_evidence_claim_id'), 'evidence', ['claim_id'], unique=False)
    op.create_index(op.f('ix_evidence_event_id'), 'evidence', ['event_id'], unique=False)
    op.create_index(op.f('ix_evidence_offered_by_id'), 'evidence', ['offered_by_id'], unique=False)
    op.create_index(op.f('ix_evidence_source_id'), 'evidence', ['source_id'], unique=False)
    op.create_index(op.f('ix_evidence_statement_id'), 'evidence', ['statement_id'], unique=False)
    op.create_table('stance',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('statement_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('claim_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('position', sa.Enum('supports', 'disputes', 'neutral', name='position', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('hedged', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("id ~ '^[a-z0-9]+(--?[a-z0-9]+)*$'", name=op.f('ck_stance_id_slug')),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_stance_claim_id_claim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_stance_statement_id_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stance')),
    sa.UniqueConstraint('statement_id', 'claim_id', name=op.f('uq_stance_statement_id_claim_id'))
    )
    op.create_index(op.f('ix_stance_claim_id'), 'stance', ['claim_id'], unique=False)
    op.create_index(op.f('ix_stance_statement_id'), 'stance', ['statement_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_stance_statement_id'), table_name='stance')
    op.drop_index(op.f('ix_stance_claim_id'), table_name='stance')
    op.drop_table('stance')
    op.drop_index(op.f('ix_evidence_statement_id'), table_name='evidence')
    op.drop_index(op.f('ix_evidence_source_id'), table_name='evidence')
    op.drop_index(op.f('ix_evidence_offered_by_id'), table_name='evidence')
    op.drop_index(op.f('ix_evidence_event_id'), table_name='evidence')
    op.drop_index(op.f('ix_evidence_claim_id'), table_name='evidence')
    op.drop_table('evidence')
    op.drop_index(op.f('ix_statement_speaker_id'), table_name='statement')
    op.drop_index('ix_statement_source_id_span_start', table_name='statement')
    op.drop_index(op.f('ix_statement_source_id'), table_name='statement')
    op.drop_index('ix_statement_said_on_id', table_name='statement')
    op.drop_index(op.f('ix_statement_event_id'), table_name='statement')
    op.drop_table('statement')
    op.drop_index(op.f('ix_event_participant_event_id'), table_name='event_participant')
    op.drop_index(op.f('ix_event_participant_actor_id'), table_name='event_participant')
    op.drop_table('event_participant')
    op.drop_index(op.f('ix_event_start_date'), table_name='event')
    op.drop_index(op.f('ix_event_source_id'), table_name='event')
    op.drop_index(op.f('ix_event_parent_id'), table_name='event')
    op.drop_table('event')
    op.drop_index(op.f('ix_audit_log_entity_id'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_api_key_id'), table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_index(op.f('ix_affiliation_source_id'), table_name='affiliation')
    op.drop_index(op.f('ix_affiliation_organization_id'), table_name='affiliation')
    op.drop_index(op.f('ix_affiliation_actor_id'), table_name='affiliation')
    op.drop_table('affiliation')
    op.drop_table('source')
    op.drop_table('claim')
    op.drop_table('api_key')
    op.drop_table('actor')

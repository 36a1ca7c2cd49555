"""departments: duties (三定职责 in a few words) and a parent unit

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 14:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duties', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_departments_parent', 'departments', ['parent_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_constraint('fk_departments_parent', type_='foreignkey')
        batch_op.drop_column('parent_id')
        batch_op.drop_column('duties')

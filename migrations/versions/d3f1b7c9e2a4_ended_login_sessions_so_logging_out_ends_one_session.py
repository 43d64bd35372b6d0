"""Ended login sessions, so that logging out ends this session alone

Logging out used to end every session of the account (the only way to make a copied cookie
useless). Each login session now carries a nonce; logging out records it here, and "log out
everywhere" stays in the account settings.

Revision ID: d3f1b7c9e2a4
Revises: c7e2a9d4f1b3
Create Date: 2026-12-07 02:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd3f1b7c9e2a4'
down_revision = 'c7e2a9d4f1b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ended_session",
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("nonce"),
    )
    op.create_index("ix_ended_session_ended_at", "ended_session", ["ended_at"])


def downgrade():
    op.drop_index("ix_ended_session_ended_at", table_name="ended_session")
    op.drop_table("ended_session")

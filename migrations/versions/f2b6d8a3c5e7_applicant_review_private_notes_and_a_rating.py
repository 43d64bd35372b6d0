"""Applicant review: a company's private notes on an application, and its rating (1-5)

Revision ID: f2b6d8a3c5e7
Revises: e8a4c2f6b1d9
Create Date: 2026-12-07 02:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f2b6d8a3c5e7'
down_revision = 'e8a4c2f6b1d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("rating", sa.Integer(), nullable=True))
    op.create_table(
        "application_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_application_note_application_id", "application_note",
                    ["application_id"])


def downgrade():
    op.drop_index("ix_application_note_application_id", table_name="application_note")
    op.drop_table("application_note")
    with op.batch_alter_table("application") as batch:
        batch.drop_column("rating")

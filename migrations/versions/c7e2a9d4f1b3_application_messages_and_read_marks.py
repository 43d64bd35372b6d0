"""Messages on each application, both ways, and when each reader last read the thread

The coder and the recruiters of the job's company write to each other under the
application; a read mark per reader makes the unread counts in the navigation.

Revision ID: c7e2a9d4f1b3
Revises: b4d6f8a1c2e3
Create Date: 2026-12-07 02:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7e2a9d4f1b3'
down_revision = 'b4d6f8a1c2e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "application_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_application_message_application_id", "application_message",
                    ["application_id"])
    op.create_index("ix_application_message_created_at", "application_message",
                    ["created_at"])
    op.create_table(
        "application_read",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("application_id", "user_id"),
    )


def downgrade():
    op.drop_table("application_read")
    op.drop_index("ix_application_message_created_at", table_name="application_message")
    op.drop_index("ix_application_message_application_id", table_name="application_message")
    op.drop_table("application_message")

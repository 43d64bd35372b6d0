"""Resume files in the database (RESUME_STORE=database), so that every web host serves any
resume and no file lives on one host

Revision ID: b7d9f1a3c5e8
Revises: a9c3e5f7b2d4
Create Date: 2026-12-07 02:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d9f1a3c5e8'
down_revision = 'a9c3e5f7b2d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "resume_file",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade():
    op.drop_table("resume_file")

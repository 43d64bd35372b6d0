"""Remember which version of a data file the stored data was built from (the vocabulary that
job meanings were computed with), so that a changed vocabulary reaches existing installs

Revision ID: c1d3e5f7a9b2
Revises: b7d9f1a3c5e8
Create Date: 2026-12-07 10:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c1d3e5f7a9b2'
down_revision = 'b7d9f1a3c5e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "loaded_data",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade():
    op.drop_table("loaded_data")

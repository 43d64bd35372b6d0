"""Company logos (re-encoded PNGs in the database, so every web host serves them) and a
company's list of benefits

Revision ID: a9c3e5f7b2d4
Revises: f2b6d8a3c5e7
Create Date: 2026-12-07 02:35:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a9c3e5f7b2d4'
down_revision = 'f2b6d8a3c5e7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("company") as batch:
        batch.add_column(sa.Column("benefits", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("logo_version", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "company_logo",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("company_id"),
    )


def downgrade():
    op.drop_table("company_logo")
    with op.batch_alter_table("company") as batch:
        batch.drop_column("logo_version")
        batch.drop_column("benefits")

"""Job reports keep a keyed hash of the reporter's address, so that only reports from distinct confirmed accounts at distinct addresses hide a job

Two throwaway accounts and an anonymous report from one address hid any job. Reports still
all reach the admin queue; the hiding count reads this column (NULL for reports made before
it, which then count as one address).

Revision ID: a3c5e7f90b12
Revises: 64de9381e719
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a3c5e7f90b12'
down_revision = '64de9381e719'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("job_report") as batch:
        batch.add_column(sa.Column("address_key", sa.String(length=48), nullable=True))


def downgrade():
    with op.batch_alter_table("job_report") as batch:
        batch.drop_column("address_key")

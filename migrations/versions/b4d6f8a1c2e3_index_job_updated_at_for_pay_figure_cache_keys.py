"""Index job.updated_at: cached pay figures are keyed by the newest change to any job

Every search page shows a pay line from a per-process cache; keyed by max(job.updated_at),
the processes agree and a published or closed job shows at once. The index makes that
max() one step instead of a scan of every job.

Revision ID: b4d6f8a1c2e3
Revises: a3c5e7f90b12
Create Date: 2026-12-03 18:25:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b4d6f8a1c2e3'
down_revision = 'a3c5e7f90b12'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_job_updated_at", "job", ["updated_at"])


def downgrade():
    op.drop_index("ix_job_updated_at", table_name="job")

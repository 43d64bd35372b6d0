"""Keep every job report: a second report of a job by the same person no longer replaces
the first (one person still counts once, by reporter_key)

Revision ID: e8a4c2f6b1d9
Revises: d3f1b7c9e2a4
Create Date: 2026-12-07 02:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e8a4c2f6b1d9'
down_revision = 'd3f1b7c9e2a4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("job_report") as batch:
        batch.drop_constraint("uq_job_report_job_id_reporter_key", type_="unique")
        batch.create_index("ix_job_report_job_id_reporter_key", ["job_id", "reporter_key"])


def downgrade():
    # Back to one row per person: keep each person's latest report of a job.
    op.execute("DELETE FROM job_report WHERE id NOT IN (SELECT max(id) FROM job_report "
               "GROUP BY job_id, reporter_key)")
    with op.batch_alter_table("job_report") as batch:
        batch.drop_index("ix_job_report_job_id_reporter_key")
        batch.create_unique_constraint("uq_job_report_job_id_reporter_key",
                                       ["job_id", "reporter_key"])

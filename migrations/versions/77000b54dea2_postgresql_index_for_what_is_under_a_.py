"""PostgreSQL index for what is under a code prefix (LIKE 'C92%' on job codes), whatever the database collation

"Jobs with codes under C92" (the family filter, the database search, a code's nearest family
with open jobs) asks for job codes of a system starting with a prefix. Outside the C collation
PostgreSQL cannot serve LIKE 'C92%' from the (system, code) index and read every code of the
system: 29-41 ms for a code's nearest family at 100,000 postings, 1.6-3 ms with this index
(varchar_pattern_ops compares byte by byte, as LIKE does). SQLite reads a range on the
(system, code) index instead and needs nothing.

Revision ID: 77000b54dea2
Revises: 35ed25272a30
Create Date: 2026-11-26 06:38:13.211955

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '77000b54dea2'
down_revision = '35ed25272a30'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index("ix_job_code_system_code_prefix", "job_code", ["system", "code"],
                    postgresql_ops={"code": "varchar_pattern_ops"})


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_job_code_system_code_prefix", table_name="job_code")

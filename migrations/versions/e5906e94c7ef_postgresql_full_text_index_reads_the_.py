"""PostgreSQL full-text index reads the search text also with slashes as spaces, so words joined by a slash are found

PostgreSQL's parser reads "hematology/oncology" or "CPC/CCS" as one token (a file path), so
the degraded word search found neither "oncology" nor "CCS". The index now reads the text as
written and again with slashes as spaces, so "E/M" is still found as such. search/sql.py's
`_fts_vector` is the same expression, which PostgreSQL needs to use the index. SQLite has no
such index (its degraded search scans the text).

Revision ID: e5906e94c7ef
Revises: 093cab3ba260
Create Date: 2026-11-26 04:12:57.091758

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5906e94c7ef'
down_revision = '093cab3ba260'
branch_labels = None
depends_on = None


OLD = "to_tsvector('english', search_text)"
NEW = "to_tsvector('english', search_text || ' ' || translate(search_text, '/', ' '))"


def _index(expression: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_job_search_text_fts")
        op.execute(f"CREATE INDEX ix_job_search_text_fts ON job USING gin ({expression})")


def upgrade():
    _index(NEW)


def downgrade():
    _index(OLD)

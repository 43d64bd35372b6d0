"""search text splits words joined by a slash, so PostgreSQL full-text search finds each word

Jobs saved from now on are written so (jobs.services.search_text); this rewrites the text of
the jobs already saved. PostgreSQL's GIN index on the text follows the rows.

Revision ID: b01d981ae892
Revises: 093cab3ba260
Create Date: 2026-11-26 03:48:18.104736

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b01d981ae892'
down_revision = '093cab3ba260'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE job SET search_text = REPLACE(search_text, '/', ' ') "
               "WHERE search_text LIKE '%/%'")


def downgrade():
    # Where the slashes were is not kept; text with spaces searches the same on SQLite and
    # better on PostgreSQL, so there is nothing to undo.
    pass

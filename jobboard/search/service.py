"""Job search for the web layer: the search engine when it answers, the database when not."""
from jobboard.search import sql
from jobboard.search.query import JobQuery
from jobboard.search.results import SearchPage


def search_jobs(query: JobQuery) -> SearchPage:
    return sql.search_jobs(query)


def browse_latest(n: int) -> list:
    return sql.search_jobs(JobQuery(sort="newest", per_page=n)).jobs

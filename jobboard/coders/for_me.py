"""Jobs for me: the open jobs a coder qualifies for, ranked by fit.

Meilisearch (or the database) filters by the coder's credentials and the search's own
filters; the fit ranks here, in Python, because it depends on the coder, not only the job.
"""
from dataclasses import dataclass

from jobboard.coders import matching
from jobboard.models import CoderProfile
from jobboard.pagination import ListPage
from jobboard.search import service as search
from jobboard.search.query import JobQuery

CANDIDATES = 300  # the newest matching jobs ranked by fit (3 pages of 100 hits)


@dataclass
class ForMe:
    page: ListPage  # of (match, job)
    truncated: bool  # more jobs matched than were ranked


def jobs_for(profile: CoderProfile, query: JobQuery, page: int, per_page: int) -> ForMe:
    if profile.credentials:
        query.filters["credential"] = list(profile.credentials)
    query.sort, query.per_page = ("relevance" if query.words or query.terms else "newest"), 100
    candidates, total = [], 0
    for page_no in range(1, CANDIDATES // 100 + 1):
        query.page = page_no
        found = search.search_jobs(query)
        total = found.total
        candidates += found.jobs
        if page_no * 100 >= total:
            break
    ranked = [(m, job) for job in candidates if (m := matching.match(job, profile)).meets]
    ranked.sort(key=lambda mj: (-mj[0].score, -(mj[1].published_at.timestamp()
                                                if mj[1].published_at else 0)))
    return ForMe(ListPage.of(ranked, page, per_page), truncated=total > CANDIDATES)

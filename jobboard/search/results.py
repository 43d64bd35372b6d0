from dataclasses import dataclass, field

from jobboard.models import Job


@dataclass
class SearchPage:
    jobs: list[Job]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    degraded: bool = False
    facets_skipped: bool = False  # the database search matched too many jobs to count cheaply
    highlights: dict[int, dict[str, str]] = field(default_factory=dict)
    # Why a job matched words that are not in its title or description: "C92.00: Acute ..."
    reasons: dict[int, str] = field(default_factory=dict)
    # With hydrate=False (the API): the stored listings of the hits that are still open, in
    # hit order, instead of rows; None when the answer came from the database.
    listings: list[dict] | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

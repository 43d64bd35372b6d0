"""Page numbers from the query string, kept within what a database OFFSET can take."""
from dataclasses import dataclass

from flask import request
from werkzeug.routing import IntegerConverter

from jobboard.numbers import read_whole

MAX_PAGE = 10_000
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def page_number() -> int:
    return min(MAX_PAGE, max(1, read_whole(request.args.get("page")) or 1))


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number too large for the database is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


@dataclass
class ListPage:
    """One page of a list ranked outside the database (what the pagination macro reads, as
    Flask-SQLAlchemy's pagination gives it for lists the database orders)."""
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)

    @classmethod
    def of(cls, ranked: list, page: int, per_page: int) -> "ListPage":
        return cls(ranked[(page - 1) * per_page: page * per_page], len(ranked), page, per_page)

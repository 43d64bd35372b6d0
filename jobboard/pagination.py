"""Page numbers from the query string, kept within what a database OFFSET can take."""
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

"""Page numbers from the query string, kept within what a database OFFSET can take."""
from flask import request
from werkzeug.routing import IntegerConverter

MAX_PAGE = 10_000
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def page_number() -> int:
    return min(MAX_PAGE, max(1, request.args.get("page", 1, type=int) or 1))


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number too large for the database is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

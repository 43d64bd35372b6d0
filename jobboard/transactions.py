"""A service's unit of work, rolled back when it fails.

A service that raises (bad input, a conflict, a database error) may have changed objects in
the session before it found the problem. `atomic` rolls those changes back before the error
reaches the route, so no route touches the session and a half-made change can never be
committed by whatever the request does next.
"""
from functools import wraps

from jobboard.extensions import db


def atomic(fn):
    @wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
    return run

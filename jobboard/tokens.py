"""Signed, time-limited tokens for the links we mail (reset, verify, unsubscribe)."""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class InvalidToken(Exception):
    """The link is broken, was changed, or is too old; the message says which for the user."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"codeboard.{purpose}")


def make(purpose: str, payload) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, max_age: int):
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidToken("This link has expired.") from None
    except BadSignature:
        raise InvalidToken("This link is not valid. Copy the whole link from the mail.") from None

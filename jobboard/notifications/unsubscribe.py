"""One click on "unsubscribe" in any mail: turns off the notification the link names.

Above both the notifications and the saved-search alerts (an alert's link stops the alert),
so neither imports the other back.
"""
from flask import current_app

from jobboard import tokens
from jobboard.alerts import services as alerts
from jobboard.extensions import db
from jobboard.models import User
from jobboard.models.user import OFF
from jobboard.notifications import services as notify
from jobboard.search import outbox as search_outbox


def unsubscribe(token: str) -> tuple[User, str]:
    """Turn off what the token names; returns (user, a description of what was turned off)."""
    payload = tokens.read(notify.UNSUBSCRIBE, token, _max_age())
    user = db.session.get(User, payload.get("u"))
    if user is None or user.deleted_at:
        raise tokens.InvalidToken("This link is for an account that no longer exists.")
    kind = payload.get("k", "")
    if kind == "applications":
        user.notify_applications = OFF
    elif kind == "expiry":
        user.notify_expiry = False
    elif kind == "status":
        user.notify_status = False
    elif kind == "invitations":
        if user.profile is not None and user.profile.findable:
            user.profile.findable = False
            search_outbox.enqueue_coder(user.id)
    elif kind.startswith("alert:"):
        return user, alerts.stop_alert(user, int(kind.split(":", 1)[1]))
    else:
        raise tokens.InvalidToken("This link is not valid.")
    db.session.commit()
    search_outbox.push_pending()
    return user, notify.KINDS[kind]


def _max_age() -> int:
    return current_app.config["UNSUBSCRIBE_TOKEN_MAX_AGE"]

from datetime import timedelta

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from jobboard.database import utcnow
from jobboard.extensions import db

bp = Blueprint("health", __name__)


def database_status() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
        return {"status": "ok"}
    except Exception as e:  # any failure to reach the database is what this reports
        db.session.rollback()
        return {"status": "unavailable", "error": type(e).__name__}


@bp.get("/healthz")
def healthz():
    checks = {"database": database_status()}
    healthy = checks["database"]["status"] == "ok"
    overall = "ok" if healthy else "unavailable"
    if current_app.config.get("MEILI_URL"):
        from jobboard.search import sync
        checks["search"] = sync.status() if healthy else {"status": "unknown"}
        if healthy and checks["search"]["status"] != "ok":
            overall = "degraded"  # still serving: search answers from the database
    else:
        checks["search"] = {"status": "disabled"}
    if healthy:
        from jobboard.mail import delivery
        from jobboard.workers import HEARTBEAT, last_beat
        checks["mail"] = delivery.status()
        beat = last_beat(HEARTBEAT)
        checks["worker"] = {
            "last_heartbeat": beat.isoformat() if beat else None,
            "seconds_since_heartbeat": int((utcnow() - beat).total_seconds()) if beat else None,
            # The worker beats every minute; three missed beats mean it is not running.
            "status": "ok" if beat and utcnow() - beat < timedelta(minutes=3) else "missing"}
    return jsonify(status=overall, **checks), 200 if healthy else 503

from flask import Blueprint, jsonify
from sqlalchemy import text

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
    return jsonify(status="ok" if healthy else "unavailable", **checks), 200 if healthy else 503

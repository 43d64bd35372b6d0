"""How the code is layered, as rules a change cannot quietly break: routes read and write
only through services, and a service that fails leaves nothing behind to be committed."""
import ast
from pathlib import Path

import pytest

from jobboard.errors import NotAllowed
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from tests import factories as make

ROOT = Path(__file__).resolve().parents[2] / "jobboard"


def test_no_route_module_touches_the_database_session():
    """Every read a page needs comes from a service, and services commit or roll back their
    own work: no routes module imports `db` or names `db.session`."""
    offenders = []
    for path in sorted(ROOT.rglob("routes.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "jobboard.extensions" \
                    and any(alias.name == "db" for alias in node.names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports db")
            if isinstance(node, ast.Attribute) and node.attr == "session" \
                    and isinstance(node.value, ast.Name) and node.value.id == "db":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} uses db.session")
    assert offenders == []


def test_a_failed_service_rolls_back_what_the_request_changed(ctx):
    """A service that refuses (here: another company closing the job) rolls the session
    back, so a change made earlier in the request is never committed afterwards."""
    owner, stranger = make.employer(), make.employer()
    job = make.job(owner, title="Cardiology coder")
    job.title = "Half-made change"
    with pytest.raises(NotAllowed):
        job_services.close_job(job, stranger)
    assert not db.session.dirty
    db.session.commit()  # whatever the request commits next
    db.session.expire_all()
    assert job.title == "Cardiology coder" and job.status == "published"

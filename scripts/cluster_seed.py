"""The cluster check's starting data, made through the app's own services: a verified
company's recruiter with an API token, 20 coders, 40 published jobs, indexed. Prints the
token, the recruiter's address, the coders' addresses and the job ids, one per line."""
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.security import generate_password_hash

from jobboard import create_app
from jobboard.api import tokens
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.jobs import services as jobs
from jobboard.models import CoderProfile, Company, User
from jobboard.search import sync

CODES = ["38206", "99214", "J9035", "C92.00", "93306", "E11.9"]


def main(password: str) -> None:
    app = create_app()
    with app.app_context():
        hashed = generate_password_hash(password, method="scrypt")
        employer = User(email="recruiter@cluster.example", name="Cluster Recruiter",
                        role="employer", password_hash=hashed, email_verified_at=utcnow(),
                        company=Company(name="Cluster Health", slug="cluster-health",
                                        verified_at=utcnow(), verified_by="admin"))
        coders = [User(email=f"coder{n}@cluster.example", name=f"Coder {n}", role="coder",
                       password_hash=hashed, email_verified_at=utcnow(),
                       profile=CoderProfile(credentials=["CPC"])) for n in range(20)]
        db.session.add_all([employer, *coders])
        db.session.commit()
        _, token = tokens.create_token(employer, "Cluster check")
        ids = []
        for n in range(40):
            job = jobs.create_job(employer.company, employer, jobs.JobFields(
                title=f"Coder {n}", description="Code for the cluster check.",
                codes=CODES[n % len(CODES)], setting="pro-fee", work_mode="remote",
                employment_type="full-time", salary_min=Decimal(50000 + 500 * n),
                salary_max=Decimal(60000 + 500 * n), salary_period="year"))
            jobs.publish_job(job, employer)
            ids.append(job.id)
        sync.reindex()
        print(token, employer.email, *(c.email for c in coders), *ids, sep="\n")


if __name__ == "__main__":
    main(sys.argv[1])

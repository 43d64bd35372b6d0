"""Every list page reads its rows in a fixed number of SQL statements: the same with 5 rows
as with 50. A page that loads something per row (a company per job, a profile per applicant)
grows with its rows and fails here, whichever template or service added the read."""
from contextlib import contextmanager

from sqlalchemy import event

from jobboard.coders import services as coder_services
from jobboard.extensions import db
from jobboard.models import Job, User
from tests import factories as make
from tests.conftest import Browser

SIZES = (5, 50)


@contextmanager
def counting(app):
    """The statements the app sends while the block runs (SQLAlchemy's own event: every
    statement, ORM, Core or text, passes through it)."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


class Board:
    """Employers, unverified companies whose jobs wait for review, and coders: grown to n rows
    of each list. Holds ids, not rows: each step runs in its own app context."""

    def __init__(self):
        employer, coder, admin = make.employer(), make.coder(), make.admin()
        target = make.job(employer, title="The job everyone applies to")
        self.employer, self.coder = employer.id, coder.id
        self.emails = {"employer": employer.email, "coder": coder.email, "admin": admin.email}
        self.target, self.slug = target.id, employer.company.slug
        self.jobs = self.applicants = self.pending = 0

    def grow(self, n: int) -> None:
        employer, me, target = (db.session.get(User, self.employer),
                                db.session.get(User, self.coder), db.session.get(Job, self.target))
        while self.jobs < n:
            # Each company's own job (search, code page, my applications: a company per row
            # to load), and one more of ours (company page, dashboard).
            job = make.job(make.employer(), title=f"Coder {self.jobs}", codes="38206")
            coder_services.apply(job, me, "I code 38206.")
            make.job(employer, title=f"Our coder {self.jobs}", codes="38206")
            self.jobs += 1
        while self.applicants < n:  # the applicants of one job, each with a findable profile
            coder = make.coder(with_resume=False)
            coder_services.update_profile(coder, coder_services.ProfileFields(
                credentials=["CPC"], codes="38206", findable=True))
            coder_services.apply(target, coder, "Hello.", (make.pdf_bytes(), "resume.pdf"))
            self.applicants += 1
        while self.pending < n:  # the admin's review queue, each job of another company
            make.job(make.employer(verified=False), title=f"Waiting {self.pending}")
            self.pending += 1

    def pages(self) -> dict[str, tuple[str, str]]:
        """page name: (who looks, address)."""
        return {
            "search": ("", "/jobs?per_page=50"),
            "search by code": ("", "/jobs?q=38206&per_page=50"),
            "code page": ("", "/codes/38206"),
            "company page": ("", f"/companies/{self.slug}"),
            "dashboard": ("employer", "/employer/"),
            "applicants": ("employer", f"/employer/jobs/{self.target}/applicants"),
            "candidates": ("employer", "/employer/candidates"),
            "my applications": ("coder", "/coder/applications"),
            "admin queue": ("admin", "/admin/queue"),
        }


def test_every_list_page_reads_in_the_same_number_of_statements_at_5_and_50_rows(
        app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_PER_COMPANY_PER_DAY", 1000)
    with app.app_context():
        board = Board()
    counts: dict[str, list[int]] = {}
    shown: dict[str, list[int]] = {}
    for n in SIZES:
        with app.app_context():
            board.grow(n)
        for name, (who, url) in board.pages().items():
            client = app.test_client()
            if who:
                Browser(client).login(board.emails[who])
            client.get(url)  # once to warm what is cached per process (the catalog's answers)
            with counting(app) as seen:
                response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            counts.setdefault(name, []).append(len(seen))
            html = response.get_data(as_text=True)
            shown.setdefault(name, []).append(html.count("<article") + html.count("<tr"))
    grown = {name: c for name, c in counts.items() if c[1] > c[0]}
    assert grown == {}, f"statements at {SIZES} rows grew: {grown} (all: {counts})"
    # The pages did list more rows the second time (else the test would prove nothing).
    assert {name for name, rows in shown.items() if rows[1] <= rows[0]} == set(), shown

"""Every route that takes an object's id, for every role: the status each role gets, and no
change to the data from any request that is refused.

The table below is the policy. A route with an id that is missing from it fails the test, so
a new route cannot be added without deciding who may use it."""
import hashlib
import json

import pytest
from sqlalchemy import select, text

from jobboard.api import tokens
from jobboard.candidates import services as candidates
from jobboard.extensions import db
from jobboard.models import SavedSearch
from tests import factories as make
from tests.conftest import csrf_token

ROLES = ("anon", "coder", "other_coder", "employer", "other_employer", "admin")

# Outcomes: 200 page, "login" (redirect to log in), 403 (wrong role: says so), 404 (not yours
# or not public: indistinguishable from missing), "ok" (allowed; POSTs that would act are not
# sent by the allowed role, so nothing changes), 302 (allowed, redirects).
L, OK = "login", "ok"
EMPLOYER_ONLY = {"anon": L, "coder": 403, "other_coder": 403, "employer": 200,
                 "other_employer": 404, "admin": 403}
EMPLOYER_ACTS = {**EMPLOYER_ONLY, "employer": OK}
CODER_ONLY = {"anon": L, "coder": 200, "other_coder": 404, "employer": 403,
              "other_employer": 403, "admin": 403}
CODER_ACTS = {**CODER_ONLY, "coder": OK}
ADMIN_ONLY = {"anon": L, "coder": 403, "other_coder": 403, "employer": 403,
              "other_employer": 403, "admin": 200}
ADMIN_ACTS = {**ADMIN_ONLY, "admin": OK}
PUBLIC = dict.fromkeys(ROLES, 200)
NOBODY = dict.fromkeys(ROLES, 404)

# (method, URL, expected by role). {job}: the employer's published job with the coder's
# application; {draft}: the employer's draft; {app}: that application; {resume}: its resume;
# {alert}: the coder's saved search; {company}: the employer's company.
MATRIX = [
    ("GET", "/jobs/{job}", PUBLIC),
    ("GET", "/api/v1/jobs/{job}", PUBLIC),
    ("GET", "/api/v1/jobs/{draft}", NOBODY),  # the API serves public jobs only, to anyone
    # API writes take a recruiter's token: a logged-in session, even the owner's, is refused.
    ("PATCH", "/api/v1/jobs/{job}", dict.fromkeys(ROLES, 401)),
    ("POST", "/api/v1/jobs/{draft}/publish", dict.fromkeys(ROLES, 401)),
    ("POST", "/api/v1/jobs/{job}/close", dict.fromkeys(ROLES, 401)),
    ("GET", "/employer/api-tokens/{token}/revoke", EMPLOYER_ONLY),
    ("POST", "/employer/api-tokens/{token}/revoke", EMPLOYER_ACTS),
    ("GET", "/jobs/{draft}", {**NOBODY, "employer": 200, "admin": 200}),
    # The draft's own company and admins may see it, so they hear that only coders apply.
    ("POST", "/jobs/{draft}/apply", {**NOBODY, "employer": 403, "admin": 403}),
    ("GET", "/jobs/{job}/report", PUBLIC),
    ("GET", "/jobs/{draft}/report", NOBODY),
    ("POST", "/jobs/{draft}/report", NOBODY),
    ("POST", "/jobs/{job}/save", {"anon": L, "coder": OK, "other_coder": OK, "employer": 403,
                                  "other_employer": 403, "admin": 403}),
    ("POST", "/jobs/{draft}/save", {**NOBODY, "employer": 403, "admin": 403}),
    ("POST", "/jobs/{job}/unsave", {"anon": L, "coder": OK, "other_coder": OK,
                                    "employer": 403, "other_employer": 403, "admin": 403}),
    ("GET", "/employer/jobs/{job}", EMPLOYER_ONLY),
    ("GET", "/employer/jobs/{draft}", EMPLOYER_ONLY),
    ("GET", "/employer/jobs/{draft}/edit", EMPLOYER_ONLY),
    ("POST", "/employer/jobs/{job}/edit", EMPLOYER_ACTS),
    ("POST", "/employer/jobs/{draft}/publish", EMPLOYER_ACTS),
    ("GET", "/employer/jobs/{job}/renew", EMPLOYER_ONLY),
    ("POST", "/employer/jobs/{job}/renew", EMPLOYER_ACTS),
    ("GET", "/employer/jobs/{draft}/delete", EMPLOYER_ONLY),
    ("POST", "/employer/jobs/{draft}/delete", EMPLOYER_ACTS),
    ("GET", "/employer/jobs/{job}/close", EMPLOYER_ONLY),
    ("POST", "/employer/jobs/{job}/close", EMPLOYER_ACTS),
    ("GET", "/employer/jobs/{job}/applicants", EMPLOYER_ONLY),
    ("GET", "/employer/applications/{app}", EMPLOYER_ONLY),
    ("POST", "/employer/applications/{app}", EMPLOYER_ACTS),
    ("POST", "/employer/applications/{app}/messages", EMPLOYER_ACTS),
    ("POST", "/employer/applications/{app}/notes", EMPLOYER_ACTS),
    ("POST", "/employer/applications/{app}/rating", EMPLOYER_ACTS),
    ("POST", "/employer/jobs/{job}/applicants/move", EMPLOYER_ACTS),
    ("POST", "/coder/applications/{app}/messages", CODER_ACTS),
    ("GET", "/coder/applications/{app}", CODER_ONLY),
    ("GET", "/coder/applications/{app}/withdraw", CODER_ONLY),
    ("POST", "/coder/applications/{app}/withdraw", CODER_ACTS),
    ("GET", "/resumes/{resume}", {"anon": L, "coder": 200, "other_coder": 404, "employer": 200,
                                  "other_employer": 404, "admin": 404}),
    ("POST", "/alerts/{alert}", CODER_ACTS),
    ("GET", "/alerts/{alert}/delete", CODER_ONLY),
    ("POST", "/alerts/{alert}/delete", CODER_ACTS),
    # A findable coder is visible to every verified company: any recruiter may invite them.
    ("GET", "/employer/candidates/{findable}/invite", {**EMPLOYER_ONLY, "other_employer": 200}),
    ("POST", "/employer/candidates/{findable}/invite", {**EMPLOYER_ACTS, "other_employer": OK}),
    ("GET", "/employer/candidates/{other_coder}/invite", {**EMPLOYER_ONLY, "employer": 404}),
    ("GET", "/coder/invitations/{invitation}/decline", CODER_ONLY),
    ("POST", "/coder/invitations/{invitation}/decline", CODER_ACTS),
    ("GET", "/admin/jobs/{job}", ADMIN_ONLY),
    ("POST", "/admin/jobs/{job}/approve", ADMIN_ACTS),
    ("POST", "/admin/jobs/{job}/reject", ADMIN_ACTS),
    ("GET", "/admin/companies/{company}", ADMIN_ONLY),
    ("POST", "/admin/companies/{company}/verify", ADMIN_ACTS),
    ("POST", "/admin/companies/{company}/unverify", ADMIN_ACTS),
    ("GET", "/admin/companies/{company}/suspend", ADMIN_ONLY),
    ("POST", "/admin/companies/{company}/suspend", ADMIN_ACTS),
    ("POST", "/admin/companies/{company}/reinstate", ADMIN_ACTS),
]
# Routes with an id that need no row in the table: public reference pages and tokens.
NOT_OBJECTS = {"static", "assets.vendor", "codes.page", "codes.page_in_system", "api.code",
               "auth.reset_password", "auth.unsubscribe", "auth.verify_email", "jobs.company",
               "feeds.sitemap_jobs", "feeds.sitemap_codes", "admin.unban",
               "jobs.company_logo",  # a public company page's logo, by its address
               "devmail.message", "devmail.message_html"}  # the dev mailbox, never in production


@pytest.fixture
def world(app):
    with app.app_context():
        employer = make.employer()
        other_employer = make.employer()
        coder = make.coder()
        other_coder = make.coder()
        admin = make.admin()
        job = make.job(employer)
        draft = make.job(employer, publish=False, title="Unpublished draft")
        application = make.apply(job, coder)
        token = tokens.create_token(employer, "ATS")[0]
        alert = SavedSearch(user_id=coder.id, name="38206", query_string="q=38206",
                            frequency="daily")
        db.session.add(alert)
        coder.profile.findable = True
        db.session.commit()
        invitation = candidates.invite(employer, coder.id, make.job(employer).id, "")
        ids = {"findable": coder.id, "other_coder": other_coder.id, "invitation": invitation.id,
               "job": job.id, "draft": draft.id, "app": application.id,
               "resume": application.resume_id, "alert": alert.id,
               "company": employer.company_id, "token": token.id}
        emails = {"coder": coder.email, "other_coder": other_coder.email,
                  "employer": employer.email, "other_employer": other_employer.email,
                  "admin": admin.email}
    clients = {"anon": app.test_client()}
    for role, email in emails.items():
        c = app.test_client()
        page = c.get("/login").get_data(as_text=True)
        r = c.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                   "password": make.PASSWORD})
        assert r.status_code == 302, role
        clients[role] = c
    return ids, clients


def snapshot(app) -> str:
    """A digest of every table's rows (what a refused request must not change)."""
    with app.app_context():
        rows = {}
        for table in db.metadata.sorted_tables:
            # Read marks: opening a conversation one may read records that it was read (the
            # allowed GETs here); a refused request never reaches them.
            if table.name in ("catalog_code", "application_read"):
                continue
            result = db.session.execute(select(table).order_by(*table.primary_key.columns))
            rows[table.name] = [list(map(str, r)) for r in result]
        db.session.execute(text("SELECT 1"))
        return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def outcome(response) -> object:
    if response.status_code == 302 and "/login" in response.location:
        return L
    return response.status_code


def test_every_route_with_an_id_is_in_the_matrix(app):
    covered = {url.split("{")[0] for _, url, _ in MATRIX}
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint in NOT_OBJECTS:
            continue
        prefix = rule.rule.split("<")[0]
        assert prefix in covered, f"{rule.endpoint} ({rule.rule}) is not in the matrix"
        methods = rule.methods - {"HEAD", "OPTIONS"}
        listed = {m for m, url, _ in MATRIX
                  if url.split("{")[0] == prefix and _same_route(url, rule.rule)}
        assert methods <= listed, f"{rule.rule}: {methods - listed} not in the matrix"


def _same_route(url: str, rule: str) -> bool:
    import re
    return re.sub(r"\{\w+\}", "X", url) == re.sub(r"<[^>]+>", "X", rule)


def test_each_role_gets_what_the_matrix_says_and_refusals_change_nothing(app, world):
    ids, clients = world
    before = snapshot(app)
    wrong = []
    for method, template, expected in MATRIX:
        url = template.format(**ids)
        for role in ROLES:
            want = expected[role]
            if want == OK:
                continue  # the allowed role acting is tested with each feature
            c = clients[role]
            if method == "GET":
                r = c.get(url)
            else:
                token = csrf_token(c.get("/login" if role == "anon" else "/").get_data(
                    as_text=True))
                r = c.open(url, method=method, data={
                    "csrf_token": token, "reason": "x", "status": "hired", "outcome": "filled",
                    "title": "Changed"})
            got = outcome(r)
            r.close()  # a resume download is a streamed file
            if got != want:
                wrong.append(f"{method} {template} as {role}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)
    assert snapshot(app) == before, "a refused request changed the data"

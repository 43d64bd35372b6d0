"""Every kind of page, as each role sees it, is valid HTML under the Nu HTML checker (vnu.jar
from npm, the W3C validator's engine), run once over the whole crawl."""
import json
import shutil
import subprocess

from jobboard.admin import services as moderation
from jobboard.api.tokens import create_token
from jobboard.candidates import services as candidates
from jobboard.coders.services import ProfileFields, update_profile
from jobboard.config import ROOT
from jobboard.extensions import db
from jobboard.models import SavedSearch
from tests import factories as make
from tests.conftest import csrf_token, require

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def _client(app, email=None):
    c = app.test_client()
    if email:
        page = c.get("/login").get_data(as_text=True)
        r = c.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                   "password": make.PASSWORD})
        assert r.status_code == 302
    return c


def test_every_page_is_valid_html(app, tmp_path):
    require(shutil.which("java") is not None and VNU.exists(),
            "the Nu HTML checker needs java and node_modules/vnu-jar (make setup)")
    with app.app_context():
        employer = make.employer(company="Summit Oncology")
        coder, admin = make.coder(), make.admin()
        job = make.job(employer, codes="38206, C92.00, J9035")
        for _ in range(5):  # enough for pay figures and charts on the code page and insights
            make.job(employer, codes="38206")
        draft = make.job(employer, publish=False)
        pending = make.job(make.employer(verified=False, company="New Clinic"))
        application = make.apply(job, coder)
        db.session.add(SavedSearch(user_id=coder.id, name="38206", query_string="q=38206",
                                   frequency="daily"))
        db.session.commit()
        create_token(employer, "ATS")
        update_profile(coder, ProfileFields(headline="Heme/onc coder", credentials=["CPC"],
                                            codes="38206, C92.00", findable=True))
        invitation = candidates.invite(employer, coder.id, make.job(employer).id, "Apply?")
        moderation.report_job(job, coder, "", "pay", "Pay is not stated right")
        ids = dict(job=job.id, draft=draft.id, coder=coder.id, invitation=invitation.id,
                   pending=pending.id, app=application.id, company=employer.company_id,
                   slug=employer.company.slug)
        logins = dict(coder=coder.email, employer=employer.email, admin=admin.email)
    pages = {
        None: ["/", "/jobs", "/jobs?q=38206", "/jobs?q=C9200", f"/jobs/{ids['job']}",
               "/codes/38206", "/codes/C92.00", "/codes?q=leukemia", "/login", "/register",
               "/register/coder", "/register/employer", "/password/forgot",
               f"/companies/{ids['slug']}", f"/jobs/{ids['job']}/report", "/api/docs",
               "/insights", "/insights?credential=CPC&window=year",
               "/no-such-page"],
        "coder": ["/coder/profile", "/coder/applications", f"/coder/applications/{ids['app']}",
                  f"/coder/applications/{ids['app']}/withdraw", "/alerts", "/saved",
                  "/account", f"/jobs/{ids['job']}", "/jobs/for-me", "/jobs",
                  "/coder/invitations", f"/coder/invitations/{ids['invitation']}/decline"],
        "employer": ["/employer/", "/employer/jobs/new", f"/employer/jobs/{ids['job']}",
                     f"/employer/jobs/{ids['draft']}/edit", f"/employer/jobs/{ids['draft']}",
                     f"/employer/jobs/{ids['job']}/applicants",
                     f"/employer/applications/{ids['app']}", f"/employer/jobs/{ids['job']}/close",
                     f"/employer/jobs/{ids['draft']}/delete", "/employer/company",
                     "/employer/api-tokens", "/employer/candidates",
                     "/employer/candidates?code=C92&credential=CPC&credential=bad",
                     f"/employer/candidates/{ids['coder']}/invite", "/employer/invitations"],
        "admin": ["/admin/", "/admin/queue", f"/admin/jobs/{ids['pending']}", "/admin/reports",
                  "/admin/companies", f"/admin/companies/{ids['company']}",
                  f"/admin/companies/{ids['company']}/suspend", "/admin/domains", "/admin/audit"],
    }
    files = {}
    for role, urls in pages.items():
        client = _client(app, logins.get(role))
        for url in urls:
            r = client.get(url)
            assert r.status_code in (200, 404), (role, url, r.status_code)
            name = tmp_path / f"{len(files):03d}.html"
            name.write_bytes(r.get_data())
            files[str(name)] = f"{role or 'anon'} {url}"
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [f"{files.get(m['url'].removeprefix('file:'), m['url'])} line "
                f"{m.get('lastLine')}: {m['message']}" for m in messages]
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)

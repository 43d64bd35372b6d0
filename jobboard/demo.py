"""Deterministic demo data: companies, coders and realistic coding jobs."""
import random
from datetime import timedelta
from decimal import Decimal

from slugify import slugify
from sqlalchemy import text

from jobboard import vocab
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import (
    Application,
    ApplicationEvent,
    ApplicationMessage,
    ApplicationRead,
    CoderProfile,
    Company,
    Job,
    JobCode,
    JobCredential,
    JobSpecialty,
    SearchOutbox,
    User,
)
from jobboard.models import application as ap
from jobboard.models import job as st
from jobboard.models.company import BY_ADMIN

COMPANIES = [
    ("Riverbend Health System", "https://riverbend-health.example"),
    ("Summit Oncology Partners", "https://summit-onc.example"),
    ("Lakeshore Cardiology Group", "https://lakeshore-cardio.example"),
    ("Northwind Coding Services", "https://northwind-coding.example"),
    ("Mesa Orthopedic Institute", "https://mesa-ortho.example"),
    ("Harborview Medical Center", "https://harborview-mc.example"),
    ("Prairie Risk Adjustment Co.", "https://prairie-ra.example"),
    ("Blue Ridge Surgical Associates", "https://blueridge-surg.example"),
]

# specialty -> (title stems, codes coders in it work with, credentials asked for, setting)
PROFILES = {
    "hematology-oncology": (["Hematology/Oncology Coder", "Oncology Coding Specialist",
                             "Stem Cell Transplant Coder"],
                            ["38206", "38207", "38205", "38241", "J9035", "J9271", "C92.00",
                             "C92.01", "C90.00", "96413", "96415"], ["CPC", "CHONC", "CCS"],
                            "pro-fee"),
    "cardiology": (["Cardiology Coder", "Cardiovascular Coding Specialist"],
                   ["93306", "93458", "92928", "I25.10", "I48.91", "33208"], ["CPC", "CCC"],
                   "pro-fee"),
    "orthopedics": (["Orthopedic Surgery Coder", "Ortho Coding Specialist"],
                    ["27447", "27130", "29881", "M17.11", "S72.001A"], ["CPC", "COC"],
                    "outpatient-facility"),
    "radiology": (["Radiology Coder", "Interventional Radiology Coder"],
                  ["70553", "71046", "74177", "R91.8"], ["CPC", "CCS-P"], "pro-fee"),
    "emergency-department": (["Emergency Department Coder", "ED Facility Coder"],
                             ["99284", "99285", "R07.9", "S06.0X0A"], ["CPC", "COC"],
                             "outpatient-facility"),
    "evaluation-management": (["E/M Coder", "Evaluation and Management Auditor"],
                              ["99213", "99214", "99215", "G2211"], ["CPC", "CEMC"], "pro-fee"),
    "risk-adjustment-hcc": (["Risk Adjustment Coder", "HCC Coding Specialist"],
                            ["E11.9", "E11.22", "I50.22", "N18.4", "J44.9"], ["CRC", "CPC"],
                            "risk-adjustment"),
    "inpatient-drg": (["Inpatient Coder", "DRG Validation Specialist"],
                      ["0DTJ4ZZ", "02703DZ", "A41.9", "J96.01"], ["CCS", "CIC", "RHIT"],
                      "inpatient-facility"),
    "cdi": (["Clinical Documentation Integrity Specialist", "CDI Specialist"],
            ["I50.23", "E43", "J96.01"], ["CDIP", "CCS", "RHIA"], "cdi"),
    "auditing": (["Coding Auditor", "Coding Compliance Auditor"],
                 ["99214", "27447", "93306"], ["CPMA", "CPC"], "auditing"),
    "denials": (["Denials Management Coder", "Coding Denials Specialist"],
                ["99215", "J9035", "96413"], ["CPC", "CPB"], "denials"),
}

CITIES = [("Houston", "TX"), ("Dallas", "TX"), ("Phoenix", "AZ"), ("Denver", "CO"),
          ("Chicago", "IL"), ("Atlanta", "GA"), ("Nashville", "TN"), ("Columbus", "OH"),
          ("Seattle", "WA"), ("Boston", "MA"), ("Raleigh", "NC"), ("Minneapolis", "MN"),
          ("Tampa", "FL"), ("Sacramento", "CA"), ("Pittsburgh", "PA")]

LEVELS = ["", "Senior ", "Lead ", "Remote "]


def description(title: str, specialty: str, codes: list[str], company: str) -> str:
    label = vocab.SPECIALTIES[specialty]
    return (
        f"{company} is hiring a **{title}** for its {label.lower()} service line.\n\n"
        "What you will do:\n\n"
        f"- Abstract and assign codes from provider documentation ({', '.join(codes[:3])} "
        "and related codes)\n"
        "- Query providers when documentation is unclear\n"
        "- Meet productivity and quality targets and take part in monthly audits\n\n"
        "We offer full training on our encoder and EHR, paid certification renewals and CEUs."
    )


def seed(n_jobs: int, seed: int, password: str, progress=None) -> dict:
    """Create the demo data. Returns the logins made; `progress(n)` hears of each batch."""
    from jobboard.codes.meanings import Meanings
    from jobboard.jobs.services import refresh_search_fields

    meanings = Meanings()
    rng = random.Random(seed)
    now = utcnow()
    companies, employers = [], []
    for i, (name, site) in enumerate(COMPANIES):
        company = Company(name=name, slug=slugify(name), website=site, verified_at=utcnow(),
                          verified_by=BY_ADMIN,
                          profile=f"{name} employs certified coders across the country.")
        user = User(email=f"employer{i + 1}@demo.example", name=f"Recruiter {i + 1}",
                    role="employer", company=company, email_verified_at=utcnow())
        user.set_password(password)
        companies.append(company)
        employers.append(user)
    coders = []
    for i in range(5):
        coder = User(email=f"coder{i + 1}@demo.example", name=f"Demo Coder {i + 1}", role="coder",
                     email_verified_at=utcnow())
        coder.set_password(password)
        coder.profile = CoderProfile(credentials=["CPC"], specialties=["hematology-oncology"],
                                     years_experience=2 + i, remote_preference="remote")
        coders.append(coder)
    # Coders who made their profile findable, so candidate search has people to show; the
    # demo logins above stay private (the default) so a coder can try turning it on.
    findable, people = [], random.Random(seed + 1)  # its own draws: the jobs stay as they were
    for i, specialty in enumerate(list(PROFILES) * 2):
        _, codes, creds, _ = PROFILES[specialty]
        city, state = CITIES[i % len(CITIES)]
        coder = User(email=f"findable{i + 1}@demo.example", name=f"Findable Coder {i + 1}",
                     role="coder", email_verified_at=utcnow(), password_hash=coders[0].password_hash)
        coder.profile = CoderProfile(
            headline=f"{vocab.SPECIALTIES[specialty]} coder, {3 + i % 9} years",
            credentials=sorted(set(people.sample(creds, k=min(2, len(creds))))),
            specialties=[specialty], years_experience=3 + i % 9, city=city, state=state,
            remote_preference=("remote", "any", "hybrid", "onsite")[i % 4],
            availability=list(vocab.AVAILABILITY)[i % len(vocab.AVAILABILITY)],
            codes=people.sample(codes, k=min(3, len(codes))), findable=True)
        findable.append(coder)
    admin = User(email="admin@demo.example", name="Demo Admin", role="admin",
                 email_verified_at=utcnow())
    admin.set_password(password)
    db.session.add_all(employers + coders + findable + [admin])
    db.session.flush()

    specialties = list(PROFILES)
    first_recruiter_jobs: list[Job] = []
    for i in range(n_jobs):
        # The first two jobs are the stem cell pair every demo and test relies on; the first
        # eight are oncology jobs with 38206 among their codes, so its pay insight shows.
        specialty = "hematology-oncology" if i < 8 else rng.choice(specialties)
        stems, code_pool, creds, setting = PROFILES[specialty]
        k = employers[i % len(employers)]
        title = rng.choice(LEVELS) + rng.choice(stems)
        codes = rng.sample(code_pool, k=min(len(code_pool), rng.randint(2, 4)))
        if i == 0:
            codes = ["38206", "C92.00", "J9035"]
        elif i == 1:
            codes = ["38207", "C92.01"]
        elif i < 8 and "38206" not in codes:
            codes = ["38206", *codes[:3]]
        work_mode = rng.choice(["remote", "remote", "hybrid", "onsite"])
        if work_mode != "remote":  # "Remote E/M Coder" in Pittsburgh, onsite, misleads
            title = title.removeprefix("Remote ")
        city, state = rng.choice(CITIES)
        hourly = rng.random() < 0.4
        if hourly:
            low = Decimal(rng.randint(24, 38))
            high, period = low + rng.randint(2, 10), "hour"
        else:
            low = Decimal(rng.randint(48, 80) * 1000)
            high, period = low + rng.randint(5, 20) * 1000, "year"
        published = now - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))
        job = Job(company=k.company, created_by_id=k.id, title=title,
                  description=description(title, specialty, codes, k.company.name),
                  status=st.PUBLISHED, setting=setting, work_mode=work_mode,
                  city=None if work_mode == "remote" else city,
                  state=None if work_mode == "remote" and rng.random() < 0.5 else state,
                  salary_min=low, salary_max=high, salary_period=period,
                  employment_type=rng.choice(["full-time"] * 4 + ["part-time", "contract",
                                                                   "per-diem", "temporary"]),
                  min_years=rng.choice([0, 1, 2, 3, 5]),
                  charts_per_day=rng.choice([None, 20, 35, 60, 120]),
                  accuracy_pct=rng.choice([None, Decimal("95"), Decimal("96")]),
                  published_at=published, expires_at=published + timedelta(days=60),
                  created_at=published)
        job.codes = [JobCode(system=_system(c), code=c, position=p) for p, c in enumerate(codes)]
        extra = rng.sample(specialties, k=rng.randint(0, 1))
        job.specialties = [JobSpecialty(specialty=s) for s in dict.fromkeys([specialty, *extra])]
        required = rng.sample(creds, k=1)
        preferred = [c for c in creds if c not in required][:1]
        job.credentials = ([JobCredential(credential=c, requirement=st.REQUIRED) for c in required]
                           + [JobCredential(credential=c, requirement=st.PREFERRED)
                              for c in preferred])
        refresh_search_fields(job, meanings=meanings)
        db.session.add(job)
        if k is employers[0] and len(first_recruiter_jobs) < len(PIPELINES):
            first_recruiter_jobs.append(job)
        if i % 500 == 499:
            db.session.flush()
            if progress:
                progress(500)
    db.session.flush()
    if progress:
        progress(n_jobs % 500)
    _applications(first_recruiter_jobs, employers[0], findable, now)
    db.session.add_all(SearchOutbox(job_id=job_id)
                       for job_id in db.session.scalars(db.select(Job.id)))
    db.session.add_all(SearchOutbox(coder_id=coder.id) for coder in findable)
    db.session.commit()
    # After a bulk load the planner's statistics are stale until autovacuum comes by: on a
    # freshly seeded PostgreSQL, the degraded word search scanned every job through the
    # status index (1.1 s a statement at 20,000 postings) instead of the full-text index
    # (3 ms). SQLite's plans improve with them too (five degraded searches 17-45% faster at
    # 20,000 postings, measured).
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"employers": [u.email for u in employers], "coders": [u.email for u in coders],
            "admin": admin.email}


# Applications to the first recruiter's first jobs, so employer1 sees a pipeline at every
# stage (and the coders who applied see theirs): for each job, each application's path of
# statuses, and what the recruiter wrote at the last move.
PIPELINES = [
    [([ap.REVIEWING, ap.INTERVIEW, ap.OFFER],
      "We would like to offer you the role. The details are on their way by email."),
     ([ap.REVIEWING, ap.INTERVIEW],
      "Could we talk by video on Tuesday at 10 am Central? About 30 minutes."),
     ([ap.REVIEWING], None),
     ([ap.REVIEWING, ap.REJECTED],
      "Thank you for applying. We chose a coder with more transplant experience."),
     ([ap.SUBMITTED], None), ([ap.SUBMITTED], None)],
    [([ap.SUBMITTED], None), ([ap.REVIEWING], None)],
    [([ap.WITHDRAWN], None)],
]


def _applications(jobs: list[Job], recruiter: User, coders: list[User], now) -> None:
    """Findable demo coders apply to `jobs` and the recruiter moves them along PIPELINES,
    with the history the services would write (no mail: nothing here is sent)."""
    from jobboard.resumes.services import store_resume

    db.session.flush()  # the jobs' ids
    waiting = list(coders)
    # A small --jobs may give the recruiter fewer jobs than there are pipelines.
    for job, pipeline in zip(jobs, PIPELINES, strict=False):
        specialty = job.specialties[0].specialty
        # Coders of the job's own specialty apply first.
        waiting.sort(key=lambda c: specialty not in c.profile.specialties)
        for n, (path, note) in enumerate(pipeline):
            coder = waiting.pop(0)
            # Between the job's publication and now, each step a little later.
            step = (now - job.published_at) / (len(path) + 2)
            at = job.published_at + step * (1 + n / len(pipeline))
            profile = coder.profile
            # As the app has it: every application carries a resume, here the profile's.
            profile.resume = store_resume(coder, resume_pdf([
                coder.name, profile.headline, f"Credentials: {', '.join(profile.credentials)}",
                f"Codes: {', '.join(profile.codes)}", f"{profile.city}, {profile.state}",
                "(Demo data: not a real person.)"]), f"{coder.name} resume.pdf")
            application = Application(
                job_id=job.id, coder_id=coder.id, status=path[-1], created_at=at,
                resume=profile.resume,
                cover_letter=f"I am a {profile.headline.lower()} and would like to code for "
                             "your team.")
            application.events.append(ApplicationEvent(to_status=ap.SUBMITTED,
                                                       actor_id=coder.id, created_at=at))
            before = ap.SUBMITTED
            for status in path:
                if status == ap.SUBMITTED:
                    continue
                at += step
                by = coder if status == ap.WITHDRAWN else recruiter
                application.events.append(ApplicationEvent(
                    from_status=before, to_status=status, actor_id=by.id, created_at=at,
                    message=note if status == path[-1] else None))
                before = status
            if path[-1] in (ap.INTERVIEW, ap.OFFER):  # a conversation to show on both sides
                application.messages += [
                    ApplicationMessage(author_id=coder.id, created_at=at + step / 3,
                                       body="Thank you. Is the role open to coders working "
                                            "from another state?"),
                    ApplicationMessage(author_id=recruiter.id, created_at=at + step / 2,
                                       body="Yes: it is **remote** anywhere in the US. Bring "
                                            "your credential numbers to the call.")]
            application.updated_at = at
            db.session.add(application)
            if application.messages:  # the recruiter read the question before answering it
                db.session.flush()
                db.session.add(ApplicationRead(application_id=application.id,
                                               user_id=recruiter.id, read_at=at + step / 2))


def resume_pdf(lines: list[str]) -> bytes:
    """A one-page PDF of these lines (ASCII) in Helvetica: a demo coder's resume."""
    def literal(line: str) -> str:
        line = line.encode("latin-1", "replace").decode("latin-1")
        return "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    text = "BT /F1 12 Tf 72 740 Td 18 TL " + " ".join(f"{literal(x)} '" for x in lines) + " ET"
    objects = ["<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
               "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
               "/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
               "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
               f"<</Length {len(text)}>>\nstream\n{text}\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    table = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    return out + (f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n{table}"
                  f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{len(out)}\n"
                  "%%EOF\n").encode("latin-1")


def _system(code: str) -> str:
    from jobboard.codes.formats import recognise
    return recognise(code).system

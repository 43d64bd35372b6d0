"""Configuration from the environment, with generated development secrets under instance/."""
import json
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def instance_secret(name: str, nbytes: int = 32) -> str:
    """A secret kept in instance/NAME, generated on first use and readable only by its owner."""
    path = INSTANCE / name
    if path.exists():
        return path.read_text().strip()
    INSTANCE.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value


def database_url(url: str | None) -> str:
    if not url:
        return f"sqlite:///{INSTANCE / 'jobboard.sqlite3'}"
    # psycopg 3 is the driver; accept the URLs hosting providers hand out.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024  # a 5 MB resume plus the rest of the form
    RESUME_MAX_BYTES = 5 * 1024 * 1024
    # Resumes: "local" files under RESUME_DIR (one host), or "database" (every host reads
    # them: several hosts, deploy/README.md). Set before the first upload and kept.
    RESUME_STORE = os.environ.get("RESUME_STORE", "local")
    RESUME_DIR = os.environ.get("RESUME_DIR", str(INSTANCE / "resumes"))
    JOB_LIFETIME_DAYS = int(os.environ.get("JOB_LIFETIME_DAYS", "60"))
    # Sent (or refused) mail is deleted after this many days: its bodies hold names, job
    # titles and sign-in links, kept only long enough to answer "did that mail go out?".
    MAIL_KEEP_DAYS = int(os.environ.get("MAIL_KEEP_DAYS", "30"))
    JOBS_PER_PAGE = 20

    MEILI_URL = os.environ.get("MEILI_URL") or None
    MEILI_MASTER_KEY = os.environ.get("MEILI_MASTER_KEY") or None
    MEILI_INDEX_PREFIX = os.environ.get("MEILI_INDEX_PREFIX", "")
    MEILI_TIMEOUT = float(os.environ.get("MEILI_TIMEOUT", "2"))  # one HTTP call
    # Waiting for an indexing task (setup, sync, reindex steps): tasks queue one behind
    # another on the server, so this is a deadline for the queue, not for one call.
    MEILI_TASK_TIMEOUT = float(os.environ.get("MEILI_TASK_TIMEOUT", "30"))
    # After a failed call, searches skip Meilisearch this long, then one request probes it.
    MEILI_COOLDOWN = float(os.environ.get("MEILI_COOLDOWN", "30"))

    # Where a code page links for the full reference; {code} is replaced. JSON in the env.
    CODE_REFERENCE_URLS = json.loads(os.environ.get("CODE_REFERENCE_URLS") or "null") or {
        "CPT": "https://www.aapc.com/codes/cpt-codes/{code}",
        "HCPCS": "https://www.aapc.com/codes/hcpcs-codes/{code}",
        "ICD-10-CM": "https://www.icd10data.com/search?s={code}",
        "ICD-10-PCS": "https://www.icd10data.com/search?s={code}",
    }

    # Absolute links in mail and feeds; the public address of the site.
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    # The Host headers the app answers (Flask's TRUSTED_HOSTS; another gets a 400), so that
    # links built from a request never point at a host an attacker chose. Comma-separated;
    # unset: SITE_URL's host and this machine's loopback names.
    TRUSTED_HOSTS = [h.strip() for h in os.environ["TRUSTED_HOSTS"].split(",") if h.strip()] \
        if os.environ.get("TRUSTED_HOSTS") else None
    # smtp://user:pass@host:587?starttls=1, or smtps://host:465; unset, mail waits in the outbox.
    MAIL_URL = os.environ.get("MAIL_URL") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "CodeBoard <no-reply@codeboard.localhost>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    # /dev/mail shows the messages the local development SMTP server stored; never in production.
    MAIL_DEV_INBOX = os.environ.get("MAIL_DEV_INBOX", "").lower() in ("1", "true", "on", "yes")
    MAIL_DIR = os.environ.get("MAIL_DIR", str(INSTANCE / "mail"))
    SITEMAP_PAGE_SIZE = 50_000  # the most URLs one sitemap file may list
    RESET_TOKEN_MAX_AGE = 3600
    VERIFY_TOKEN_MAX_AGE = 7 * 24 * 3600
    UNSUBSCRIBE_TOKEN_MAX_AGE = 365 * 24 * 3600

    # Moderation. A verified company's jobs go live at once unless every job is reviewed.
    MODERATE_ALL_JOBS = os.environ.get("MODERATE_ALL_JOBS", "").lower() in ("1", "true", "on")
    # Open reports from this many different people hide a job until an admin looks at it.
    REPORT_HIDE_THRESHOLD = int(os.environ.get("REPORT_HIDE_THRESHOLD", "3"))
    JOBS_PER_COMPANY_PER_DAY = int(os.environ.get("JOBS_PER_COMPANY_PER_DAY", "20"))
    RATELIMIT_REPORT = os.environ.get("RATELIMIT_REPORT", "10 per hour")
    # Invitations to apply a company may send to findable coders in any 24 hours.
    INVITATIONS_PER_COMPANY_PER_DAY = int(os.environ.get("INVITATIONS_PER_COMPANY_PER_DAY",
                                                         "25"))
    SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@codeboard.localhost")

    # How many proxies in front of the app set X-Forwarded-For, -Proto and -Host (a load
    # balancer, a TLS terminator): with 0 those headers are ignored, so a client cannot choose
    # the address its rate limits count; behind a proxy with 0, every visitor would share the
    # proxy's address, and links would keep the proxy's scheme and host.
    PROXIES = int(os.environ.get("PROXIES", "0"))

    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json": one JSON object a line
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    # Cached figures (pay lines, insights): in Redis when configured, so every process and
    # host answers alike; else per process. Keys carry the time of the newest change to any
    # job, so a job published, edited or closed anywhere starts new figures everywhere.
    CACHE_TYPE = "RedisCache" if os.environ.get("REDIS_URL") else "SimpleCache"
    CACHE_REDIS_URL = os.environ.get("REDIS_URL")
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "codeboard:cache:")

    # Counters every process of a host shares: Redis when configured (several hosts), else a
    # SQLite file under instance/ (limitstore.py); memory:// would count per process.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or \
        os.environ.get("REDIS_URL") or f"sqlite:///{INSTANCE / 'limits.sqlite3'}"
    # Logins, resets and registrations: per address (generous: offices share one) and per
    # account (tight: guessing one account's password from many addresses).
    RATELIMIT_AUTH = os.environ.get("RATELIMIT_AUTH", "30 per minute")
    RATELIMIT_ACCOUNT = os.environ.get("RATELIMIT_ACCOUNT", "10 per 5 minutes")
    RATELIMIT_API_TOKEN = os.environ.get("RATELIMIT_API_TOKEN", "120 per minute")  # API writes
    RATELIMIT_SEARCH = os.environ.get("RATELIMIT_SEARCH", "300 per minute")  # page and API
    RATELIMIT_HEADERS_ENABLED = True
    # A limit's store that fails (Redis unreachable) lets the request through, logged: the
    # store's outage is not the visitor's fault, and must not take search or login down.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "codeboard")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"


SECRET_KEY_FILE = "secret_key"


class SettingMissing(RuntimeError):
    """A setting the app cannot start without; the message says what to set."""


def load_secret_key() -> str:
    return os.environ.get("SECRET_KEY") or instance_secret(SECRET_KEY_FILE, 48)

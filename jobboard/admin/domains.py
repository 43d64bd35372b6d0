"""Email domains: whose may register, and which prove a recruiter works at a company."""
from urllib.parse import urlsplit

from disposable_email_domains import blocklist as DISPOSABLE
from sqlalchemy import select

from jobboard.extensions import db
from jobboard.models import BannedDomain

# Addresses anyone can get: they prove nothing about who a recruiter works for.
FREE_MAIL = frozenset({
    "aol.com", "att.net", "comcast.net", "fastmail.com", "gmail.com", "gmx.com", "gmx.net",
    "googlemail.com", "hey.com", "hotmail.com", "icloud.com", "live.com", "mac.com", "mail.com",
    "me.com", "msn.com", "outlook.com", "proton.me", "protonmail.com", "sbcglobal.net",
    "verizon.net", "yahoo.com", "yandex.com", "ymail.com", "zoho.com",
})


def email_domain(email: str) -> str:
    return (email or "").rpartition("@")[2].strip().strip(".").casefold()


def website_host(url: str | None) -> str:
    host = (urlsplit((url or "").strip()).hostname or "").casefold()
    return host.removeprefix("www.")


def _parents(domain: str) -> list[str]:
    """mail.example.org -> [mail.example.org, example.org] (not the bare top-level domain)."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def normalise_domain(text: str) -> str | None:
    """What an admin typed ("@Example.org", "example.org.") as a domain, or None."""
    domain = (text or "").strip().lstrip("@").strip(".").casefold()
    if "." not in domain or len(domain) > 253 or any(c.isspace() or c in "/@:" for c in domain):
        return None
    return domain


def registration_refusal(email: str) -> str | None:
    """Why an address may not register, or None."""
    domain = email_domain(email)
    parents = _parents(domain)
    if parents and db.session.scalar(select(BannedDomain.domain)
                                     .where(BannedDomain.domain.in_(parents)).limit(1)):
        return f"We do not accept registrations from addresses at {domain}."
    if any(p in DISPOSABLE for p in parents):
        return (f"{domain} is a throwaway mail service: use an address you will keep, so "
                "employers and alerts can reach you.")
    return None


def proves_company(email: str, website: str | None) -> bool:
    """A confirmed address at the company website's own domain (not a free-mail one)."""
    domain, host = email_domain(email), website_host(website)
    if "." not in domain or "." not in host or domain in FREE_MAIL or host in FREE_MAIL:
        return False
    return domain == host or domain.endswith("." + host) or host.endswith("." + domain)

"""schema.org JobPosting for job pages, as search engines read it."""
from flask import url_for

from jobboard import vocab
from jobboard.markdown import render_markdown
from jobboard.models import Job

EMPLOYMENT_TYPES = {"full-time": "FULL_TIME", "part-time": "PART_TIME",
                    "contract": "CONTRACTOR", "per-diem": "PER_DIEM", "temporary": "TEMPORARY"}


def job_posting_ld(job: Job) -> dict | None:
    """The JobPosting of an open job; closed and expired jobs get none (and are noindex)."""
    if not job.is_open():
        return None
    company = {"@type": "Organization", "name": job.company.name}
    if job.company.website:
        company["sameAs"] = job.company.website
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": str(render_markdown(job.description)),
        "datePosted": job.published_at.isoformat(),
        "validThrough": job.expires_at.isoformat() if job.expires_at else None,
        "hiringOrganization": company,
        "employmentType": EMPLOYMENT_TYPES.get(job.employment_type, "OTHER"),
        "identifier": {"@type": "PropertyValue", "name": job.company.name,
                       "value": str(job.id)},
        "directApply": True,
        "url": url_for("jobs.detail", job_id=job.id, _external=True),
        "industry": "Medical coding",
        "occupationalCategory": "29-2072.00 Medical Records Specialists",
        "skills": ", ".join(f"{c.system} {c.code}" for c in job.codes),
    }
    if job.work_mode == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = (
            {"@type": "State", "name": vocab.US_STATES[job.state]} if job.state
            else {"@type": "Country", "name": "US"})
    if job.work_mode != "remote" or job.city:
        address = {"@type": "PostalAddress", "addressCountry": "US"}
        if job.city:
            address["addressLocality"] = job.city
        if job.state:
            address["addressRegion"] = job.state
        data["jobLocation"] = {"@type": "Place", "address": address}
    if job.salary_min is not None or job.salary_max is not None:
        value = {"@type": "QuantitativeValue",
                 "unitText": "HOUR" if job.salary_period == "hour" else "YEAR"}
        if job.salary_min is not None:
            value["minValue"] = float(job.salary_min)
        if job.salary_max is not None:
            value["maxValue"] = float(job.salary_max)
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "USD", "value": value}
    credentials = job.required_credentials
    if credentials:
        data["educationRequirements"] = [
            {"@type": "EducationalOccupationalCredential",
             "credentialCategory": "professional certificate",
             "name": f"{c}: {vocab.CREDENTIALS[c]}"} for c in credentials]
    if job.min_years:
        data["experienceRequirements"] = {"@type": "OccupationalExperienceRequirements",
                                          "monthsOfExperience": job.min_years * 12}
    else:
        data["experienceRequirements"] = "no requirements"
    return {k: v for k, v in data.items() if v is not None}

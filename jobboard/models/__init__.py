"""Every model, imported here so that Alembic and the app see the whole schema."""
from jobboard.models.alert import AlertSent, SavedJob, SavedSearch
from jobboard.models.api_token import ApiToken
from jobboard.models.application import (
    Application,
    ApplicationEvent,
    ApplicationMessage,
    ApplicationNote,
    ApplicationRead,
)
from jobboard.models.code import CatalogCode, LoadedData
from jobboard.models.company import Company, CompanyLogo
from jobboard.models.invitation import Invitation
from jobboard.models.job import Job, JobCode, JobCredential, JobSpecialty
from jobboard.models.mail import MailOutbox, WorkerHeartbeat
from jobboard.models.moderation import AuditEntry, BannedDomain, JobReport
from jobboard.models.outbox import SearchOutbox
from jobboard.models.resume import Resume, ResumeFile
from jobboard.models.user import CoderProfile, EndedSession, User

__all__ = [
    "AlertSent", "ApiToken", "Application", "ApplicationEvent", "ApplicationMessage",
    "ApplicationNote", "ApplicationRead", "AuditEntry", "BannedDomain", "CatalogCode",
    "CoderProfile", "Company", "CompanyLogo",
    "EndedSession", "Invitation", "Job", "JobCode", "JobCredential", "JobReport", "JobSpecialty",
    "LoadedData", "MailOutbox", "Resume", "ResumeFile", "SavedJob", "SavedSearch", "SearchOutbox",
    "User", "WorkerHeartbeat",
]

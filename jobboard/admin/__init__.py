"""The admin area, for trust and safety: the review queue, reports, company verification and
suspension, banned email domains, and the audit log of every moderator action."""

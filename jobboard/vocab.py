"""The fixed vocabularies of the board: specialties, credentials, settings, places, pay."""

SPECIALTIES: dict[str, str] = {
    "hematology-oncology": "Hematology/oncology",
    "cardiology": "Cardiology",
    "orthopedics": "Orthopedics",
    "radiology": "Radiology",
    "emergency-department": "Emergency department",
    "evaluation-management": "Evaluation and management (E/M)",
    "anesthesia": "Anesthesia",
    "pathology-lab": "Pathology/lab",
    "general-surgery": "General surgery",
    "risk-adjustment-hcc": "Risk adjustment/HCC",
    "inpatient-drg": "Inpatient DRG",
    "outpatient-asc": "Outpatient/ASC",
    "cdi": "Clinical documentation integrity (CDI)",
    "auditing": "Auditing",
    "denials": "Denials management",
}

# Credential code -> the body that grants it and its full name.
CREDENTIALS: dict[str, str] = {
    "CPC": "Certified Professional Coder (AAPC)",
    "CPC-A": "Certified Professional Coder - Apprentice (AAPC)",
    "COC": "Certified Outpatient Coder (AAPC)",
    "CIC": "Certified Inpatient Coder (AAPC)",
    "CRC": "Certified Risk Adjustment Coder (AAPC)",
    "CPB": "Certified Professional Biller (AAPC)",
    "CPMA": "Certified Professional Medical Auditor (AAPC)",
    "CDEO": "Certified Documentation Expert Outpatient (AAPC)",
    "CHONC": "Certified Hematology and Oncology Coder (AAPC)",
    "CCC": "Certified Cardiology Coder (AAPC)",
    "CEMC": "Certified Evaluation and Management Coder (AAPC)",
    "CCA": "Certified Coding Associate (AHIMA)",
    "CCS": "Certified Coding Specialist (AHIMA)",
    "CCS-P": "Certified Coding Specialist - Physician-based (AHIMA)",
    "RHIT": "Registered Health Information Technician (AHIMA)",
    "RHIA": "Registered Health Information Administrator (AHIMA)",
    "CDIP": "Certified Documentation Integrity Practitioner (AHIMA)",
}

SETTINGS: dict[str, str] = {
    "inpatient-facility": "Inpatient facility",
    "outpatient-facility": "Outpatient facility/ASC",
    "pro-fee": "Professional fee (pro-fee)",
    "risk-adjustment": "Risk adjustment",
    "cdi": "Clinical documentation integrity",
    "auditing": "Auditing",
    "denials": "Denials",
}

WORK_MODES: dict[str, str] = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "Onsite"}

EMPLOYMENT_TYPES: dict[str, str] = {
    "full-time": "Full-time",
    "part-time": "Part-time",
    "contract": "Contract",
    "per-diem": "Per diem",
    "temporary": "Temporary",
}

SALARY_PERIODS: dict[str, str] = {"hour": "per hour", "year": "per year"}
HOURS_PER_YEAR = 2080  # full-time hours, to put hourly and yearly pay on one scale

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming",
}

REMOTE_PREFERENCES: dict[str, str] = {"any": "No preference", **WORK_MODES}

# When a findable coder could start, as employers see it in candidate search.
AVAILABILITY: dict[str, str] = {
    "now": "Available now",
    "two-weeks": "Available in two weeks",
    "later": "Available in a month or more",
    "open": "Employed, open to offers",
}

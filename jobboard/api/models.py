"""The API's parameters and answers as pydantic models: the OpenAPI document is generated from
them (spectree), and the suite fuzzes the running API against that document (schemathesis),
so a response that drifts from its model fails the build."""
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from jobboard.codes.formats import FAMILY_PATTERN, PATTERNS
from jobboard.search.filters import BY_PARAM
from jobboard.search.query import MAX_PER_PAGE, SORTS

# The filter parameters' values, as the OpenAPI document's enums: from the one filter table.
Specialty = Literal[tuple(BY_PARAM["specialty"].vocabulary)]  # type: ignore[valid-type]
Credential = Literal[tuple(BY_PARAM["credential"].vocabulary)]  # type: ignore[valid-type]
Setting = Literal[tuple(BY_PARAM["setting"].vocabulary)]  # type: ignore[valid-type]
WorkMode = Literal[tuple(BY_PARAM["work_mode"].vocabulary)]  # type: ignore[valid-type]
EmploymentType = Literal[tuple(BY_PARAM["employment_type"].vocabulary)]  # type: ignore[valid-type]
State = Literal[tuple(BY_PARAM["state"].vocabulary)]  # type: ignore[valid-type]
Sort = Literal[SORTS]  # type: ignore[valid-type]
# A code as the parser accepts it: any system's format (the same patterns).
CodeText = Annotated[str, StringConstraints(
    pattern="^(" + "|".join(p.pattern.strip("^$") for p in PATTERNS.values()) + ")$")]


class FieldError(BaseModel):
    detail: str = Field(description="What is wrong, in words to show the user.")
    parameter: str | None = Field(None, description="The query parameter it is about.")
    pointer: str | None = Field(None, description="JSON Pointer to the body member it is about.")


class Problem(BaseModel):
    """An error (RFC 9457 problem details), served as application/problem+json."""
    model_config = ConfigDict(extra="allow")
    type: str = "about:blank"
    title: str = Field(description="The HTTP status phrase.")
    status: int
    detail: str = Field(description="What happened, in words to show the user.")
    errors: list[FieldError] | None = Field(None, description="One entry per bad input.")


# Free text may hold no control character but tab and line breaks, and no non-character:
# every route refuses them with a 400 (security.py, textrules.first_unfit).
NO_NUL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]*$"


class JobsQuery(BaseModel):
    """The search page's parameters. Codes may be typed in `q` as coders write them:
    `CPT 38206`, `38206-38215`, `C92`, `99214-25`, several at once."""
    q: str | None = Field(None, max_length=200, pattern=NO_NUL, description="Codes and words.")
    code: list[CodeText] | None = Field(None, description="Jobs tagged with any of these codes.")
    family: str | None = Field(None, pattern=FAMILY_PATTERN,
                               description="Every code found under it: a CPT family (382), "
                                           "an ICD-10-CM category or subcategory (C92, C92.0), "
                                           "a HCPCS letter (J).")
    specialty: list[Specialty] | None = None
    credential: list[Credential] | None = Field(
        None, description="Jobs a coder holding any of these qualifies for.")
    setting: list[Setting] | None = None
    work_mode: list[WorkMode] | None = None
    state: list[State] | None = Field(None, description="Two-letter US state codes.")
    employment_type: list[EmploymentType] | None = None
    salary_min: int | None = Field(None, ge=1, description="Annual pay at least (hourly x 2,080).")
    posted_within: int | None = Field(None, ge=1, description="Published in the last N days.")
    sort: Sort | None = Field(None, description="Default: relevance with a query, else newest.")
    page: int | None = Field(None, ge=1)
    per_page: int | None = Field(None, ge=1, description=f"At most {MAX_PER_PAGE} (larger is "
                                                         "clamped, with a note).")


class CodeTag(BaseModel):
    system: str
    code: str
    url: str


class JobFacts(BaseModel):
    """What a listing and a full job both say."""
    id: int
    title: str
    specialties: list[str]
    required_credentials: list[str]
    setting: str
    work_mode: str
    city: str | None
    state: str | None
    salary_min: float | None
    salary_max: float | None
    salary_period: str | None
    employment_type: str
    published_at: str | None
    expires_at: str | None
    url: str = Field(description="The job's page.")


class Listing(JobFacts):
    company: str
    company_verified: bool | None = Field(None, description="Checked by CodeBoard.")
    codes: list[CodeTag]
    credentials: list[str]


class ReadingPart(BaseModel):
    kind: str
    label: str
    code: str | None
    title: str | None
    without: str = Field(description="This search without this part.")


class DidYouMean(BaseModel):
    code: str
    system: str
    url: str


class Suggestion(BaseModel):
    message: str
    did_you_mean: list[DidYouMean]


class NearestFamily(BaseModel):
    prefix: str
    open_jobs: int
    url: str


class FilterFromWords(BaseModel):
    """A word of `q` read as a filter value (`remote` as `work_mode=remote`); the links of
    the answer carry it as that parameter."""
    word: str
    parameter: str
    value: str
    label: str
    search_the_word: str = Field(description="This search with the filter taken off and the "
                                             "word searched as a word.")


class CodeTarget(BaseModel):
    system: str
    code: str = Field(description="A code, a prefix (every code under it) or a range.")


class Meaning(BaseModel):
    """A term of the board's clinical vocabulary among the words (afib, heart attack,
    Avastin): what it means and the codes it points at. Jobs whose codes mean it are found."""
    typed: str
    means: str
    codes: list[CodeTarget]
    reading: str = Field(description='As the page says it: "afib, read as atrial '
                                     'fibrillation (I48)".')
    also: str | None = Field(description="What else the short form can mean (MI: the state "
                                         "Michigan).")


class Reading(BaseModel):
    """How the query was read, as the search page shows it."""
    filters_from_words: list[FilterFromWords]
    summary: str
    parts: list[ReadingPart]
    modifiers: list[str]
    meanings: list[Meaning]
    suggestions: list[Suggestion]
    no_open_jobs_for: list[str]
    nearest_family: NearestFamily | None


class PageLinks(BaseModel):
    self: str
    first: str
    prev: str | None
    next: str | None
    last: str


class JobsPage(BaseModel):
    hits: list[Listing]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]]
    degraded: bool = Field(description="Meilisearch was unavailable: a simpler search answered.")
    notes: list[str] = Field(description="Parameters we adjusted (e.g. per_page clamped).")
    reading: Reading
    links: PageLinks


class JobCode(BaseModel):
    system: str
    code: str
    title: str | None = Field(description="Our title for the code or its range, where we "
                                          "may show one (no AMA CPT descriptors).")
    url: str


class Company(BaseModel):
    name: str
    verified: bool
    website: str | None
    url: str = Field(description="The company's page on CodeBoard.")


class Job(JobFacts):
    """A job in full."""
    status: str = Field(description="published, expired, closed or filled (and, for its own "
                                    "company's token, draft, pending or removed).")
    open: bool = Field(description="Takes applications now.")
    company: Company
    description_markdown: str
    description_html: str = Field(description="Sanitised HTML of the description.")
    codes: list[JobCode]
    preferred_credentials: list[str]
    salary_annual_min: int | None
    salary_annual_max: int | None
    min_years: int
    charts_per_day: int | None
    accuracy_pct: float | None
    updated_at: str
    apply_url: str


class CodeHit(BaseModel):
    model_config = ConfigDict(extra="allow")
    system: str
    code: str
    title: str | None = None
    kind: str | None = None
    why: str | None = Field(None, description='Why it matched: "the code itself", "afib, '
                            'read as atrial fibrillation (I48)", "its title has each word".')
    url: str | None


class CodeHits(BaseModel):
    hits: list[CodeHit]
    degraded: bool


class CodesQuery(BaseModel):
    q: str | None = Field(None, max_length=100, pattern=NO_NUL,
                          description="A code, part of one, or words.")
    limit: int | None = Field(None, ge=1, description="At most 50.")


class CaseIn(BaseModel):
    text: str = Field(max_length=2000, description='A short case note in plain text, e.g. '
                      '"65 y/o M with NSTEMI, s/p PCI with DES to LAD, hx HTN, CKD 3". '
                      'Leave out names and record numbers.')


class CaseCandidate(BaseModel):
    code: str
    kind: str = Field(description="code, category (every code under it) or range")
    title: str | None
    phrase: str = Field(description="The words of the note it came from.")
    reading: str
    open_jobs: int
    url: str | None


class CaseSystem(BaseModel):
    system: str
    candidates: list[CaseCandidate]


class CaseCodes(BaseModel):
    disclaimer: str
    understood: list[str] = Field(description="Words read that name no code (hx, s/p).")
    systems: list[CaseSystem]


class CodeCrumb(BaseModel):
    code: str
    title: str | None
    kind: str


class CodeChild(BaseModel):
    code: str
    title: str | None


class Code(BaseModel):
    """A code: found in our catalog, or of a known format but not in it (`in_catalog`)."""
    system: str
    code: str
    in_catalog: bool = Field(description="False: a well-formed code we have no entry for.")
    kind: str
    title: str | None
    summary: str | None
    hierarchy: list[CodeCrumb]
    children: list[CodeChild]
    related: list[CodeChild]
    specialties: list[str]
    notes: dict
    notice: str | None
    reference_url: str | None
    open_jobs: int = Field(description="Open jobs tagged with the code; for an ICD-10-CM "
                                       "category or subcategory, with any code under it.")
    jobs_url: str = Field(description="The search for those jobs.")
    url: str


class Endpoint(BaseModel):
    method: str
    path: str
    summary: str


class Index(BaseModel):
    name: str
    version: str
    documentation: str
    openapi: str
    endpoints: list[Endpoint]


class JobIn(BaseModel):
    """A job to create: the same fields and rules as the form. Codes as a list or as text
    ("38206, C92.00"). `publish: true` publishes it at once (or puts it in the review queue
    when the company's jobs are reviewed; the answer's status says which)."""
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    title: str
    description: str
    codes: list[str] | str
    setting: Setting
    work_mode: WorkMode
    employment_type: EmploymentType
    specialties: list[Specialty] = []
    required_credentials: list[Credential] = []
    preferred_credentials: list[Credential] = []
    city: str | None = None
    state: State | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_period: Literal["hour", "year"] | None = None
    min_years: int = 0
    charts_per_day: int | None = None
    accuracy_pct: float | None = None
    publish: bool = False


class JobPatch(BaseModel):
    """The fields to change; the others keep their values. The rules are the form's."""
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    title: str | None = None
    description: str | None = None
    codes: list[str] | str | None = None
    setting: Setting | None = None
    work_mode: WorkMode | None = None
    employment_type: EmploymentType | None = None
    specialties: list[Specialty] | None = None
    required_credentials: list[Credential] | None = None
    preferred_credentials: list[Credential] | None = None
    city: str | None = None
    state: State | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_period: Literal["hour", "year"] | None = None
    min_years: int | None = None
    charts_per_day: int | None = None
    accuracy_pct: float | None = None


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["closed", "filled"] = "closed"


class InsightsQuery(BaseModel):
    credential: Credential | None = Field(None, description="Jobs that require it.")
    specialty: Specialty | None = None
    state: State | None = None
    work_mode: WorkMode | None = None
    window: Literal["open", "year"] | None = Field(
        None, description="open (default): open jobs now; year: published in the last 12 "
                          "months.")


class PayFigures(BaseModel):
    count: int = Field(description="Jobs with pay stated.")
    p25: int | None = Field(description="Annual pay; null below the 5-job floor.")
    median: int | None
    p75: int | None


class PayGroup(BaseModel):
    key: str
    label: str
    pay: PayFigures


class PayInsight(BaseModel):
    """Annual pay (the middle of each job's range; hourly x 2,080) of the slice, and split."""
    slice: dict[str, str | None]
    min_jobs: int
    overall: PayFigures
    by: dict[str, list[PayGroup]]
    ignored: dict[str, str] = Field(description="Parameters not understood, left out.")

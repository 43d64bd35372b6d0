"""The jobs index settings, as code. Applied before any document is added."""
import re

from jobboard.search.filters import FILTERS

EQUALITY = {"facetSearch": False, "filter": {"equality": True, "comparison": False}}
COMPARISON = {"facetSearch": False, "filter": {"equality": True, "comparison": True}}

FACETS = (*(f.attribute for f in FILTERS), "codes")

# The field's usual abbreviations. Meilisearch treats these both ways.
SYNONYMS = {
    "e/m": ["evaluation and management"],
    "em": ["evaluation and management"],
    "heme/onc": ["hematology oncology"],
    "hem/onc": ["hematology oncology"],
    "hemonc": ["hematology oncology"],
    "heme": ["hematology"],
    "onc": ["oncology"],
    "hcc": ["risk adjustment"],
    "cdi": ["clinical documentation integrity"],
    "asc": ["ambulatory surgery center"],
    "ed": ["emergency department"],
    "er": ["emergency department"],
    "drg": ["diagnosis related group"],
    "ip": ["inpatient"],
    "op": ["outpatient"],
    "profee": ["professional fee"],
    # What coders and clinicians write instead of the catalog's titles, which the jobs' code
    # meanings carry (tests/integration/test_meanings.py checks a sample).
    "aml": ["acute myeloid leukemia", "acute myeloblastic leukemia"],
    "cml": ["chronic myeloid leukemia"],
    "cll": ["chronic lymphocytic leukemia"],
    "bmt": ["bone marrow transplant", "bone marrow"],
    "sct": ["stem cell transplant", "stem cell"],
    "hsct": ["stem cell transplant", "stem cell"],
    "chf": ["congestive heart failure", "heart failure"],
    "copd": ["chronic obstructive pulmonary disease"],
    "ckd": ["chronic kidney disease"],
    "esrd": ["end stage renal disease"],
    "t2dm": ["type 2 diabetes mellitus"],
    "dm2": ["type 2 diabetes mellitus"],
    "htn": ["hypertension"],
    "afib": ["atrial fibrillation"],
    "cad": ["coronary artery disease"],
    "cabg": ["coronary artery bypass"],
    "pci": ["percutaneous coronary intervention"],
    "cva": ["cerebral infarction", "stroke"],
    "dvt": ["deep vein thrombosis"],
    "uti": ["urinary tract infection"],
    "gerd": ["gastro-esophageal reflux disease"],
    "tka": ["total knee arthroplasty"],
    "tha": ["total hip arthroplasty"],
    "orif": ["open reduction internal fixation"],
    "egd": ["esophagogastroduodenoscopy"],
    "mri": ["magnetic resonance imaging"],
}

_WORD = re.compile(r"[^\W_]+")


def expand_synonym(word: str) -> list[list[str]]:
    """A typed word and what the synonyms say it means, each as the words it is made of:
    the database search's reading of SYNONYMS (Meilisearch applies them itself).
    `hem/onc` -> [["hem", "onc"], ["hematology", "oncology"]]."""
    word = word.casefold()
    return [_WORD.findall(word) or [word],
            *(_WORD.findall(phrase) for phrase in SYNONYMS.get(word, []))]


JOBS = {
    "searchableAttributes": [
        "codes", "title", "specialty_names", "credentials", "setting_name", "work_mode_name",
        "company", "city", "state_name", "description",
        # below title and description: words that find a job by what its codes mean
        "code_meanings",
    ],
    # Public listing fields only. codes and code_prefixes rank a list of codes by how many of
    # them a job has; description and code_meanings report where words matched.
    "displayedAttributes": ["id", "title", "description", "codes", "code_prefixes",
                            "code_meanings", "listing"],
    "filterableAttributes": [
        {"attributePatterns": ["id", "codes", "code_prefixes", *(f.attribute for f in FILTERS)],
         "features": EQUALITY},
        {"attributePatterns": ["salary_annual_max", "published_at", "expires_at", "cpt_numbers"],
         "features": COMPARISON},
    ],
    "sortableAttributes": ["published_at", "salary_annual_max"],
    # Meilisearch's default rules with `sort` first: a sort the user chose (newest, pay)
    # orders the whole result even when the query has words (after `words` it only broke
    # ties between equally relevant jobs). A search sorted by relevance sends no sort, and
    # then the rule does nothing.
    "rankingRules": ["sort", "words", "typo", "proximity", "attribute", "exactness"],
    # Codes and credentials are exact: with typo tolerance 38206 matched 38207 and J9035
    # matched J9036 (DESIGN.md, measured); specialty names are words and keep typos.
    "typoTolerance": {"enabled": True,
                      "disableOnAttributes": ["codes", "credentials"],
                      "disableOnNumbers": True},
    "synonyms": SYNONYMS,
    "pagination": {"maxTotalHits": 1_000_000},
    "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "count"}},
}

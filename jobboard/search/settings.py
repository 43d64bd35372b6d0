"""The jobs index settings, as code. Applied before any document is added."""
from jobboard.codes import vocabulary
from jobboard.search.filters import FILTERS

EQUALITY = {"facetSearch": False, "filter": {"equality": True, "comparison": False}}
COMPARISON = {"facetSearch": False, "filter": {"equality": True, "comparison": True}}

FACETS = (*(f.attribute for f in FILTERS), "codes")

# What coders and clinicians write for what codes mean (afib, heart attack, Avastin), from the
# one vocabulary (codes/vocabulary.py), applied one way by Meilisearch: the jobs' code meanings
# carry the catalog's titles, so `afib` finds I48 jobs.
SYNONYMS = vocabulary.synonyms()


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

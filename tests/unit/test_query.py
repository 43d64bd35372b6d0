from werkzeug.datastructures import MultiDict

from jobboard.search.query import parse_args


def parse(**args):
    return parse_args(MultiDict(args))


def test_codes_in_the_query_become_code_filters_and_words_stay_words():
    q = parse(q="remote 38206 CPC c92.00 inpatient")
    assert q.codes == ["38206"] and q.prefixes == ["C92.00"]  # C92.00 and anything under it
    assert q.words == "inpatient"
    # Words naming a filter value are that filter, and the search as read says so.
    assert q.filters["work_mode"] == ["remote"] and q.filters["credential"] == ["CPC"]
    assert [(w.word, w.filter.param, w.value) for w in q.word_filters] == [
        ("remote", "work_mode", "remote"), ("CPC", "credential", "CPC")]
    assert q.q == "38206 c92.00 inpatient" and q.args.getlist("work_mode") == ["remote"]


def test_a_quoted_word_stays_a_word_and_a_filter_already_chosen_is_not_doubled():
    q = parse(q='"remote" coder')
    assert q.filters["work_mode"] == [] and q.words == '"remote" coder'
    q = parse_args(MultiDict([("q", "on-site Onsite"), ("work_mode", "onsite")]))
    assert q.filters["work_mode"] == ["onsite"] and q.args.getlist("work_mode") == ["onsite"]
    assert q.q == "" and len(q.word_filters) == 1


def test_words_that_fit_a_code_format_but_have_no_digit_stay_words():
    assert parse(q="charted surgery").codes == []
    assert parse(code="GZHZZZZ").codes == ["GZHZZZZ"]  # all-letter PCS codes via ?code=


def test_three_or_four_digits_are_a_code_family():
    q = parse(q="3820")
    assert q.prefixes == ["3820"] and q.codes == [] and q.words == ""


def test_bad_parameters_are_ignored_and_reported():
    q = parse(page="-1", per_page="abc", salary_min="lots", state="zz", sort="random")
    assert (q.page, q.per_page, q.salary_min, q.filters["state"], q.sort) == (
        1, 20, None, [], "relevance")
    assert len(q.problems) == 5 and q.notes == []


def test_states_are_case_insensitive_and_per_page_is_capped():
    q = parse(state="tx", per_page="1000")
    assert q.filters["state"] == ["TX"] and q.per_page == 100


def test_a_system_word_typed_against_its_code_and_a_spaced_hcpcs_code_are_codes():
    assert parse(q="cpt38206").codes == ["38206"]
    assert parse(q="j 9035").codes == ["J9035"] and parse(q="j 9035").words == ""
    # "a" and "I" are words: "a 1099 contract" keeps them, and 1099 stays a family
    q = parse(q="a 1099 contract")
    assert q.codes == [] and q.words == "a contract" and q.prefixes == ["1099"]
    assert parse(q="icd10").words == "icd10"  # a system word alone is a word


def test_a_state_after_in_is_the_state_filter():
    q = parse(q="coder in MI remote")
    assert q.filters["state"] == ["MI"] and q.filters["work_mode"] == ["remote"]
    assert q.q == "coder" and [w.word for w in q.word_filters] == ["MI", "remote"]
    assert parse(q="in new york").filters["state"] == ["NY"]
    assert parse(q="MI coder").filters["state"] == []  # no "in": the diagnosis, state offered
    assert parse(q="coder in pa").filters["state"] == []  # physician assistant, in lower case
    assert parse(q="coder in").q == "coder in"

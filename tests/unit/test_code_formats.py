import pytest

from jobboard.codes.formats import (
    CPT,
    HCPCS,
    ICD10CM,
    ICD10PCS,
    CodeRef,
    MalformedCodes,
    parse_code_list,
    recognise,
)


@pytest.mark.parametrize("token, system", [
    ("38206", CPT), ("0001U", CPT), ("99091", CPT), ("1234F", CPT), ("0042T", CPT),
    ("J9035", HCPCS), ("G2211", HCPCS), ("A0100", HCPCS),
    ("C92.00", ICD10CM), ("A01.00", ICD10CM), ("E11", ICD10CM), ("S72.001A", ICD10CM),
    ("C4A.0", ICD10CM), ("Z3A.32", ICD10CM),
    ("0DTJ4ZZ", ICD10PCS), ("02703DZ", ICD10PCS), ("GZHZZZZ", ICD10PCS),
])
def test_each_system_is_recognised_by_its_format(token, system):
    assert recognise(token) == CodeRef(system, token)


def test_the_dot_tells_icd10cm_from_hcpcs():
    assert recognise("A01.00").system == ICD10CM
    assert recognise("A0100").system == HCPCS


def test_codes_are_normalised_to_upper_case():
    assert recognise(" c92.00 ") == CodeRef(ICD10CM, "C92.00")


@pytest.mark.parametrize("token", ["3820", "382066", "W9035", "C92.", "C92.00000", "0DTJ4ZI",
                                   "hello", "38206-38207",
                                   # credentials and words that look like codes to a lax pattern
                                   "CPC", "CRC", "CCS", "HCC", "CDI", "ASC", "DRG", "SURGERY"])
def test_malformed_tokens_are_not_codes(token):
    assert recognise(token) is None


def test_a_list_keeps_order_drops_repeats_and_accepts_commas_or_spaces():
    refs = parse_code_list("38206, 38207;C92.00  J9035, 38206")
    assert [r.code for r in refs] == ["38206", "38207", "C92.00", "J9035"]
    assert [r.system for r in refs] == [CPT, CPT, ICD10CM, HCPCS]


def test_the_error_names_every_malformed_code():
    with pytest.raises(MalformedCodes) as e:
        parse_code_list("38206, 3820X, C92.00, hello")
    assert e.value.tokens == ["3820X", "hello"]
    assert '"3820X"' in str(e.value) and '"hello"' in str(e.value)

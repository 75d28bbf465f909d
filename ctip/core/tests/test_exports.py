from hypothesis import given
from hypothesis import strategies as st

from ctip.core.exports import FORMULA_STARTS, spreadsheet_safe, spreadsheet_unsafe


@given(st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "a", " "]), max_size=6))
def test_a_protected_cell_never_starts_a_formula_and_comes_back_as_it_was(text):
    written = spreadsheet_safe(text)
    assert not written.startswith(FORMULA_STARTS)
    assert spreadsheet_unsafe(written) == text


def test_the_apostrophe_goes_only_before_a_formula():
    assert spreadsheet_safe("=SUM(A1)") == "'=SUM(A1)"
    assert spreadsheet_safe("O'Brien") == "O'Brien"
    assert spreadsheet_safe("'quoted'") == "'quoted'"
    assert spreadsheet_unsafe("'quoted'") == "'quoted'"
    assert spreadsheet_unsafe("'-3 years") == "-3 years"

"""The keys a family is found by, folded the same way stored and typed (no database)."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attune.families.search_keys import fold, name_words, phone_key, postcode_key, query_words


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Chloë Ashworth", {"chloe", "ashworth", "chloeashworth"}),
        ("ASHWORTH", {"ashworth"}),
        ("O'Neill", {"oneill", "neill"}),
        ("O’Neill", {"oneill", "neill"}),
        ("Smith-Jones", {"smith", "jones", "smithjones"}),
        ("Smith – Jones", {"smith", "jones", "smithjones"}),
        ("Macdonald", {"mcdonald"}),
        ("McDonald", {"mcdonald"}),
        ("Mack", {"mack"}),
        ("Zoë-Anne D'Souza", {"zoe", "anne", "dsouza", "souza", "zoeannedsouza"}),
        ("Strauß", {"strauss"}),
        ("", set()),
        ("  ", set()),
        ("'-", set()),
    ],
)
def test_name_words(name: str, words: set[str]) -> None:
    assert name_words(name) == words


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Chloë  ASHWROTH", ["chloe", "ashwroth"]),
        ("O Neill", ["neill"]),
        ("J Smith", ["smith"]),
        ("Macdonald", ["mcdonald"]),
        ("Smith-Jones", ["smith", "jones"]),
        ("smith smith", ["smith"]),
        ("%_*", []),
        ("a", ["a"]),
    ],
)
def test_query_words(typed: str, words: list[str]) -> None:
    assert query_words(typed) == words


@pytest.mark.parametrize(
    "typed",
    ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "0044 7700 900123", "+44 (0) 7700 900123"],
)
def test_phone_numbers_become_national_digits(typed: str) -> None:
    assert phone_key(typed) == "07700900123"


def test_postcodes_have_one_space_before_the_inward_code() -> None:
    assert {postcode_key(typed) for typed in ("fy1 1aa", "FY11AA", " FY1  1AA ")} == {"FY1 1AA"}


names = st.text(alphabet=string.ascii_letters + "'- éëôñß’", max_size=30)


@given(names)
def test_a_name_typed_as_stored_finds_every_word_typed(name: str) -> None:
    """Whatever a name holds, the words someone types from it are among the words it is stored
    by (so typing a name as written always matches)."""
    stored = name_words(name)
    assert all(word in stored for word in query_words(name) if len(word) > 1)


@given(names)
def test_folding_ignores_case_and_accents(name: str) -> None:
    assert name_words(name.upper()) == name_words(name.lower()) == name_words(fold(name))


@given(st.text(max_size=60))
def test_every_word_is_plain_letters_and_digits_never_syntax(text: str) -> None:
    for word in name_words(text) | set(query_words(text)):
        assert word.isalnum()
        assert 0 < len(word) <= 50

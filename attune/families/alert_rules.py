"""Rules for acting on a risk alert: what counts as a description of the action taken, and when
the review of a high-risk alert's action falls due. Plain Python (no Django), so the rules are
tested alone and read the same wherever they are used."""

import re

DESCRIPTION_MIN_LENGTH = 20
# A description in words has letters of several kinds: "xxxxxxxxxxxxxxxxxxxxxx",
# "ababababababababababab" or a line of punctuation are not one.
DESCRIPTION_MIN_DISTINCT_LETTERS = 5

DESCRIPTION_MISSING = "Enter what you did about this alert"
DESCRIPTION_TOO_THIN = f"Describe what was done and what was decided, in at least {DESCRIPTION_MIN_LENGTH} characters"


def description_problem(text: str) -> str:
    """The message to show when `text` does not describe an action taken, else ""."""
    words = " ".join(text.split())
    if not words:
        return DESCRIPTION_MISSING
    letters = {character.casefold() for character in words if character.isalpha()}
    if len(words) < DESCRIPTION_MIN_LENGTH or len(letters) < DESCRIPTION_MIN_DISTINCT_LETTERS:
        return DESCRIPTION_TOO_THIN
    # The same short run again and again ("no no no no no no no no", "abcabcabcabcabcabcabc").
    if re.fullmatch(r"(.{1,6}?)\1{3,}.{0,6}", words.casefold().replace(" ", "")):
        return DESCRIPTION_TOO_THIN
    return ""

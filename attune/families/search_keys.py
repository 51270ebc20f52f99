"""The keys a family is found by: names folded the same way whether they are stored or typed,
phone numbers and postcodes in one form. Plain Python (no Django), shared by the search index
(families.search_index) and the search (attune.search), so both sides always agree.

Names: case and accents do not count ("Chloë" is "chloe"), nor apostrophes ("O'Neill" is
"oneill", and "neill" too, for someone who types "O Neill"), a hyphen or a space splits a name
into words ("Smith-Jones" is "smith" and "jones", and "smithjones" too), and "Mac" is written
"Mc" ("Macdonald" and "McDonald" are both "mcdonald").
"""

import re
import unicodedata

from attune.core.validators import normalise_postcode

# Apostrophes as people type them: straight, curly and the modifier letter.
_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"
# Between words of a name: spaces, hyphens and dashes of every kind, dots and commas.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.,/&+()]+")
MAX_WORD = 50


def fold(text: str) -> str:
    """Lower case without accents or marks: 'Zoë' -> 'zoe', 'STRAßE' -> 'strasse'. Letters of
    other scripts stay as they are (lower-cased)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold()


def _mc(word: str) -> str:
    """'macdonald' -> 'mcdonald'. Only before another letter and with a name after it, so 'mac'
    and 'mack' stay; a few names such as 'Mace' are folded too, on both sides, which costs
    nothing but a rare extra match."""
    if word.startswith("mac") and len(word) > 5:
        return "mc" + word[3:]
    return word


def _clean(part: str) -> str:
    """Letters and digits only (apostrophes and anything else dropped)."""
    return "".join(ch for ch in part if ch.isalnum())[:MAX_WORD]


def _pieces(text: str) -> list[str]:
    """The words of a name, folded, split at spaces and hyphens, apostrophes removed."""
    folded = fold(text)
    return [word for word in (_clean(part) for part in _SEPARATORS.split(folded)) if word]


def name_words(*names: str) -> set[str]:
    """Every word a stored name is found by: each word of each name, the hyphenated or spaced
    parts joined up, and the part after an apostrophe ('O'Neill' -> 'oneill', 'neill')."""
    found: set[str] = set()
    for name in names:
        if not name or not name.strip():
            continue
        words = _pieces(name)
        found.update(_mc(word) for word in words)
        if len(words) > 1:
            found.add(_mc("".join(words))[:MAX_WORD])
        for part in _SEPARATORS.split(fold(name)):
            for quote in _APOSTROPHES:
                if quote in part:
                    after = _clean(part.rsplit(quote, 1)[1])
                    if len(after) >= 2:
                        found.add(_mc(after))
    return {word for word in found if word}


def query_words(text: str) -> list[str]:
    """The words of a typed name, in the order typed and without repeats. A single letter (an
    initial, or the O of 'O Neill') says too little to search by and is left out when there is
    more to go on."""
    words = list(dict.fromkeys(_mc(word) for word in _pieces(text)))
    longer = [word for word in words if len(word) > 1]
    return longer or words


def phone_key(text: str) -> str:
    """A UK phone number as its national digits: '+44 7700 900123', '07700 900123' and
    '(0044) 7700-900123' are all '07700900123'. '' when there are no digits."""
    digits = "".join(ch for ch in text if ch in "0123456789")
    if not digits:
        return ""
    if text.strip().startswith("+") and digits.startswith("44"):
        digits = "0" + digits[2:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    if digits.startswith("00"):  # a stray extra nought
        digits = digits[1:]
    return digits


def postcode_key(text: str) -> str:
    """'fy1 1aa', 'FY11AA' -> 'FY1 1AA': capitals with one space before the inward code, so a
    postcode matches however it was typed or stored, and 'FY1 ' starts only FY1's postcodes
    (not FY10's)."""
    return normalise_postcode(text)

"""Identifiers people type: NHS numbers and UK postcodes. Plain Python, no Django.

NHS number: 10 digits, modulus-11 check digit, a computed check of 10 is invalid (domain B.1,
https://www.datadictionary.nhs.uk/attributes/nhs_number.html), checked by the maintained
`nhs-number` package. Postcodes: validated permissively by shape (domain B.5,
https://github.com/gicanon/regexPostcode), then normalised; whether one exists is a lookup.
"""

import re

import nhs_number

# Outward code (2-4 characters, starting with a letter) and inward code (digit + 2 letters),
# with BS 7666's letter rules kept loose on purpose (validate permissively, then look up).
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-Z]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_nhs_number(value: str) -> str:
    """Digits only: '943 476 5919' and '943-476-5919' are the same number."""
    return "".join(ch for ch in value if ch in "0123456789")


_NHS_NUMBER_TYPED = re.compile(r"[\d\s-]+")


def is_valid_nhs_number(value: str) -> bool:
    """Ten digits (spaces and dashes allowed between them) with a correct check digit. Anything
    else typed in, a letter say, makes it invalid rather than being dropped."""
    typed = value.strip()
    if not _NHS_NUMBER_TYPED.fullmatch(typed):
        return False
    digits = normalise_nhs_number(typed)
    return len(digits) == 10 and len(typed) <= 14 and nhs_number.is_valid(digits)


def normalise_postcode(value: str) -> str:
    """'fy1 1aa', 'FY11AA', ' FY1  1AA ' -> 'FY1 1AA'. Does not check the shape."""
    compact = re.sub(r"\s+", "", value).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def is_valid_postcode(value: str) -> bool:
    return bool(_POSTCODE.match(normalise_postcode(value)))


def outward_code(postcode: str) -> str:
    return normalise_postcode(postcode).split(" ")[0]


def postcode_sector(postcode: str) -> str:
    """'BB1 7DJ' -> 'BB1 7': the finest prefix a catchment table usually needs."""
    normalised = normalise_postcode(postcode)
    return normalised[:-2]


# Organisation codes. NHS bodies are identified by their ODS code: an NHS trust's is 3
# characters, letters and digits, starting with R or T (RXL: Blackpool Teaching Hospitals; TAJ:
# a care trust); an integrated care board's is 3 characters starting with Q (QE1: Lancashire and
# South Cumbria). Councils are identified by their ONS (GSS) code: a country letter and 8 digits
# (E06000009: Blackpool). https://digital.nhs.uk/services/organisation-data-service
_TRUST_ODS_CODE = re.compile(r"^[RT][A-Z0-9]{2}$")
_ICB_ODS_CODE = re.compile(r"^Q[A-Z0-9]{2}$")
_ONS_AREA_CODE = re.compile(r"^[ENSW]\d{8}$")


def normalise_code(value: str) -> str:
    """' rxl ' -> 'RXL': codes are written in capitals with no spaces."""
    return re.sub(r"\s+", "", value).upper()


def is_valid_trust_ods_code(value: str) -> bool:
    return bool(_TRUST_ODS_CODE.match(normalise_code(value)))


def is_valid_icb_ods_code(value: str) -> bool:
    return bool(_ICB_ODS_CODE.match(normalise_code(value)))


def is_valid_ons_area_code(value: str) -> bool:
    return bool(_ONS_AREA_CODE.match(normalise_code(value)))


def whole_number(text: str) -> int | None:
    """The whole number typed ("12", " 7 "), or None. Only the digits 0-9: "²" is a digit to
    str.isdigit() but int() refuses it, and "٣" is a digit int() reads that no one here types."""
    text = text.strip()
    return int(text) if text and text.isascii() and text.isdigit() else None

"""How a question is named to the person answering it, the same on the staff form and the
parent's link: by its number and, where the wording may be shown, its wording. No Django here."""

from attune.outcomes.instruments import Instrument, Item


def wording_of(instrument: Instrument, item: Item) -> str:
    """The item's wording where the service may show it ('' for an EPDS without its licensed copy)."""
    return item.text or ""


def wording_missing(instrument: Instrument) -> bool:
    """Whether a question has no wording to show: not shipped (EPDS, KPCS) and not loaded."""
    return any(not item.text for item in instrument.items)


def answer_message(instrument: Instrument, item: Item) -> str:
    """'Answer question 3: I have blamed myself unnecessarily…' (the number alone when the
    wording is not known)."""
    wording = wording_of(instrument, item)
    return f"Answer question {item.number}: {wording}" if wording else f"Answer question {item.number}"


def rating_message(instrument: Instrument, item: Item) -> str:
    """'Enter a rating from 1 to 100', naming the question when the measure has more than one."""
    message = f"Enter a rating from {item.minimum} to {item.maximum}"
    if len(instrument.items) == 1:
        return message
    wording = wording_of(instrument, item)
    return f"{message} for question {item.number}" + (f": {wording}" if wording else "")

"""What a family record is called, in pages, tasks and messages alike."""

from attune.families.models import Family


def family_title(family: Family) -> str:
    """'Family of Ava Smith': named by the children, or by the main carer before a baby has a name."""
    names = [infant.full_name for infant in family.infants.all() if infant.given_name]
    if not names:
        carers = sorted(family.carers.all(), key=lambda c: not c.is_main_contact)
        names = [carers[0].full_name] if carers and carers[0].full_name else []
    return f"Family of {' and '.join(names)}" if names else "Family record"

"""Which council area an address is in, from the configurable catchment table."""

from attune.core.validators import normalise_postcode, outward_code, postcode_sector
from attune.organisations.models import Catchment, Organisation


def local_authority_for(postcode: str) -> Organisation | None:
    """The council for a postcode: its sector's entry if there is one, else its district's."""
    normalised = normalise_postcode(postcode)
    prefixes = [postcode_sector(normalised), outward_code(normalised)]
    found = {
        c.prefix: c.local_authority
        for c in Catchment.objects.filter(prefix__in=prefixes).select_related("local_authority")
    }
    for prefix in prefixes:
        if prefix in found:
            return found[prefix]
    return None

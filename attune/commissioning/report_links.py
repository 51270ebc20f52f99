"""Where a funding agreement's own report (the funder's return) is.

The return is a report, and reports sit above commissioning (ADR 0010: reports read
commissioning, never the other way), so the agreement page cannot name its address. The reports
app registers it here in its AppConfig.ready, as apps register their task links with core.links;
without it (commissioning used alone) the agreement page simply has no link.
"""

from collections.abc import Callable

from attune.commissioning.models import FundingAgreement

ReturnLink = Callable[[FundingAgreement], str]
_links: list[ReturnLink] = []


def register_return(link: ReturnLink) -> None:
    """`link(agreement)` gives the address of the agreement's return; the latest registered wins."""
    _links.append(link)


def return_url(agreement: FundingAgreement) -> str:
    return _links[-1](agreement) if _links else ""

"""Where a request came from, trusting only as many proxies as the deployment declares."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies: int = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None

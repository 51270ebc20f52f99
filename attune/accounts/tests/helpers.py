"""Small helpers the sign-in, lockout and session tests share."""

from django.http import HttpResponse
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from attune.accounts.tests.factories import PASSWORD
from attune.core.models import AuditEvent

SIGN_IN = "/sign-in"
SECURITY_CODE = "/sign-in/security-code"
SET_UP = "/sign-in/set-up-two-factor"
RECOVERY_CODES = "/account/recovery-codes"


def code_for(device: TOTPDevice, steps: int = 0) -> str:
    """The 6-digit code the person's authenticator app shows now (or `steps` periods away)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps)
    return f"{value:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """Six digits that no step inside the tolerance window accepts."""
    accepted = {code_for(device, steps) for steps in range(-2, 3)}
    candidate = 0
    while f"{candidate:06d}" in accepted:
        candidate += 1
    return f"{candidate:06d}"


def enter_password(client: Client, email: str, password: str = PASSWORD, next_url: str | None = None) -> HttpResponse:
    url = SIGN_IN if next_url is None else f"{SIGN_IN}?next={next_url}"
    return client.post(url, {"email": email, "password": password})


def enter_code(client: Client, code: str) -> HttpResponse:
    return client.post(SECURITY_CODE, {"code": code})


def is_signed_in(client: Client) -> bool:
    """A page that needs a signed-in person answers rather than sending them to sign in."""
    response = client.get("/")
    return response.status_code == 200


def actions(**filters: object) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True))

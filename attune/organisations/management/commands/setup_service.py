"""The first run: on an empty database, create the provider trust and its first system
administrator, and print the single-use link with which they choose a password and set up
two-factor sign-in. Everything after that is done on the Set-up and Staff accounts pages."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator, validate_email

from attune.accounts.link_paths import link_path
from attune.core.actors import Actor
from attune.core.validators import is_valid_trust_ods_code, normalise_code
from attune.organisations import services


def _name(value: str) -> str:
    if not value.strip():
        raise ValueError("it cannot be blank")
    if len(value.strip()) > 200:
        raise ValueError("it must be 200 characters or fewer")
    return value.strip()


def _ods_code(value: str) -> str:
    if not is_valid_trust_ods_code(value):
        raise ValueError("an NHS trust's ODS code is 3 letters or numbers starting with R or T, like RXL")
    return normalise_code(value)


def _email(value: str) -> str:
    try:
        validate_email(value.strip())
    except ValidationError:
        raise ValueError("enter an email address in the correct format, like name@example.nhs.uk") from None
    return value.strip()


def _site_url(value: str) -> str:
    try:
        URLValidator(schemes=["https", "http"])(value.strip())
    except ValidationError:
        raise ValueError("enter the address people open Attune at, like https://attune.example.nhs.uk") from None
    return value.strip().rstrip("/")


# (option, question, check): asked in this order.
QUESTIONS = [
    ("organisation_name", "Name of the NHS trust that provides the service", _name),
    ("ods_code", "The trust's ODS code (like RXL)", _ods_code),
    ("admin_name", "Full name of the first system administrator", _name),
    ("admin_email", "Their work email address", _email),
    ("site_url", "The address people open Attune at (like https://attune.example.nhs.uk)", _site_url),
]


class Command(BaseCommand):
    help = (
        "Set Attune up on an empty database: the NHS trust that provides the service and its first "
        "system administrator, who is given a single-use link to choose a password. Asks for "
        "anything not given as an option; with --no-input, every option is needed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation-name", help="The NHS trust, like Blackpool Teaching Hospitals NHS FT")
        parser.add_argument("--ods-code", help="The trust's ODS code, like RXL")
        parser.add_argument("--admin-name", help="Full name of the first system administrator")
        parser.add_argument("--admin-email", help="Their work email address")
        parser.add_argument("--site-url", help="Where people open Attune (default: ATTUNE_PUBLIC_BASE_URL)")
        parser.add_argument("--no-input", action="store_true", help="Ask nothing: fail if an option is missing")

    def handle(self, *args: Any, **options: Any) -> None:
        existing = services.first_administrator()
        if existing is not None:
            raise CommandError(
                f"Attune is already set up: ask {existing.full_name} ({existing.email}) to add organisations, "
                "teams and people on the Set-up and Staff accounts pages, or to send you a set-up link."
            )
        options["site_url"] = options["site_url"] or settings.ATTUNE_PUBLIC_BASE_URL or None
        values = {name: self._value(options, name, question, check) for name, question, check in QUESTIONS}
        try:
            organisation, user, token = services.set_up_first_administrator(
                actor=Actor.system("setup_service", label="manage.py setup_service"),
                organisation_name=values["organisation_name"],
                ods_code=values["ods_code"],
                admin_name=values["admin_name"],
                admin_email=values["admin_email"],
            )
        except services.SetUpError as error:
            raise CommandError(str(error)) from error
        address = values["site_url"] + link_path("set_up", token)
        self.stdout.write(self.style.SUCCESS(f"Attune is set up for {organisation.name} ({organisation.code})."))
        self.stdout.write(
            f"Give {user.full_name} this link. It works once, for {settings.ATTUNE_SET_UP_LINK_DAYS} days: they choose "
            "a password, then set up two-factor sign-in, then set the service up on the Set-up pages."
        )
        self.stdout.write(address)

    def _value(self, options: dict[str, Any], name: str, question: str, check: Any) -> str:
        flag = "--" + name.replace("_", "-")
        given = options.get(name)
        if given is not None:
            try:
                return str(check(given))
            except ValueError as problem:
                raise CommandError(f"{flag} {given!r} is not right: {problem}") from problem
        if options["no_input"]:
            raise CommandError(f"Give {flag} (with --no-input nothing is asked)")
        while True:
            try:
                typed = input(f"{question}: ")
            except EOFError:
                raise CommandError(f"No answer for {flag}: give it as an option") from None
            try:
                return str(check(typed))
            except ValueError as problem:
                self.stderr.write(f"That is not right: {problem}. Try again.")

"""Create a staff account with one role, until system administrators have a page for it."""

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User, normalise_email
from attune.core.actors import Actor
from attune.organisations import services
from attune.organisations.models import Organisation, Team
from attune.organisations.roles import Role


class Command(BaseCommand):
    help = (
        "Create a staff account and give it a role in a team (by name) or an organisation (by ODS "
        "or ONS code). Asks for the password. The person sets up two-factor at first sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="Full name, as the person is known at work")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        place = parser.add_mutually_exclusive_group(required=True)
        place.add_argument("--team", help="Team name, for practitioner, trainee, supervisor, team lead, coordinator")
        place.add_argument("--organisation", help="Organisation code, for commissioner, IG lead, system admin")

    def handle(self, *args: Any, **options: Any) -> None:
        email = normalise_email(options["email"])
        if User.objects.filter(email=email).exists():
            raise CommandError(f"There is already an account for {email}")
        team = organisation = None
        if options["team"]:
            team = Team.objects.filter(name=options["team"]).first()
            if team is None:
                raise CommandError(f"No team is called {options['team']!r}")
        else:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation has the code {options['organisation']!r}")
        password = getpass.getpass("Password (at least 12 characters): ")
        user = User(email=email, full_name=options["name"])
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            user = User.objects.create_user(email, options["name"], password)
            try:
                services.grant_role(
                    user=user,
                    role=Role(options["role"]),
                    team=team,
                    organisation=organisation,
                    starts_on=timezone.localdate(),
                    actor=Actor.system("manage.py create_staff_account"),
                )
            except services.MembershipError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {user.full_name} ({email}) as {Role(options['role']).label}"))

"""manage.py setup_service: the first run on an empty database (issue 15)."""

import io

import pytest
from django.core.management import CommandError, call_command

from attune.accounts.models import AccountLink, User
from attune.core.models import AuditEvent
from attune.organisations.models import Organisation, OrganisationKind
from attune.organisations.roles import Role

FLAGS = {
    "organisation_name": "Blackpool Teaching Hospitals NHS Foundation Trust",
    "ods_code": "rxl",
    "admin_name": "Ada Admin",
    "admin_email": "Ada.Admin@nhs.example",
    "site_url": "https://attune.example.nhs.uk/",
}


def _run(**options: object) -> str:
    out = io.StringIO()
    call_command("setup_service", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.mark.django_db
def test_sets_up_the_trust_and_its_first_administrator_with_a_set_up_link() -> None:
    printed = _run(no_input=True, **FLAGS)
    trust = Organisation.objects.get()
    assert (trust.name, trust.kind, trust.code) == (FLAGS["organisation_name"], OrganisationKind.NHS_TRUST, "RXL")
    admin = User.objects.get()
    assert admin.email == "ada.admin@nhs.example"
    assert not admin.has_usable_password()
    assert [(m.role, m.organisation) for m in admin.memberships.all()] == [(Role.SYSTEM_ADMIN, trust)]
    link = AccountLink.objects.get(user=admin)
    assert link.purpose == "set_up"
    address = printed.strip().splitlines()[-1]
    assert address.startswith("https://attune.example.nhs.uk/account/set-up/")
    assert "//account" not in address
    assert AuditEvent.objects.filter(action="setup.first_administrator", actor_label="manage.py setup_service").exists()
    assert AuditEvent.objects.filter(action="organisation.created").exists()


@pytest.mark.django_db
def test_asks_for_what_is_not_given_and_again_after_a_wrong_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["Blackpool Teaching Hospitals", "XYZ", "RXL", "Ada Admin", "not an email", "ada@nhs.example"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    printed = _run(site_url="http://localhost:8000")
    assert Organisation.objects.get().code == "RXL"
    assert User.objects.get().email == "ada@nhs.example"
    assert "http://localhost:8000/account/set-up/" in printed


@pytest.mark.django_db
def test_refuses_politely_once_a_system_administrator_exists() -> None:
    _run(no_input=True, **FLAGS)
    with pytest.raises(CommandError, match=r"Attune is already set up: ask Ada Admin \(ada.admin@nhs.example\)"):
        _run(no_input=True, **{**FLAGS, "ods_code": "RXR", "admin_email": "other@nhs.example"})
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("ods_code", "QE1", "--ods-code 'QE1' is not right: an NHS trust's ODS code is 3 letters or numbers"),
        ("ods_code", "RXLL", "starting with R or T, like RXL"),
        ("admin_email", "ada@", "--admin-email 'ada@' is not right: enter an email address in the correct format"),
        ("admin_name", "  ", "--admin-name '  ' is not right: it cannot be blank"),
        ("site_url", "attune.example", "--site-url 'attune.example' is not right: enter the address people open"),
    ],
)
@pytest.mark.django_db
def test_every_flag_is_checked_with_a_clear_message(flag: str, value: str, message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        _run(no_input=True, **{**FLAGS, flag: value})
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_with_no_input_a_missing_flag_is_named() -> None:
    options = {k: v for k, v in FLAGS.items() if k != "admin_email"}
    with pytest.raises(CommandError, match="Give --admin-email"):
        _run(no_input=True, **options)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_an_existing_trust_with_that_code_is_used_not_duplicated() -> None:
    Organisation.objects.create(name="Blackpool Teaching Hospitals", kind=OrganisationKind.NHS_TRUST, code="RXL")
    _run(no_input=True, **FLAGS)
    assert Organisation.objects.count() == 1
    assert User.objects.get().memberships.get().organisation.code == "RXL"

"""A superscript "²" is a digit to str.isdigit() but not to int(): every number typed into a form
is checked as ASCII digits, so it gets the field's message, never a server error."""

import pytest

from attune.accounts.forms import EnrolmentCodeForm
from attune.accounts.models import User
from attune.core.formatting import nhs_number
from attune.core.validators import normalise_nhs_number
from attune.supervision.forms import SessionForm
from attune.workforce.forms import ActivityForm


@pytest.mark.parametrize("typed", ["²", "6²", "٣٠"])
def test_a_supervision_length_in_other_digits_is_refused_with_its_message(typed: str) -> None:
    form = SessionForm(
        {"duration_minutes": typed},
        supervisor=User(full_name="Sam Supervisor"),
        people=[],
        episodes=[],
        episode_labels={},
    )
    assert not form.is_valid()
    assert form.errors["duration_minutes"] == ["Enter the length in whole minutes, like 60"]


def test_attendees_in_other_digits_are_refused_with_their_message() -> None:
    form = ActivityForm({"attendees": "1²"})
    assert not form.is_valid()
    assert "whole number" in form.errors["attendees"][0]


def test_a_security_code_in_other_digits_is_refused_with_its_message() -> None:
    form = EnrolmentCodeForm({"code": "12345²"})
    assert not form.is_valid()
    assert form.errors["code"] == ["The security code must be 6 numbers"]


def test_nhs_numbers_keep_only_ascii_digits() -> None:
    assert normalise_nhs_number("943 476 591²") == "943476591"
    assert nhs_number("943 476 591²") == "943 476 591²"

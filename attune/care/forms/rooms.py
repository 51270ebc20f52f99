from django import forms

from attune.nhsuk_forms import fields


class RoomForm(forms.Form):
    name = fields.CharField(
        label="Name of the room",
        hint="As staff book it, like Family room 1",
        max_length=100,
        error_messages={"required": "Enter the name of the room", "max_length": "Name must be 100 characters or fewer"},
    )

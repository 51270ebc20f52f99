"""What the rooms page shows, built from models without the database."""

from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from attune.care.models import Room


def room_rows(rooms: list[Room]) -> list[list[dict[str, Any]]]:
    return [
        [{"html": format_html('<a href="{}">{}</a>', reverse("care:room", args=[room.site_id, room.pk]), room.name)}]
        for room in rooms
    ]

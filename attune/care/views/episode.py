"""Placeholder until the pages are built."""

import uuid

from django.http import Http404, HttpResponse

from attune.organisations.scope import ScopedRequest


def episode(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    raise Http404

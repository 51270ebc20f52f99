"""What the api part of this app registers at start-up: how the audit log names a token."""

from attune.core import subjects


def _clients(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.interop.api_models import ApiClient

    found = ApiClient.objects.filter(pk__in=subjects.valid_uuids(ids))
    return {
        str(client.pk): subjects.Subject(
            label=f"API token: {client.name} ({client.prefix})",
            kind="API token",
            owners=frozenset({str(client.organisation_id)}),
        )
        for client in found
    }


def register() -> None:
    subjects.register("interop.apiclient", _clients)

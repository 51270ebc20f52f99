"""The health check load balancers poll: no sign-in, 200 when the database answers, 503 when not."""

import pytest
from django.db import OperationalError
from django.test import Client

from attune.core import views


def test_healthz_answers_ok_without_signing_in(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "never"}
    assert "no-store" in response["Cache-Control"]


class _UnreachableDatabase:
    def cursor(self) -> None:
        raise OperationalError("could not connect to server: Connection refused")


def test_healthz_reports_an_unreachable_database(client: Client, db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "connection", _UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "unreachable"
    assert body["status"] != "ok"
    assert "Connection refused" not in response.content.decode()  # no internals to the caller


def test_healthz_only_answers_get(client: Client, db: None) -> None:
    assert client.post("/healthz").status_code == 405

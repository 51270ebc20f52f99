"""The document actions on their own: what they refuse, that nothing is kept when they refuse,
and the audit subject that names a document in the IG lead's log."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from attune.accounts.models import User
from attune.care.tests.factories import open_episode
from attune.core import subjects
from attune.core.actors import Actor
from attune.documents import document_services as services
from attune.documents import files
from attune.documents.document_models import Document, DocumentCategory
from attune.documents.tests import document_samples as samples
from attune.families.models import Family
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(world: World) -> Family:
    return FamilyFactory(team=world.hub)


def upload(user: User, family: Family, content: bytes = b"", name: str = "plan.pdf", **more: object) -> Document:
    content = content or samples.pdf()
    return services.upload_document(
        actor=Actor(user=user),
        family=family,
        title=str(more.pop("title", "Plan")),
        category=str(more.pop("category", DocumentCategory.REPORT)),
        content=io.BytesIO(content),
        name=name,
        size=len(content),
        **more,  # type: ignore[arg-type]
    )


def stored_count() -> int:
    storage = files.storage()
    try:
        folders = storage.listdir("documents")[0]
    except FileNotFoundError:
        return 0
    return sum(len(storage.listdir(f"documents/{folder}")[1]) for folder in folders)


def test_a_refused_file_leaves_nothing_stored(family: Family, practitioner: User) -> None:
    before = stored_count()
    with pytest.raises(files.UploadRefused):
        upload(practitioner, family, samples.png(), "plan.pdf")
    assert stored_count() == before
    assert not Document.objects.exists()


def test_a_failure_after_storing_deletes_the_file_again(
    family: Family, practitioner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = stored_count()

    def broken(**kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_record_upload", broken)
    with pytest.raises(RuntimeError):
        upload(practitioner, family)
    assert stored_count() == before


def test_a_person_or_episode_of_another_family_is_refused(world: World, family: Family, practitioner: User) -> None:
    other = FamilyFactory(team=world.hub)
    with pytest.raises(services.DocumentError, match="Select a person in this family"):
        upload(practitioner, family, infant=InfantFactory(family=other))
    with pytest.raises(services.DocumentError, match="Select a person in this family"):
        upload(practitioner, family, carer=CarerFactory(family=other))
    episode = open_episode(world.hub, practitioner)
    with pytest.raises(services.DocumentError, match="Select an episode of this family"):
        upload(practitioner, family, episode=episode)


def test_an_exchange_needs_its_agency_and_a_date_not_in_the_future(family: Family, practitioner: User) -> None:
    with pytest.raises(services.DocumentError, match="Enter the agency"):
        upload(practitioner, family, direction="sent", agency=" ", exchanged_on=timezone.localdate())
    with pytest.raises(services.DocumentError, match="must be today or in the past"):
        upload(
            practitioner,
            family,
            direction="sent",
            agency="GP",
            exchanged_on=timezone.localdate() + dt.timedelta(days=1),
        )


def test_marking_a_removed_document_is_refused(family: Family, practitioner: User) -> None:
    document = upload(practitioner, family)
    services.remove_document(actor=Actor(user=practitioner), document=document, reason="Wrong family")
    with pytest.raises(services.DocumentError, match="has been removed"):
        services.mark_document_exchanged(
            actor=Actor(user=practitioner),
            document=document,
            direction="sent",
            agency="GP",
            exchanged_on=timezone.localdate(),
        )
    with pytest.raises(services.DocumentError, match="already been removed"):
        services.remove_document(actor=Actor(user=practitioner), document=document, reason="Again")


def test_the_audit_names_a_document_by_its_kind_and_title_for_its_trust(
    world: World, family: Family, practitioner: User
) -> None:
    document = upload(practitioner, family, title="Initial conference plan", category="child_protection_plan")
    [subject] = subjects.resolve("documents.document", [str(document.pk), "not-an-id"]).values()
    assert subject.label == "Child protection plan: Initial conference plan"
    assert subject.kind == "Document"
    assert subject.owners == frozenset({str(world.trust.pk)})

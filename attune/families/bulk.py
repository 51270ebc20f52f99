"""The bulk sibling of `services.create_family`, for importers that bring in thousands of
families at once: the same rows (family, babies, carers, flags, search keys) and the same audit
event for each family, in a few queries instead of a dozen a family.
attune/interop/tests/test_import_bulk.py holds it to the action's rows."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from attune.core import audit
from attune.core.actors import Actor
from attune.core.validators import normalise_nhs_number, normalise_postcode
from attune.families import search_index
from attune.families.codes import NhsNumberStatus
from attune.families.models import Carer, Family, Infant, SafeguardingFlag
from attune.families.services import FamilyError, NewFamily, nhs_number_status


@transaction.atomic
def create_families(
    *, items: Sequence[NewFamily], source: str, actor: Actor | None = None, created: Sequence[dt.datetime | None] = ()
) -> list[Family]:
    """create_family for each item, in order. `created` dates each family's record (a family
    that came into the service before it came into Attune); by default now."""
    if any(not new.infants for new in items):
        raise FamilyError("A family needs at least one baby or child")
    today = timezone.localdate()
    now = timezone.now()
    families = [
        Family(
            team=new.team,
            address_line_1=new.address_line_1,
            address_line_2=new.address_line_2,
            town=new.town,
            postcode=normalise_postcode(new.postcode) if new.postcode else "",
            local_authority=new.local_authority,
            language=new.language,
            interpreter_needed=new.interpreter_needed,
            gp_practice=new.gp_practice,
            created_at=(created[index] if index < len(created) else None) or now,
        )
        for index, new in enumerate(items)
    ]
    Family.objects.bulk_create(families, batch_size=500)
    infants: list[Infant] = []
    carers: list[Carer] = []
    flags: list[SafeguardingFlag] = []
    for family, new in zip(families, items, strict=True):
        for infant in new.infants:
            number = normalise_nhs_number(infant.nhs_number)
            infants.append(
                Infant(
                    family=family,
                    given_name=infant.given_name,
                    family_name=infant.family_name,
                    date_of_birth=infant.date_of_birth,
                    expected_due_date=infant.expected_due_date,
                    nhs_number=number,
                    nhs_number_status=(
                        nhs_number_status(number, born=infant.date_of_birth, today=today)
                        if infant.date_of_birth
                        else NhsNumberStatus.NOT_REQUIRED
                    ),
                    ethnicity=infant.ethnicity,
                )
            )
        marked = any(carer.is_main_contact for carer in new.carers)
        for index, carer in enumerate(new.carers):
            number = normalise_nhs_number(carer.nhs_number)
            main = carer.is_main_contact if marked else index == 0
            spoken, needs_interpreter = carer.spoken_language, carer.interpreter_needed
            if main and not spoken and not needs_interpreter:
                spoken, needs_interpreter = new.language, new.interpreter_needed
            carers.append(
                Carer(
                    family=family,
                    given_name=carer.given_name,
                    family_name=carer.family_name,
                    relationship=carer.relationship,
                    parental_responsibility=carer.parental_responsibility,
                    date_of_birth=carer.date_of_birth,
                    phone=carer.phone,
                    email=carer.email,
                    contact_preference=carer.contact_preference,
                    phone_is_safe=carer.phone_is_safe,
                    email_is_safe=carer.email_is_safe,
                    safe_contact_note=carer.safe_contact_note,
                    nhs_number=number,
                    nhs_number_status=nhs_number_status(number, born=carer.date_of_birth, today=today),
                    ethnicity=carer.ethnicity,
                    is_main_contact=main,
                    spoken_language=spoken.strip(),
                    dialect=carer.dialect.strip(),
                    written_language=carer.written_language.strip(),
                    interpreter_needed=needs_interpreter,
                )
            )
        flags += [SafeguardingFlag(family=family, kind=kind, source=source) for kind in new.safeguarding]
    # Babies and carers keep the order they were given (their pages order by creation time).
    for offset, person in enumerate([*infants, *carers]):
        person.created_at = now + dt.timedelta(microseconds=offset)
    Infant.objects.bulk_create(infants, batch_size=500)
    Carer.objects.bulk_create(carers, batch_size=500)
    SafeguardingFlag.objects.bulk_create(flags, batch_size=500)
    search_index.reindex_families([family.pk for family in families])
    audit.record_many(
        [
            audit.event(action="family.created", actor=actor, obj=family, detail={"source": source})
            for family in families
        ]
    )
    return families

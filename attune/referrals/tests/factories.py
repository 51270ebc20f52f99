import factory
from django.utils import timezone

from attune.families.tests.factories import FamilyFactory
from attune.referrals.models import Referral, ReferralKind
from attune.referrals.services import append_status
from attune.referrals.workflow import Status


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral with its first status row (received), as the intake writes it."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"PIR-TEST-{n:04d}")
    family = factory.SubFactory(FamilyFactory)
    team = factory.SelfAttribute("family.team")
    kind = ReferralKind.PROFESSIONAL
    source = "A2"
    received_at = factory.LazyFunction(timezone.now)
    referrer_name = "Jo Bloggs"
    referrer_role = "Health visitor"
    referrer_organisation = "Example Community Health"
    referrer_email = "jo.bloggs@example.nhs.uk"
    reason = "Mum feels low and finds it hard to feel close to her baby."
    stresses = ["parental_mental_health", "bonding"]
    consent_given = True
    # As received: the first row of the history, which a created referral is given below.
    status = Status.RECEIVED.value
    status_at = factory.SelfAttribute("received_at")

    @factory.post_generation
    def received(obj: Referral, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            append_status(referral=obj, status=Status.RECEIVED, entered_at=obj.received_at)

"""The demo's families and referrals: a realistic triage inbox for the hub and the satellite.

Every referral goes through the same actions the service uses (`submit_referral`, `decide`,
`information_received`), so its family, status history, audit events and outbox messages are
exactly what the real journey writes. Two things only the demo does, after the actions:
- it gives each referral a fixed reference (PIR-DEMO-0001...), its natural key, so loading again
  finds it instead of adding another;
- it dates the history in the past, counted back from today in working days, so the triage
  clocks read the same whenever the demo is loaded. Loading on a later day re-dates a referral
  whose history is still as the demo left it; one a demo user has since decided is left alone.

All people are synthetic: NHS numbers from the 999 test range, mobile numbers from Ofcom's
drama range (07700 900xxx), email addresses at reserved `.example` and `example.com` domains.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.core import clocks
from attune.core.actors import Actor
from attune.families.codes import (
    ContactPreference,
    EthnicCategory,
    ParentalResponsibility,
    Relationship,
    SafeguardingKind,
)
from attune.families.models import Family, Infant, SafeguardingFlag
from attune.families.services import NewCarer, NewFamily, NewInfant
from attune.nonprod.actors import DEMO, demo_actor
from attune.nonprod.synthetic import at, synthetic_nhs_number, working_days_before
from attune.notifications.models import Message
from attune.organisations.areas import local_authority_for
from attune.organisations.models import Team
from attune.organisations.roles import Role
from attune.referrals import services as referral_services
from attune.referrals.clock import triage_clock
from attune.referrals.codes import DeclineReason, LevelOfNeed, Priority, ReferralSource, Stress
from attune.referrals.models import EligibilityRules, Referral, ReferralKind, ReferralStatus
from attune.referrals.services import Decision, Intake, Referrer
from attune.referrals.workflow import Status

TRIAGE_ROLES = [Role.COORDINATOR, Role.SUPERVISOR, Role.TEAM_LEAD]
# When a demo time of day is not given.
MORNING = (9, 40)
AFTERNOON = (14, 15)


@dataclass(frozen=True)
class DemoInfant:
    family_name: str
    given_name: str = ""
    # Born: age in whole months plus extra days. Unborn: days until the due date.
    age_months: int | None = None
    age_days: int = 0
    due_in_days: int | None = None
    nhs_serial: int | None = None
    ethnicity: str = EthnicCategory.NOT_KNOWN

    def born(self, today: date) -> date | None:
        if self.age_months is None:
            return None
        return clocks.add_months(today, -self.age_months) - timedelta(days=self.age_days)

    def due(self, today: date) -> date | None:
        return None if self.due_in_days is None else today + timedelta(days=self.due_in_days)

    def new(self, today: date) -> NewInfant:
        return NewInfant(
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.born(today),
            expected_due_date=self.due(today),
            nhs_number=synthetic_nhs_number(self.nhs_serial) if self.nhs_serial is not None else "",
            ethnicity=self.ethnicity,
        )


@dataclass(frozen=True)
class DemoCarer:
    given_name: str
    family_name: str
    relationship: str
    age_years: int
    phone: str = ""
    email: str = ""
    contact_preference: str = ContactPreference.SMS
    phone_is_safe: bool = True
    email_is_safe: bool = True
    safe_contact_note: str = ""
    nhs_serial: int | None = None
    ethnicity: str = EthnicCategory.NOT_KNOWN
    parental_responsibility: str = ParentalResponsibility.YES

    def new(self, today: date, *, main: bool) -> NewCarer:
        return NewCarer(
            given_name=self.given_name,
            family_name=self.family_name,
            relationship=self.relationship,
            parental_responsibility=self.parental_responsibility,
            # Birthdays spread through the year, fixed by the name so reloading agrees.
            date_of_birth=clocks.add_years(today, -self.age_years) - timedelta(days=17 + len(self.given_name) * 23),
            phone=self.phone,
            email=self.email,
            contact_preference=self.contact_preference,
            phone_is_safe=self.phone_is_safe,
            email_is_safe=self.email_is_safe,
            safe_contact_note=self.safe_contact_note,
            nhs_number=synthetic_nhs_number(self.nhs_serial) if self.nhs_serial is not None else "",
            ethnicity=self.ethnicity,
            is_main_contact=main,
        )


@dataclass(frozen=True)
class Step:
    """One triage move. `Status.RECEIVED` here means the information asked for has arrived."""

    status: Status
    working_days_ago: int
    by: str  # a demo person's key: coordinator, supervisor or team_lead
    time: tuple[int, int] = AFTERNOON
    level_of_need: str = ""
    priority: str = ""
    signposted_to: str = ""
    decline_reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class DemoReferral:
    reference: str
    team: str  # "hub" or "satellite"
    kind: str
    source: str
    referrer: Referrer
    reason: str
    received_working_days_ago: int
    infants: tuple[DemoInfant, ...]
    carers: tuple[DemoCarer, ...]
    address_line_1: str
    town: str
    postcode: str
    received_time: tuple[int, int] = MORNING
    stresses: tuple[str, ...] = ()
    safeguarding: tuple[str, ...] = ()
    other_professionals: str = ""
    language: str = "English"
    interpreter_needed: bool = False
    gp_practice: str = ""
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def planned_statuses(self) -> list[Status]:
        return [Status.RECEIVED, *(step.status for step in self.steps)]

    @property
    def final_status(self) -> Status:
        return self.planned_statuses[-1]


def _professional(name: str, role: str, organisation: str, email: str, phone: str = "") -> Referrer:
    return Referrer(name=name, role=role, organisation=organisation, email=email, phone=phone)


def _self(name: str, role: str = "Mother") -> Referrer:
    # As the public form does: the parent's contact details live on their carer record only,
    # where the safe-contact instruction is, never as a second copy on the referral.
    return Referrer(name=name, role=role)


NHS_MAIL = "nhs.attune-demo.example"
COUNCIL_MAIL = "council.attune-demo.example"
PARENT_MAIL = "example.com"

# The same unborn baby, referred twice: first by the midwife (accepted), then by mum herself,
# her surname misspelt on the form. The coordinator links the second to the first in the demo.
WHITTLE_DUE_IN_DAYS = 56
WHITTLE_POSTCODE = "FY4 4QH"

REFERRALS: tuple[DemoReferral, ...] = (
    # -- Blackpool PAIRS hub team (Blackpool Council, FY1-FY4) --------------------------------
    DemoReferral(
        reference="PIR-DEMO-0001",
        team="hub",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.MATERNITY,
        referrer=_professional(
            "Rachel Singleton",
            "Community midwife",
            "Blackpool Victoria Hospital community midwives",
            f"rachel.singleton@{NHS_MAIL}",
            "07700 900101",
        ),
        reason=(
            "Kayleigh is 19 and 32 weeks pregnant with her first baby. She says she feels nothing for the "
            "baby and is frightened she will not love her. Little family support since moving to Marton."
        ),
        received_working_days_ago=20,
        infants=(DemoInfant(family_name="Whittle", due_in_days=WHITTLE_DUE_IN_DAYS),),
        carers=(
            DemoCarer(
                "Kayleigh",
                "Whittle",
                Relationship.MOTHER,
                19,
                phone="07700 900102",
                email=f"kayleigh.whittle@{PARENT_MAIL}",
                nhs_serial=101,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        address_line_1="Flat 3, 27 Worsley Road",
        town="Blackpool",
        postcode=WHITTLE_POSTCODE,
        stresses=(Stress.YOUNG_PARENT, Stress.ISOLATION, Stress.BONDING, Stress.PARENTAL_MENTAL_HEALTH),
        gp_practice="Marton Medical Practice",
        other_professionals="Community midwife; Family Nurse Partnership offered",
        steps=(
            Step(
                Status.ACCEPTED,
                16,
                "supervisor",
                level_of_need=LevelOfNeed.DISTRESS,
                priority=Priority.SOON,
                note="Antenatal work on bonding before the birth; offer a home visit with the midwife.",
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0002",
        team="hub",
        kind=ReferralKind.SELF,
        source=ReferralSource.SELF,
        referrer=_self("Kayleigh Whittel"),
        reason=(
            "My midwife said you could help. I keep crying and I'm scared I won't be a good mum. I'd like "
            "someone to talk to before the baby comes."
        ),
        received_working_days_ago=1,
        received_time=(21, 5),
        infants=(DemoInfant(family_name="Whittel", due_in_days=WHITTLE_DUE_IN_DAYS),),
        carers=(
            DemoCarer(
                "Kayleigh",
                "Whittel",
                Relationship.MOTHER,
                19,
                phone="07700 900102",
                email=f"kayleigh.whittle@{PARENT_MAIL}",
            ),
        ),
        address_line_1="Flat 3, 27 Worsley Road",
        town="Blackpool",
        postcode=WHITTLE_POSTCODE,
        stresses=(Stress.BONDING, Stress.PARENTAL_MENTAL_HEALTH),
    ),
    DemoReferral(
        reference="PIR-DEMO-0003",
        team="hub",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.HEALTH_VISITOR,
        referrer=_professional(
            "Claire Moss",
            "Health visitor",
            "Blackpool Health Visiting Service",
            f"claire.moss@{NHS_MAIL}",
            "07700 900103",
        ),
        reason=(
            "Mum describes Lacey as 'hard work' and rarely picks her up. Known domestic abuse, referred to "
            "MARAC last month. EPDS 15 at the 6-8 week contact. Mum agrees to the referral."
        ),
        received_working_days_ago=9,
        infants=(
            DemoInfant(
                family_name="Cartwright",
                given_name="Lacey",
                age_months=4,
                age_days=6,
                nhs_serial=102,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        carers=(
            DemoCarer(
                "Danielle",
                "Cartwright",
                Relationship.MOTHER,
                24,
                phone="07700 900104",
                email=f"dani.cartwright@{PARENT_MAIL}",
                phone_is_safe=False,
                safe_contact_note=(
                    "Do not text or leave voicemail: her partner checks her phone. Email, or arrange "
                    "contact through the health visitor (Claire Moss)."
                ),
                nhs_serial=103,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        address_line_1="88 Lindale Gardens",
        town="Blackpool",
        postcode="FY4 3RN",
        stresses=(Stress.DOMESTIC_ABUSE, Stress.PARENTAL_MENTAL_HEALTH, Stress.BONDING),
        safeguarding=(SafeguardingKind.MARAC,),
        other_professionals="Health visitor; independent domestic violence adviser (IDVA)",
        gp_practice="Mereside Medical Centre",
    ),
    DemoReferral(
        reference="PIR-DEMO-0004",
        team="hub",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.GP,
        referrer=_professional(
            "Dr Imogen Hartley",
            "GP",
            "Layton Medical Centre",
            f"imogen.hartley@{NHS_MAIL}",
        ),
        reason=(
            "Mason's nursery report he has become withdrawn and aggressive since his sister was stillborn "
            "in the spring. Mum is grieving and says she cannot reach him."
        ),
        received_working_days_ago=7,
        infants=(
            DemoInfant(
                family_name="Bamber",
                given_name="Mason",
                age_months=58,
                age_days=3,
                nhs_serial=104,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        carers=(
            DemoCarer(
                "Lauren",
                "Bamber",
                Relationship.MOTHER,
                29,
                phone="07700 900105",
                nhs_serial=105,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
            DemoCarer(
                "Ryan",
                "Bamber",
                Relationship.FATHER,
                31,
                phone="07700 900106",
                nhs_serial=106,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        address_line_1="14 Grasmere Road",
        town="Blackpool",
        postcode="FY1 5HP",
        stresses=(Stress.LOSS, Stress.RELATIONSHIP_CONCERNS),
        gp_practice="Layton Medical Centre",
        steps=(
            Step(
                Status.AWAITING_INFORMATION,
                4,
                "coordinator",
                time=(11, 20),
                note=(
                    "Please tell us whether Lauren is already seeing the perinatal mental health team or a "
                    "bereavement service, and whether the family agree to a home visit."
                ),
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0005",
        team="hub",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.SOCIAL_SERVICES,
        referrer=_professional(
            "Marcus Holden",
            "Social worker",
            "Blackpool Council Children's Social Care",
            f"marcus.holden@{COUNCIL_MAIL}",
            "07700 900107",
        ),
        reason=(
            "Riley is on a child in need plan. Mum has a history of care and struggles to respond to his "
            "cues; he is very watchful and rarely cries. Both parents want help."
        ),
        received_working_days_ago=15,
        infants=(
            DemoInfant(
                family_name="Fairclough",
                given_name="Riley",
                age_months=7,
                age_days=12,
                nhs_serial=107,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        carers=(
            DemoCarer(
                "Jade",
                "Fairclough",
                Relationship.MOTHER,
                22,
                phone="07700 900108",
                nhs_serial=108,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
            DemoCarer(
                "Connor",
                "Lister",
                Relationship.FATHER,
                25,
                phone="07700 900109",
                nhs_serial=109,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        address_line_1="5 Chepstow Road",
        town="Blackpool",
        postcode="FY3 7NZ",
        stresses=(Stress.CARE_EXPERIENCED, Stress.ACES, Stress.RELATIONSHIP_CONCERNS, Stress.POVERTY),
        safeguarding=(SafeguardingKind.CHILD_IN_NEED,),
        other_professionals="Social worker; health visitor",
        steps=(
            Step(
                Status.ACCEPTED,
                13,
                "team_lead",
                level_of_need=LevelOfNeed.DISTURBANCE,
                priority=Priority.URGENT,
                note="Joint visit with the social worker within two weeks.",
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0006",
        team="hub",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.MATERNITY,
        referrer=_professional(
            "Gemma Procter",
            "Specialist perinatal midwife",
            "Blackpool Victoria Hospital maternity unit",
            f"gemma.procter@{NHS_MAIL}",
        ),
        reason=(
            "Amy has severe anxiety with panic attacks and intrusive thoughts about harming the baby; not "
            "yet under any mental health service. She is 28 weeks pregnant."
        ),
        received_working_days_ago=12,
        infants=(DemoInfant(family_name="Rigby", due_in_days=84),),
        carers=(
            DemoCarer(
                "Amy",
                "Rigby",
                Relationship.MOTHER,
                33,
                phone="07700 900110",
                email=f"amy.rigby@{PARENT_MAIL}",
                contact_preference=ContactPreference.EMAIL,
                nhs_serial=110,
                ethnicity=EthnicCategory.WHITE_IRISH,
            ),
        ),
        address_line_1="41 Bispham Road",
        town="Blackpool",
        postcode="FY2 0NT",
        stresses=(Stress.PARENTAL_MENTAL_HEALTH,),
        steps=(
            Step(
                Status.SIGNPOSTED,
                10,
                "supervisor",
                level_of_need=LevelOfNeed.STRESS,
                signposted_to="Blackpool Perinatal Mental Health Team",
                note="Amy's anxiety needs specialist perinatal care first; she can be referred back after the birth.",
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0007",
        team="hub",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.OTHER_SERVICE,
        referrer=_professional(
            "Stacey Bradshaw",
            "Family hub worker",
            "Blackpool Family Hub (Mereside)",
            f"stacey.bradshaw@{COUNCIL_MAIL}",
        ),
        reason="Tyler has very few words at three and mum is worried he is 'behind'. Relationship is warm.",
        received_working_days_ago=11,
        infants=(
            DemoInfant(
                family_name="Greenwood",
                given_name="Tyler",
                age_months=37,
                nhs_serial=111,
                ethnicity=EthnicCategory.MIXED_WHITE_BLACK_CARIBBEAN,
            ),
        ),
        carers=(
            DemoCarer(
                "Shannon",
                "Greenwood",
                Relationship.MOTHER,
                27,
                phone="07700 900111",
                nhs_serial=112,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        address_line_1="19 Langdale Road",
        town="Blackpool",
        postcode="FY4 4RL",
        stresses=(Stress.ILLNESS_DISABILITY,),
        steps=(
            Step(
                Status.DECLINED,
                8,
                "supervisor",
                level_of_need=LevelOfNeed.STRESS,
                decline_reason=DeclineReason.NOT_RELATIONAL,
                note="We suggest a referral to the speech and language therapy service through the health visitor.",
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0008",
        team="hub",
        kind=ReferralKind.SELF,
        source=ReferralSource.SELF,
        referrer=_self("Sophie Naylor"),
        reason="My son Oliver doesn't settle with me, only with his dad. I feel like he doesn't like me.",
        received_working_days_ago=14,
        infants=(
            DemoInfant(
                family_name="Naylor",
                given_name="Oliver",
                age_months=10,
                nhs_serial=113,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        carers=(
            DemoCarer(
                "Sophie",
                "Naylor",
                Relationship.MOTHER,
                30,
                phone="07700 900112",
                contact_preference=ContactPreference.PHONE,
                nhs_serial=114,
            ),
        ),
        address_line_1="62 Cornwall Avenue",
        town="Blackpool",
        postcode="FY2 9QR",
        stresses=(Stress.BONDING, Stress.UNSETTLED),
        steps=(
            Step(
                Status.AWAITING_INFORMATION,
                12,
                "coordinator",
                time=(10, 5),
                note="Please phone us to talk about what is happening and which health visitor you see.",
            ),
            Step(
                Status.WITHDRAWN,
                6,
                "coordinator",
                note="Sophie phoned: the family is moving to Preston and will ask their new health visitor there.",
            ),
        ),
    ),
    # -- Blackburn with Darwen satellite team (BB1-BB3) ----------------------------------------
    DemoReferral(
        reference="PIR-DEMO-0009",
        team="satellite",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.HEALTH_VISITOR,
        referrer=_professional(
            "Farzana Patel",
            "Health visitor",
            "Blackburn with Darwen Health Visiting Service",
            f"farzana.patel@{NHS_MAIL}",
            "07700 900201",
        ),
        reason=(
            "Zara was born at 33 weeks and spent two weeks on the neonatal unit. Mum speaks little English, "
            "has no family nearby and says she is afraid to hold Zara. Needs an Urdu interpreter."
        ),
        received_working_days_ago=1,
        received_time=(11, 30),
        infants=(
            DemoInfant(
                family_name="Akhtar",
                given_name="Zara",
                age_months=0,
                age_days=24,
                ethnicity=EthnicCategory.ASIAN_PAKISTANI,
            ),
        ),
        carers=(
            DemoCarer(
                "Nasreen",
                "Akhtar",
                Relationship.MOTHER,
                26,
                phone="07700 900202",
                nhs_serial=201,
                ethnicity=EthnicCategory.ASIAN_PAKISTANI,
            ),
            DemoCarer(
                "Imran",
                "Akhtar",
                Relationship.FATHER,
                30,
                phone="07700 900203",
                nhs_serial=202,
                ethnicity=EthnicCategory.ASIAN_PAKISTANI,
            ),
        ),
        address_line_1="23 Whalley Range",
        town="Blackburn",
        postcode="BB1 6EA",
        stresses=(Stress.PREMATURE, Stress.NEONATAL_CARE, Stress.BIRTH_TRAUMA, Stress.ISOLATION),
        language="Urdu",
        interpreter_needed=True,
        gp_practice="Audley Health Centre",
    ),
    DemoReferral(
        reference="PIR-DEMO-0010",
        team="satellite",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.MATERNITY,
        referrer=_professional(
            "Hannah Entwistle",
            "Safeguarding midwife",
            "Royal Blackburn Hospital maternity unit",
            f"hannah.entwistle@{NHS_MAIL}",
        ),
        reason=(
            "Chloe is 24 weeks pregnant, was in care herself and is in recovery from opiate use. A pre-birth "
            "assessment is under way. She wants to 'do it right this time' and asked for this referral."
        ),
        received_working_days_ago=9,
        infants=(DemoInfant(family_name="Duckworth", due_in_days=112),),
        carers=(
            DemoCarer(
                "Chloe",
                "Duckworth",
                Relationship.MOTHER,
                23,
                phone="07700 900204",
                nhs_serial=203,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        address_line_1="7 Marsh House Lane",
        town="Darwen",
        postcode="BB3 3JB",
        stresses=(Stress.SUBSTANCE_USE, Stress.CARE_EXPERIENCED, Stress.ACES),
        safeguarding=(SafeguardingKind.UNBORN_PRE_BIRTH_PLAN,),
        other_professionals="Children's social care (pre-birth assessment); drug and alcohol service",
    ),
    DemoReferral(
        reference="PIR-DEMO-0011",
        team="satellite",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.OTHER_SERVICE,
        referrer=_professional(
            "Leanne Haworth",
            "Family hub worker",
            "Blackburn family hub",
            f"leanne.haworth@{COUNCIL_MAIL}",
        ),
        reason=(
            "Mum and Dad argue a lot in front of Freddie, who has started hitting his head when upset. They "
            "both came to the stay-and-play and asked for help."
        ),
        received_working_days_ago=5,
        infants=(
            DemoInfant(
                family_name="Ashworth",
                given_name="Freddie",
                age_months=13,
                nhs_serial=204,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        carers=(
            DemoCarer(
                "Megan",
                "Ashworth",
                Relationship.MOTHER,
                28,
                phone="07700 900205",
                nhs_serial=205,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
            DemoCarer(
                "Liam",
                "Ashworth",
                Relationship.FATHER,
                29,
                phone="07700 900206",
                nhs_serial=206,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        address_line_1="112 Revidge Road",
        town="Blackburn",
        postcode="BB2 6JD",
        stresses=(Stress.RELATIONSHIP_CONCERNS, Stress.UNSETTLED),
        steps=(
            Step(
                Status.AWAITING_INFORMATION,
                2,
                "coordinator",
                time=(15, 40),
                note="Please confirm that both parents agree to the referral; Liam has parental responsibility.",
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0012",
        team="satellite",
        kind=ReferralKind.SELF,
        source=ReferralSource.SELF,
        referrer=_self("Katarzyna Nowak"),
        reason=(
            "Since my daughter was born I feel far away from her. Back home I would have my mother. I would "
            "like to speak Polish if possible."
        ),
        received_working_days_ago=18,
        infants=(
            DemoInfant(
                family_name="Nowak",
                given_name="Zofia",
                age_months=10,
                age_days=20,
                nhs_serial=207,
                ethnicity=EthnicCategory.WHITE_OTHER,
            ),
        ),
        carers=(
            DemoCarer(
                "Katarzyna",
                "Nowak",
                Relationship.MOTHER,
                34,
                phone="07700 900207",
                email=f"kasia.nowak@{PARENT_MAIL}",
                nhs_serial=208,
                ethnicity=EthnicCategory.WHITE_OTHER,
            ),
        ),
        address_line_1="9 Bank Top",
        town="Blackburn",
        postcode="BB2 1TT",
        stresses=(Stress.ISOLATION, Stress.MIGRATION, Stress.PARENTAL_MENTAL_HEALTH),
        language="Polish",
        interpreter_needed=True,
        steps=(
            Step(
                Status.AWAITING_INFORMATION,
                16,
                "coordinator",
                note="Asked Katarzyna (with a Polish interpreter) for her GP and health visitor.",
            ),
            Step(
                Status.RECEIVED,
                12,
                "coordinator",
                time=(10, 30),
                note="GP is Darwen Healthcare; health visitor confirmed by phone.",
            ),
            Step(
                Status.ACCEPTED,
                10,
                "supervisor",
                level_of_need=LevelOfNeed.STRESS,
                priority=Priority.ROUTINE,
                note="Book a Polish interpreter for every session.",
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0013",
        team="satellite",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.SOCIAL_SERVICES,
        referrer=_professional(
            "Owen Pilkington",
            "Social worker",
            "Blackburn with Darwen Children's Services",
            f"owen.pilkington@{COUNCIL_MAIL}",
            "07700 900208",
        ),
        reason=(
            "Ava, 9 months, has lived with her grandmother since neglect was found at 5 months. She does not "
            "seek comfort, feeds poorly and goes to anyone. Grandmother wants help to build the bond."
        ),
        received_working_days_ago=17,
        infants=(
            DemoInfant(
                family_name="Holt",
                given_name="Ava",
                age_months=9,
                age_days=2,
                nhs_serial=209,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        carers=(
            DemoCarer(
                "Susan",
                "Holt",
                Relationship.GRANDPARENT,
                52,
                phone="07700 900209",
                contact_preference=ContactPreference.LETTER,
                nhs_serial=210,
                ethnicity=EthnicCategory.WHITE_BRITISH,
                parental_responsibility=ParentalResponsibility.NO,
            ),
        ),
        address_line_1="31 Bolton Road",
        town="Darwen",
        postcode="BB3 1BW",
        stresses=(Stress.RELATIONSHIP_CONCERNS, Stress.UNSETTLED, Stress.LOSS),
        safeguarding=(SafeguardingKind.CHILD_IN_NEED,),
        other_professionals="Social worker; health visitor; kinship care support worker",
        steps=(
            Step(
                Status.ACCEPTED,
                15,
                "supervisor",
                level_of_need=LevelOfNeed.DISORDER,
                priority=Priority.URGENT,
                note="Signs of disordered attachment: first appointment within a week, with the social worker.",
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0014",
        team="satellite",
        kind=ReferralKind.SELF,
        source=ReferralSource.SELF,
        referrer=_self("Bethany Riley"),
        reason="Noah cries for hours every evening and I'm on my own. I just need some ideas and some company.",
        received_working_days_ago=10,
        infants=(
            DemoInfant(
                family_name="Riley",
                given_name="Noah",
                age_months=3,
                age_days=15,
                nhs_serial=211,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        carers=(
            DemoCarer(
                "Bethany",
                "Riley",
                Relationship.MOTHER,
                21,
                email=f"beth.riley@{PARENT_MAIL}",
                contact_preference=ContactPreference.EMAIL,
                nhs_serial=212,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        address_line_1="4 Shear Brow",
        town="Blackburn",
        postcode="BB1 8DS",
        stresses=(Stress.UNSETTLED, Stress.ISOLATION),
        steps=(
            Step(
                Status.SIGNPOSTED,
                7,
                "supervisor",
                level_of_need=LevelOfNeed.STRESS,
                signposted_to="Family Hub baby massage group (Blackburn family hub)",
                note="Tuesdays at 10am; the health visitor will check in after four weeks.",
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0015",
        team="satellite",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.GP,
        referrer=_professional("Dr Samir Mistry", "GP", "Darwen Healthcare", f"samir.mistry@{NHS_MAIL}"),
        reason="Mum low in mood since the birth of Aisha, finding it hard to enjoy her. Please assess.",
        received_working_days_ago=8,
        infants=(
            DemoInfant(
                family_name="Khan",
                given_name="Aisha",
                age_months=5,
                nhs_serial=213,
                ethnicity=EthnicCategory.ASIAN_INDIAN,
            ),
        ),
        carers=(
            DemoCarer(
                "Ruksana",
                "Khan",
                Relationship.MOTHER,
                31,
                phone="07700 900210",
                nhs_serial=214,
                ethnicity=EthnicCategory.ASIAN_INDIAN,
            ),
        ),
        address_line_1="56 Redearth Road",
        town="Darwen",
        postcode="BB3 2AF",
        stresses=(Stress.PARENTAL_MENTAL_HEALTH,),
        other_professionals="Specialist perinatal mental health team (since last month)",
        steps=(
            Step(
                Status.DECLINED,
                5,
                "team_lead",
                level_of_need=LevelOfNeed.STRESS,
                decline_reason=DeclineReason.ALREADY_SUPPORTED,
                note="Ruksana and Aisha are seen by the specialist perinatal team, who offer parent-infant work.",
            ),
        ),
    ),
    DemoReferral(
        reference="PIR-DEMO-0016",
        team="satellite",
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.HEALTH_VISITOR,
        referrer=_professional(
            "Joanne Yates",
            "Health visitor",
            "Blackburn with Darwen Health Visiting Service",
            f"joanne.yates@{NHS_MAIL}",
        ),
        reason="Second pregnancy after a stillbirth last year. Mum is very anxious and avoids preparing for the baby.",
        received_working_days_ago=8,
        infants=(DemoInfant(family_name="Walsh", due_in_days=140),),
        carers=(
            DemoCarer(
                "Kirsty",
                "Walsh",
                Relationship.MOTHER,
                35,
                phone="07700 900211",
                nhs_serial=215,
                ethnicity=EthnicCategory.WHITE_BRITISH,
            ),
        ),
        address_line_1="18 Livesey Branch Road",
        town="Blackburn",
        postcode="BB2 4QR",
        stresses=(Stress.LOSS, Stress.PARENTAL_MENTAL_HEALTH),
        steps=(
            Step(
                Status.WITHDRAWN,
                3,
                "coordinator",
                note="Kirsty decided she does not want support now; the health visitor stays in touch.",
            ),
        ),
    ),
)


# -- Loading ----------------------------------------------------------------------------------


def _intake(plan: DemoReferral, team: Team, today: date) -> Intake:
    area = local_authority_for(plan.postcode)
    covering = referral_services.team_covering(area) if area else None
    if covering != team:
        raise AssertionError(f"{plan.reference}: {plan.postcode} is not covered by {team}")
    family = NewFamily(
        team=team,
        infants=[infant.new(today) for infant in plan.infants],
        carers=[carer.new(today, main=index == 0) for index, carer in enumerate(plan.carers)],
        address_line_1=plan.address_line_1,
        town=plan.town,
        postcode=plan.postcode,
        local_authority=area,
        language=plan.language,
        interpreter_needed=plan.interpreter_needed,
        gp_practice=plan.gp_practice,
        safeguarding=list(plan.safeguarding),
    )
    return Intake(
        kind=plan.kind,
        source=plan.source,
        referrer=plan.referrer,
        family=family,
        reason=plan.reason,
        consent_given=True,
        stresses=list(plan.stresses),
        safeguarding_known=list(plan.safeguarding),
        other_professionals=plan.other_professionals,
        # The shape the public form keeps (its check-your-answers rows), with the demo's answers.
        submitted={
            "form": plan.kind,
            "rows": [
                {"section": "Referrer", "label": "Name", "value": plan.referrer.name},
                {"section": "Referrer", "label": "Role", "value": plan.referrer.role},
                {"section": "Reason", "label": "Why are you referring?", "value": plan.reason},
            ],
        },
    )


def _create(plan: DemoReferral, team: Team, users: dict[str, User], today: date) -> Referral:
    # The public form's action, with the demo's fixed reference, so the acknowledgement in the
    # outbox quotes it.
    referral = referral_services.submit_referral(
        intake=_intake(plan, team, today), actor=Actor.system(DEMO), reference=plan.reference
    )
    for step in plan.steps:
        actor = demo_actor(users[step.by], team, roles=TRIAGE_ROLES)
        seen = referral_services.latest_status(referral).pk
        if step.status == Status.RECEIVED:
            referral_services.information_received(actor=actor, referral=referral, seen_status_id=seen, note=step.note)
        else:
            decision = Decision(
                status=step.status,
                level_of_need=step.level_of_need,
                priority=step.priority,
                signposted_to=step.signposted_to,
                decline_reason=step.decline_reason,
                note=step.note,
            )
            referral_services.decide(actor=actor, referral=referral, seen_status_id=seen, decision=decision)
    received = _timeline(plan, today)[0]
    Family.objects.filter(pk=referral.family_id).update(created_at=received)
    SafeguardingFlag.objects.filter(family=referral.family_id).update(created_at=received)
    return referral


def _timeline(plan: DemoReferral, today: date) -> list[datetime]:
    """When each planned status was entered: the receipt, then each step, oldest first."""
    moments = [at(working_days_before(today, plan.received_working_days_ago), *plan.received_time)]
    moments += [at(working_days_before(today, s.working_days_ago), *s.time) for s in plan.steps]
    if moments != sorted(moments) or moments[-1] > timezone.now():
        raise AssertionError(f"{plan.reference}: the demo timeline must run forwards and end in the past")
    return moments


# Which status each outbox template was sent for.
_TEMPLATE_STATUS = {
    "referral_received": Status.RECEIVED,
    "referral_information_requested": Status.AWAITING_INFORMATION,
    "referral_accepted": Status.ACCEPTED,
    "referral_signposted": Status.SIGNPOSTED,
    "referral_declined": Status.DECLINED,
}


def _date_history(referral: Referral, plan: DemoReferral, today: date) -> bool:
    """Put the history, and the messages it sent, on the demo's dates. Only while the history is
    exactly as the demo made it: a referral a demo user has moved on since is theirs."""
    rows = list(referral.history.order_by("id"))
    if [row.status for row in rows] != [s.value for s in plan.planned_statuses]:
        return False
    moments = _timeline(plan, today)
    Referral.objects.filter(pk=referral.pk).update(received_at=moments[0])
    for row, moment in zip(rows, moments, strict=True):
        ReferralStatus.objects.filter(pk=row.pk).update(entered_at=moment)
    first_entered = dict(reversed(list(zip(plan.planned_statuses, moments, strict=True))))
    for message in Message.objects.filter(about_type="referrals.referral", about_id=str(referral.pk)):
        status = _TEMPLATE_STATUS.get(message.template.rsplit("_", 1)[0])
        if status in first_entered:
            Message.objects.filter(pk=message.pk).update(created_at=first_entered[status] + timedelta(minutes=1))
    return True


def _date_infants(referral: Referral, plan: DemoReferral, today: date) -> None:
    """Keep the children the ages the demo describes (a 3-week-old stays 3 weeks old), unless a
    demo user has recorded a birth or the record has been merged with another."""
    family = referral.family
    if family.merged_into_id is not None or family.referrals.count() != 1:
        return
    infants = list(Infant.objects.filter(family=family).order_by("created_at", "id"))
    if len(infants) != len(plan.infants):
        return
    for infant, spec in zip(infants, plan.infants, strict=True):
        born, due = spec.born(today), spec.due(today)
        if infant.is_born != (born is not None):
            continue
        Infant.objects.filter(pk=infant.pk).update(date_of_birth=born, expected_due_date=due)


@transaction.atomic
def load(*, teams: dict[str, Team], users: dict[str, User]) -> list[Referral]:
    today = timezone.localdate()
    loaded = []
    for plan in REFERRALS:
        referral = Referral.objects.filter(reference=plan.reference).first()
        if referral is None:
            referral = _create(plan, teams[plan.team], users, today)
        else:
            _date_infants(referral, plan, today)
        _date_history(referral, plan, today)
        loaded.append(referral)
    return loaded


# -- What was loaded --------------------------------------------------------------------------

SUMMARY_ORDER = [
    Status.RECEIVED,
    Status.AWAITING_INFORMATION,
    Status.ACCEPTED,
    Status.SIGNPOSTED,
    Status.DECLINED,
    Status.WITHDRAWN,
]


@dataclass(frozen=True)
class TeamSummary:
    team: str
    by_status: dict[Status, int]
    over_target: int
    families: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def summary(teams: list[Team]) -> list[TeamSummary]:
    """Referrals per team and current state, and how many waiting for triage are over target."""
    today = timezone.localdate()
    found = []
    for team in teams:
        rules = EligibilityRules.objects.filter(team=team).first()
        target = rules.triage_target_working_days if rules else 5
        referrals = list(Referral.objects.filter(team=team).with_status().prefetch_related("history"))
        counts = Counter(Status(r.current_status) for r in referrals)  # type: ignore[attr-defined]
        over = 0
        for referral in referrals:
            if Status(referral.current_status) == Status.RECEIVED:  # type: ignore[attr-defined]
                history = sorted(referral.history.all(), key=lambda row: (row.entered_at, row.id))
                received = timezone.localdate(referral.received_at)
                over += triage_clock(received, history, today=today, target=target).state == "over"
        found.append(
            TeamSummary(
                team=team.name,
                by_status={status: counts.get(status, 0) for status in SUMMARY_ORDER},
                over_target=over,
                families=Family.objects.current().filter(team=team).count(),
            )
        )
    return found

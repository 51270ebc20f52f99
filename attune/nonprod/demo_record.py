"""The rest of the clinical record in the demo (issue 19): consents, a pre-birth safeguarding
referral, a document received from another agency and a video-feedback recording, each made
through the same actions people use, as the demo person whose change it is. Safe to load again:
each step looks for what it made before.

- Freddie's family (PIR-DEMO-0101, the hub practitioner's caseload): mum's consents (texts,
  sharing with the GP, video recording and its use in supervision but not in training) and
  Freddie's, given by her; a recording of their last attended session, which the hub
  supervisor may watch.
- Chloe's family (PIR-DEMO-0010, satellite, an unborn baby): a pre-birth referral to Blackburn
  with Darwen children's social care with a strategy meeting booked, and the pre-birth
  assessment received from them as a document.
"""

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

import attune.documents
from attune.accounts.models import User
from attune.care.codes import Attendance
from attune.care.models import Appointment
from attune.documents import document_services, recording_services
from attune.documents.document_models import Document
from attune.documents.recording_models import Recording
from attune.families import consent, safeguarding
from attune.families.consent_models import Consent, ConsentPurpose
from attune.families.models import Family
from attune.families.safeguarding_models import MeetingKind, SafeguardingReferral
from attune.nonprod import scenario
from attune.nonprod.actors import demo_actor
from attune.organisations.models import Organisation
from attune.referrals.models import Referral

FREDDIE = "PIR-DEMO-0101"
CHLOE = "PIR-DEMO-0010"
SAMPLE_VIDEO = Path(attune.documents.__file__).parent / "tests" / "samples" / "session.mp4"
MUM_GIVES = (
    ConsentPurpose.ASSESSMENT_TREATMENT,
    ConsentPurpose.CONTACT_TEXT,
    ConsentPurpose.SHARE_GP,
    ConsentPurpose.SHARE_HEALTH_VISITOR,
    ConsentPurpose.VIDEO_RECORDING,
    ConsentPurpose.VIDEO_SUPERVISION,
)
BABY_GIVES = (
    ConsentPurpose.ASSESSMENT_TREATMENT,
    ConsentPurpose.VIDEO_RECORDING,
    ConsentPurpose.VIDEO_SUPERVISION,
)


def _family(reference: str) -> Family | None:
    referral = Referral.objects.filter(reference=reference).select_related("family").first()
    return referral.family if referral is not None else None


def _user(key: str) -> User:
    email = next(person.email for person in scenario.PEOPLE if person.key == key)
    return User.objects.get(email=email)


def _consents(family: Family, practitioner: User, today: dt.date) -> None:
    mum = family.carers.order_by("-is_main_contact", "created_at").first()
    baby = family.infants.order_by("created_at").first()
    if mum is None or baby is None or Consent.objects.filter(carer=mum).exists():
        return
    actor = demo_actor(practitioner, family.team)
    review = today + dt.timedelta(days=90)
    for purpose in MUM_GIVES:
        consent.record_consent(
            actor=actor, family=family, person=mum, purpose=purpose, decision="given", how="written", review_on=review
        )
    consent.record_consent(
        actor=actor,
        family=family,
        person=mum,
        purpose=ConsentPurpose.VIDEO_TRAINING,
        decision="refused",
        how="spoken",
    )
    for purpose in BABY_GIVES:
        consent.record_consent(
            actor=actor, family=family, person=baby, purpose=purpose, decision="given", how="written", given_by=mum
        )


def _recording(family: Family, practitioner: User) -> None:
    session = (
        Appointment.objects.filter(episode__family=family, practitioner=practitioner, attendance=Attendance.ATTENDED)
        .order_by("-starts_at")
        .first()
    )
    if session is None or Recording.objects.filter(appointment=session).exists():
        return
    recording_services.upload_recording(
        actor=demo_actor(practitioner, family.team),
        appointment=session,
        infants=list(family.infants.all()),
        carers=list(family.carers.order_by("-is_main_contact", "created_at")[:1]),
        upload=recording_services.Upload(
            file=SimpleUploadedFile("bath-time.mp4", SAMPLE_VIDEO.read_bytes()), name="bath-time.mp4"
        ),
    )


def _council(family: Family) -> Organisation | None:
    """The family's council, else the one its team covers."""
    return family.local_authority or family.team.local_authority


def _safeguarding(family: Family, lead: User, today: dt.date) -> None:
    baby = family.infants.order_by("created_at").first()
    if baby is None or baby.is_born or SafeguardingReferral.objects.filter(family=family).exists():
        return
    actor = demo_actor(lead, family.team)
    referral = safeguarding.make_safeguarding_referral(
        actor=actor,
        family=family,
        infant=baby,
        concern=(
            "Chloe was looked after as a child and is in recovery from opiate use. She agrees to a pre-birth "
            "assessment and asked for support to prepare for the baby."
        ),
        referred_on=today - dt.timedelta(days=10),
        council=_council(family),
        council_reference="BwD-CSC-24117",
    )
    meeting_day = today + dt.timedelta(days=9)
    safeguarding.schedule_safeguarding_meeting(
        actor=actor,
        referral=referral,
        kind=MeetingKind.STRATEGY,
        starts_at=timezone.make_aware(dt.datetime.combine(meeting_day, dt.time(10, 0))),
        notes="Blackburn with Darwen children's social care, Duke Street",
    )


def _document(family: Family, lead: User, today: dt.date) -> None:
    title = "Pre-birth assessment: first summary"
    if Document.objects.filter(family=family, title=title).exists():
        return
    content = _pdf("Pre-birth assessment (synthetic demo document)")
    document_services.upload_document(
        actor=demo_actor(lead, family.team),
        family=family,
        title=title,
        category="assessment",
        content=SimpleUploadedFile("pre-birth-assessment.pdf", content),
        name="pre-birth-assessment.pdf",
        size=len(content),
        direction="received",
        agency="Blackburn with Darwen children's social care",
        exchanged_on=today - dt.timedelta(days=3),
    )


def _pdf(text: str) -> bytes:
    """A one-page PDF that shows `text` (ASCII), with a correct cross-reference table."""
    stream = f"BT /F1 16 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@transaction.atomic
def load_for_scenario() -> None:
    """Load the whole-record demo onto the scenario and care demo already loaded."""
    today = timezone.localdate()
    freddie = _family(FREDDIE)
    if freddie is not None:
        practitioner = _user("practitioner")
        _consents(freddie, practitioner, today)
        _recording(freddie, practitioner)
    chloe = _family(CHLOE)
    if chloe is not None:
        lead = _user("trainee_1")
        _safeguarding(chloe, lead, today)
        _document(chloe, lead, today)

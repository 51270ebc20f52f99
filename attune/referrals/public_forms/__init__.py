"""The public referral forms: a professional referring a family, or a parent referring
themselves. One question or one topic per page; the same pages serve both, worded for whoever
is filling them in ("the baby's" for a professional, "your baby's" for a parent).

One module a job: the look-ups (lookups), the questions and the base form (questions), the
pages by topic (family_forms, need_forms, referrer_forms), the flows (flow), the mapping to the
intake record (intake) and the acknowledgement (acknowledgement). What the views and URLs use
is named here.
"""

from attune.referrals.public_forms.acknowledgement import acknowledgement_of
from attune.referrals.public_forms.flow import FLOWS, NAMESPACE, PROFESSIONAL, SELF
from attune.referrals.public_forms.intake import IncompleteAnswers, intake_from, summary_rows
from attune.referrals.public_forms.lookups import front_door, triage_target_days

__all__ = [
    "FLOWS",
    "NAMESPACE",
    "PROFESSIONAL",
    "SELF",
    "IncompleteAnswers",
    "acknowledgement_of",
    "front_door",
    "intake_from",
    "summary_rows",
    "triage_target_days",
]

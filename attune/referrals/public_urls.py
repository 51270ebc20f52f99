"""The public referral pages (no sign-in): /refer, then one page per question of each flow.

Each step has its own named URL (`refer:professional-postcode`, `refer:self-baby`...), so
every page is a plain address that can be linked to, crawled and tested."""

from django.urls import URLPattern, path

from attune.referrals.public_forms import FLOWS, PROFESSIONAL, SELF
from attune.referrals.views import public

app_name = "refer"

PATHS = {PROFESSIONAL: "refer/professional", SELF: "refer/yourself"}

urlpatterns: list[URLPattern] = [path("refer", public.start, name="start")]
for flow in FLOWS.values():
    base = PATHS[flow.name]
    urlpatterns += [
        path(base, public.begin, {"flow_name": flow.name}, name=flow.name),
        *(
            path(
                f"{base}/{step.slug}",
                public.step,
                {"flow_name": flow.name, "slug": step.slug},
                name=f"{flow.name}-{step.slug}",
            )
            for step in flow.steps
        ),
        path(f"{base}/check", public.check, {"flow_name": flow.name}, name=f"{flow.name}-check"),
        path(f"{base}/sent", public.sent, {"flow_name": flow.name}, name=f"{flow.name}-sent"),
    ]

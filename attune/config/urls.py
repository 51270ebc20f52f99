from django.urls import include, path

from attune.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("attune.dashboards.urls")),
    path("", include("attune.accounts.urls")),
    path("", include("attune.organisations.urls")),
    path("", include("attune.organisations.setup_urls")),
    path("", include("attune.organisations.people_urls")),
    path("", include("attune.families.urls")),
    path("", include("attune.referrals.urls")),
    path("", include("attune.care.urls")),
    path("", include("attune.documents.urls")),
    path("", include("attune.search.urls")),
    path("", include("attune.outcomes.urls")),
    path("", include("attune.supervision.urls")),
    path("", include("attune.workforce.urls")),
    path("", include("attune.commissioning.urls")),
    path("", include("attune.reports.urls")),
    path("", include("attune.interop.urls")),
    path("", include("attune.governance.urls")),
    path("", include("attune.core.urls")),
]

handler400 = "attune.core.views.bad_request"
handler403 = "attune.core.views.permission_denied"
handler404 = "attune.core.views.page_not_found"
handler500 = "attune.core.views.server_error"

"""The API (mounted at /api/v1/, its own namespace `interop:api`) and the pages where a system
administrator issues and revokes its tokens."""

from django.urls import URLPattern, URLResolver, path

from attune.interop import api, api_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls()),
    path("setup/api-tokens", api_views.token_list, name="api_tokens"),
    path("setup/api-tokens/new", api_views.issue, name="api_token_issue"),
    path("setup/api-tokens/<uuid:client_id>", api_views.token, name="api_token"),
    path("setup/api-tokens/<uuid:client_id>/revoke", api_views.revoke, name="api_token_revoke"),
]

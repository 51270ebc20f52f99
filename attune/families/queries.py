"""Family look-ups that need no scope, for the apps that show a family's flags."""

from django.db.models import Prefetch

from attune.families.models import SafeguardingFlag


def active_flags(path: str = "family__safeguarding_flags") -> Prefetch:
    """The family's active safeguarding flags, oldest first with who raised them, prefetched as
    `family.active_flags` (banners and tags): `path` leads from the rows fetched to the flags."""
    return Prefetch(
        path,
        queryset=SafeguardingFlag.objects.active().select_related("raised_by").order_by("created_at"),
        to_attr="active_flags",
    )

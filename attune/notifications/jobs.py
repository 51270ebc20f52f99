"""The outbox's scheduled job (registered in NotificationsConfig.ready; manage.py send_outbox
does the same by hand)."""

from attune.notifications.delivery import send_queued


def send_outbox() -> str:
    return send_queued(limit=100).line()

"""How a message reads on the pages that sent it (a questionnaire link, an appointment reminder)."""

from attune.notifications.models import Message, MessageStatus


def how_sent(message: Message | None) -> str:
    """How the message went: 'Text message to 07700 900123 (sent)', or 'Not sent: <reason>'."""
    if message is None:
        return "No message recorded"
    if message.status == MessageStatus.WITHHELD:
        return f"Not sent: {message.withheld_reason}"
    channel = message.get_channel_display().lower()
    state = {
        MessageStatus.QUEUED: "waiting to send",
        MessageStatus.SENT: "sent",
        MessageStatus.FAILED: "failed to send",
    }.get(MessageStatus(message.status), str(message.status))
    to = f" to {message.to}" if message.channel != "letter" else " to their home address"
    return f"{channel[0].upper()}{channel[1:]}{to} ({state})"

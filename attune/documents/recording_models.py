"""Video-feedback recordings of sessions."""

__all__: list[str] = []

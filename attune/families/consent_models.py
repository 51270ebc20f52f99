"""Consent and information sharing, per person (the models; the actions are in consent.py)."""

__all__: list[str] = []

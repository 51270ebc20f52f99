"""Safeguarding referrals to children's social care (the models; the actions are in safeguarding.py)."""

__all__: list[str] = []

"""Documents on a family, an episode or a person."""

__all__: list[str] = []

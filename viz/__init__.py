"""Unit-group diagrams of qualification structures, drawn with networkx and matplotlib."""

__all__: list[str] = []

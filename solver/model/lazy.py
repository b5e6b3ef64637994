"""Package faces that import their modules on first use, so the command line starts fast.

>>> import types
>>> face = types.ModuleType("demo")
>>> getter = lazy_attributes("solver.model", {"whole_numbers": "numbers"}, vars(face))
>>> getter("whole_numbers").__name__
'whole_numbers'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, names: Mapping[str, str],
                    namespace: MutableMapping[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``names[name]`` (relative to ``package``) on first use.

    The value found is stored in ``namespace`` (the face's globals), so each name is looked up once.
    """

    def get(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    return get

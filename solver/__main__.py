"""``python -m solver``: the same as the ``qualpath`` command."""

from .cli import main

raise SystemExit(main())

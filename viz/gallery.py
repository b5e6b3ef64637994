"""Render the README's pictures of the bundled structures: ``python -m viz.gallery docs/images``.

The example pathway on the Diploma is the five mandatory units (19 credits),
one Group A unit (3), six Group B units (18, over the minimum of 16) and two
Group C units (5, under the maximum of 7): 45 credits, the qualification's
minimum.
"""

from __future__ import annotations

import sys
from pathlib import Path

from solver.load import bundled_rules, load_qualification

from .draw import render
from .samples import synthetic_qualification

__all__ = ["DIPLOMA_PATHWAY", "render_gallery"]

#: A 45-credit pathway through the Level 2 Diploma in Customer Service.
DIPLOMA_PATHWAY = (
    "deliver-customer-service", "understand-customers", "principles-customer-service",
    "understand-employer-organisations", "manage-personal-performance",
    "communicate-verbally",
    "incoming-calls", "make-calls", "process-information-about-customers", "exceed-expectations",
    "handovers", "develop-relationships",
    "health-and-safety", "reception-services",
)


def render_gallery(folder: str | Path, *, dpi: float = 150, suffix: str = ".png") -> list[Path]:
    """Render the seed pictures into ``folder``; return the files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in render_gallery(folder, dpi=20)]
    ['diploma.png', 'diploma-pathway.png', 'nvq.png', 'synthetic-200.png']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rules = bundled_rules()
    diploma = load_qualification(rules / "l2-diploma-customer-service.yaml")
    nvq = load_qualification(rules / "ocr-l2-nvq-customer-service.yaml")
    return [
        render(diploma, folder / f"diploma{suffix}", dpi=dpi),
        render(diploma, folder / f"diploma-pathway{suffix}", highlight=DIPLOMA_PATHWAY, dpi=dpi),
        render(nvq, folder / f"nvq{suffix}", dpi=dpi),
        render(synthetic_qualification(groups=8, units_per_group=25), folder / f"synthetic-200{suffix}",
               highlight=[*(f"S01-{i:02d}" for i in range(1, 26)),
                          *(f"S{g:02d}-{i:02d}" for g in (2, 3, 4, 5, 6, 7) for i in range(1, 4))], dpi=dpi),
    ]


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m viz.gallery FOLDER [DPI]``."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m viz.gallery FOLDER [DPI]", file=sys.stderr)
        return 2
    for path in render_gallery(args[0], dpi=float(args[1]) if len(args) > 1 else 150):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

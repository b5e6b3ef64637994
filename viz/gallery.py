"""Render the README's pictures of the bundled structures: ``python -m viz.gallery docs/images``.

Every highlighted pathway is a real one: the first cheapest pathway by
credits, then units, from :func:`solver.answers.cheapest.cheapest_pathways`, so it satisfies every
rule (the Diploma's is 45 credits, the qualification's minimum). The change
view compares the Diploma with :func:`viz.samples.revised_diploma` (Group B
minimum 16 → 18 credits, one unit moved from Group C to Group B).
"""

from __future__ import annotations

import sys
from pathlib import Path

from solver.answers.cheapest import cheapest_pathways
from solver.answers.count import breakdown
from solver.model import Qualification
from solver.model.load import bundled_rules, load_qualification

from .charts import render_chart
from .diff import render_diff
from .draw import render
from .samples import revised_diploma, synthetic_qualification

__all__ = ["cheapest_units", "render_gallery"]


def cheapest_units(q: Qualification) -> tuple[str, ...]:
    """The units of the first pathway with the fewest credits, then fewest units (proven cheapest).

    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> units = cheapest_units(q)
    >>> len(units), sum(q.unit(u).credits for u in units)
    (11, Decimal('45'))
    """
    best = cheapest_pathways(q, by=("credits", "units"), top=1)
    if not best.pathways:
        raise ValueError(f"{q.id} has no pathway to highlight")
    return best.pathways[0].units


def render_gallery(folder: str | Path, *, dpi: float = 150, suffix: str = ".png") -> list[Path]:
    """Render the seed pictures into ``folder``; return the files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:  # doctest: +NORMALIZE_WHITESPACE
    ...     [p.name for p in render_gallery(folder, dpi=20)]
    ['diploma.png', 'diploma-pathway.png', 'nvq.png', 'synthetic-200.png', 'diploma-diff.png',
     'diploma-histogram.png', 'diploma-frequency.png']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rules = bundled_rules()
    diploma = load_qualification(rules / "l2-diploma-customer-service.yaml")
    nvq = load_qualification(rules / "ocr-l2-nvq-customer-service.yaml")
    synthetic = synthetic_qualification(groups=8, units_per_group=25)
    detail = breakdown(diploma)
    return [
        render(diploma, folder / f"diploma{suffix}", dpi=dpi),
        render(diploma, folder / f"diploma-pathway{suffix}", highlight=cheapest_units(diploma), dpi=dpi),
        render(nvq, folder / f"nvq{suffix}", dpi=dpi),
        render(synthetic, folder / f"synthetic-200{suffix}", highlight=cheapest_units(synthetic), dpi=dpi),
        render_diff(diploma, revised_diploma(diploma), folder / f"diploma-diff{suffix}",
                    title="Level 2 Diploma in Customer Service: proposed revision", dpi=dpi),
        render_chart("histogram", folder / f"diploma-histogram{suffix}", q=diploma, data=detail, dpi=dpi),
        render_chart("frequency", folder / f"diploma-frequency{suffix}", q=diploma, data=detail, dpi=dpi),
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

"""Time against size, log-log: qualpath next to CP-SAT and python-constraint."""

from __future__ import annotations

import json
import sys
from typing import Any

TOP = 1e5  # seconds: the top of every axis


def _series(points: list[dict[str, Any]], key: str) -> tuple[list[int], list[float]]:
    xs = [p["units"] for p in points if p.get(key)]
    ys = [p[key] for p in points if p.get(key)]
    return xs, ys


def plot_scaling(scaling: dict[str, Any], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    fig, axes = plt.subplots(1, 3, figsize=(17, 6.6))
    styles = [("count_s", "qualpath exact count", "C0", "o", "-"),
              ("optimum_only_s", "qualpath proven optimum + first pathway", "C1", "s", "-"),
              ("optimum_s", "qualpath optimum + ties + first pathway", "C1", "s", ":"),
              ("cpsat_s", "CP-SAT proves optimum (1 worker)", "C2", "^", "--"),
              ("pc_count_s", "python-constraint count (extrapolated)", "C3", "v", "--")]
    panels = [("uk_credit", "UK credit family"), ("australian", "Australian family (overlapping pools)")]
    for ax, (key, title) in zip(axes, panels):
        points = scaling.get(key, [])
        for name, label, colour, marker, line in styles:
            xs, ys = _series(points, name)
            if name == "pc_count_s":  # astronomically large: drawn at the top of the axis
                ys = [min(y, TOP) for y in ys]
                label += f"; clipped at {TOP:.0e} s"
            if xs:
                ax.plot(xs, ys, line, color=colour, marker=marker, label=label)
        if key == "australian" and scaling.get("australian_no_prereq"):
            xs, ys = _series(scaling["australian_no_prereq"], "count_s")
            ax.plot(xs, ys, "o:", color="C0", mfc="white", label="qualpath count, no prerequisites")
        ax.axhline(1.0, color="grey", lw=0.8)
        ax.set_title(title)
    inside = scaling.get("cap_inside", [])
    ax = axes[2]
    xs, ys = _series(inside, "count_s")
    if xs:
        ax.plot(xs, ys, "o-", color="C4", label="qualpath count, cap inside the electives")
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_title("Australian, cap inside the electives\n(was python-constraint; now unit types)")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("candidate units")
        ax.set_ylabel("seconds (median / single run)")
        ax.grid(True, which="both", alpha=0.3)
        ax.set_ylim(1e-4, TOP * 30)
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ticks = sorted({x for line in ax.get_lines() if line.get_marker() not in (None, "None", "")
                        for x in line.get_xdata()})
        if ticks:
            ax.set_xticks(ticks if len(ticks) <= 6 else ticks[:: max(1, len(ticks) // 6)])
    handles: dict[str, Any] = {}
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, h)
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncols=4, fontsize=9, frameon=False,
               bbox_to_anchor=(0.5, 0.0))
    fig.suptitle("qualpath: time against size (missing points: over the time cap)")
    fig.subplots_adjust(left=0.05, right=0.99, top=0.86, bottom=0.25, wspace=0.25)
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        data = json.load(handle)
    plot_scaling(data["scaling"], sys.argv[2] if len(sys.argv) > 2 else "bench/scaling.png")

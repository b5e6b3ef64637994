"""The compiled constraint problem, told in rule terms for a designer.

:func:`explain` lists, rule by rule (file:line, the rule in words), the
python-constraint constraints it became: the constraint class, the units and
weights it sums, the bound. Structural constraints (allocations, the links
between "satisfied" variables) and implied ones follow, then the variables.
Long unit lists are shortened to their first few entries and a summary.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> text = explain(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
>>> print(text.splitlines()[1])
variables: 8 unit variables x[...], 0 allocation variables a[...], 0 satisfaction variables s[...]
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model.rules import RuleRef, iter_rules
from ..model.structure import Qualification
from .problem import CompiledConstraint, CompiledProblem, compile_problem

__all__ = ["explain"]

_SHOWN = 3  # terms shown before a long sum is summarised


def _where(rule: RuleRef) -> str:
    loc = rule.location
    name = loc.file.rsplit("/", 1)[-1]
    return f"{name}:{loc.line}" if loc.line else name


def _term(var: str, weight: int) -> str:
    return var if abs(weight) == 1 else f"{abs(weight)}*{var}"


def _sum(variables: Sequence[str], weights: Sequence[int]) -> str:
    pairs = list(zip(variables, weights, strict=True))
    plus = [(v, w) for v, w in pairs if w > 0]
    minus = [(v, w) for v, w in pairs if w < 0]
    text = " + ".join(_term(v, w) for v, w in plus[:_SHOWN])
    if len(plus) > _SHOWN:
        lo, hi = min(w for _v, w in plus), max(w for _v, w in plus)
        spread = f"weight {lo}" if lo == hi else f"weights {lo}-{hi}"
        text += f" + ... ({len(plus)} terms, {spread}, at most {sum(w for _v, w in plus)})"
    return text + "".join(f" - {_term(v, w)}" for v, w in minus)


def _describe(c: CompiledConstraint) -> str:
    weights = list(c.multipliers) if c.multipliers is not None else [1] * len(c.variables)
    if c.kind == "InSetConstraint":
        assert isinstance(c.bound, tuple)
        shown = c.variables if len(c.variables) <= _SHOWN + 1 else (
            *c.variables[:_SHOWN], f"... ({len(c.variables)} variables in all)")
        return f"InSetConstraint {{{', '.join(map(str, c.bound))}}} on " + ", ".join(shown)
    op = {"MinSumConstraint": ">=", "MaxSumConstraint": "<=", "ExactSumConstraint": "=="}.get(c.kind, "?")
    return f"{c.kind}: {_sum(c.variables, weights)} {op} {c.bound}"


def explain(q: Qualification, compiled: CompiledProblem | None = None) -> str:
    """Describe the constraint problem for ``q`` in rule terms (a multi-line text).

    Parameters
    ----------
    q : Qualification
        The structure.
    compiled : CompiledProblem, optional
        An already compiled problem for ``q`` (e.g. with units included).

    Returns
    -------
    str
        Headline and variable counts, then each rule with the constraints it
        became, then structural and implied constraints and the allocation
        and satisfaction variables.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> text = explain(load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml"))
    >>> print(next(line for line in text.splitlines() if "C: max" in line).strip())
    l2-diploma-customer-service.yaml:104  C: max 7 credits
    """
    cp = compiled or compile_problem(q)
    lines = [f"{q.id} ({q.title}) as a python-constraint problem",
             f"variables: {len(cp.unit_variables)} unit variables x[...], "
             f"{len(cp.allocation_variables)} allocation variables a[...], "
             f"{len(cp.satisfaction_variables)} satisfaction variables s[...]",
             f"constraints: {len(cp.constraints)}"
             + (f"; credits are multiplied by {cp.scale} to make them whole" if cp.scale != 1 else ""),
             "", "rule by rule:"]
    for rule in iter_rules(q):
        lines.append(f"  {_where(rule)}  {rule.label}")
        own = [c for c in cp.constraints if c.rules and c.rules[0] == rule]
        plain = [c for c in own if not c.tag.startswith("implied")]
        for c in plain:
            lines.append(f"    -> {_describe(c)}")
            if " when " in c.tag:
                lines.append(f"       ({c.tag})")
        if len(plain) < len(own):
            lines.append("    -> and an implied constraint (below)")
        if not own:
            lines.append("    -> no constraint of its own (its parts must all hold, or it always holds)")
    implied = [c for c in cp.constraints if len(c.rules) > 1 or c.tag.startswith("implied")]
    if implied:
        lines += ["", "implied constraints (redundant, they let the search prune early):"]
        lines += [f"  {c.tag}\n    -> {_describe(c)}" for c in implied]
    structural = [c for c in cp.constraints if c.structural]
    if structural:
        lines += ["", "structural constraints:"]
        lines += [f"  {c.tag}\n    -> {_describe(c)}" for c in structural]
    if cp.allocation_variables:
        lines += ["", "allocation variables a[unit>group] (1 when the unit counts towards that group):"]
        by_unit: dict[str, list[str]] = {}
        for (u, _path), v in cp.allocation_variables.items():
            by_unit.setdefault(u, []).append(v.rsplit(">", 1)[-1].rstrip("]"))
        lines += [f"  {u}: {', '.join(groups)}" for u, groups in by_unit.items()]
    if cp.satisfaction_variables:
        lines += ["", "satisfaction variables (1 forces that requirement's rules):"]
        lines += [f"  {v}: {path}" for path, v in cp.satisfaction_variables.items()]
    lines += ["", "search: unit variables first, in the order units are first listed, 1 before 0"]
    return "\n".join(lines)

# %% [markdown]
# # Write your own: from a handbook's packaging rule to a checked structure
#
# This notebook turns a qualification's text into a qualpath rule file, makes the mistakes everyone
# makes the first time, reads the error messages, and fixes them.
#
# Our example is in the style of an Australian training package. (The qualification and its unit
# codes are made up for this notebook; the shape of the rule is the common one.)
#
# > **WPS20124 Certificate II in Workplace Skills — Packaging rules**
# >
# > Total number of units = 8
# > - 3 core units plus
# > - 5 elective units, of which:
# >   - at least 2 units must be selected from Group A
# >   - no more than 2 units may be selected from Group B
# >   - the remaining units may be selected from Group A, B or C.
#
# The unit list gives each unit's code, title and nominal hours. The full reference for the rule
# language is `rules/README.md`; every key used below is described there.

# %%
import tempfile
from collections import Counter
from itertools import combinations
from math import comb
from pathlib import Path

from IPython.display import SVG, display

from solver import RuleSetError, check_feasible, cheapest_pathways, count_pathways, load_qualification
from solver.design.lint import lint
from viz import render

OUT = Path(tempfile.mkdtemp(prefix="qualpath-write-your-own-"))
rule_file = OUT / "wps20124.yaml"

# %% [markdown]
# ## A first draft
#
# Reading the text sentence by sentence:
#
# - "Total number of units = 8" is a limit on the whole qualification: `min_units: 8` and
#   `max_units: 8`; we also record the figure the handbook states, under `declared`, so qualpath
#   can check it agrees with the rules.
# - "3 core units" is a **mandatory group**.
# - "5 elective units, of which ..." is a combination of the three elective groups (`all_of`), with
#   its own limit of exactly 5 units.
# - "at least 2 units from Group A" is `min_units: 2` on Group A; "no more than 2 from Group B" is
#   `max_units: 2` on Group B; Group C has no limit of its own.
#
# Here is the first draft, typed quickly. It has three mistakes in it; can you spot them before
# qualpath does?

# %%
draft = """\
kind: qualification
id: WPS20124
title: Certificate II in Workplace Skills
level: 2
awarding_body: Example Training Package (illustrative)
min_units: 8
max_units: 8
declared: {units: 8}
units:
  - {id: WPSCOR001, title: Work safely, hours: 20, level: 2}
  - {id: WPSCOR002, title: Communicate in the workplace, hours: 30, level: 2}
  - {id: WPSCOR003, title: Work effectively with others, hours: 25, level: 2}
  - {id: WPSA001, title: Use digital technologies for routine workplace tasks, hours: 20, level: 2}
  - {id: WPSA002, title: Organise personal work priorities, hours: 30, level: 2}
  - {id: WPSA003, title: Process customer complaints, hours: 40, level: 2}
  - {id: WPSA004, title: Deliver a service to customers, hours: 35, level: 2}
  - {id: WPSB001, title: Handle stock, hours: 25, level: 2}
  - {id: WPSB002, title: Operate a point-of-sale system, hours: 30, level: 2}
  - {id: WPSB003, title: Apply food safety practices, hours: 15, level: 2}
  - {id: WPSC001, title: Provide first aid, hours: 18, level: 2}
  - {id: WPSC002, title: Participate in environmentally sustainable work practices, hours: 20, level: 2}
  - {id: WPSC003, title: Write simple documents, hours: 25, level: 2}
requirements:
  - kind: group
    id: core
    title: Core units
    mandatory: true
    units: [WPSCOR001, WPSCOR002, WPSCOR003]
  - kind: all_of
    id: electives
    title: Elective units
    min_units: 5
    max_units: 4
    requirements:
      - {kind: group, id: A, title: Group A, min_unit: 2, units: [WPSA001, WPSA002, WPSA003, WPSA004]}
      - {kind: group, id: B, title: Group B, max_units: 2, units: [WPSB001, WPSB002, WPSB003]}
      - {kind: group, id: C, title: Group C, units: [WPSC001, WPSC002, WPSC03]}
"""
_ = rule_file.write_text(draft, encoding="utf-8")

# %% [markdown]
# ## Loading it: every problem at once
#
# `load_qualification` reads the file and checks it. It does not stop at the first problem: it
# reports all of them together, each with its line and column, where it is in the document, what it
# found and what it expected.

# %%
try:
    load_qualification(rule_file)
except RuleSetError as error:
    first_errors = error
    print(error)

# %% [markdown]
# Reading the three messages (line numbers count from the top of the YAML text):
#
# 1. **min above max**: the electives say "at least 5" and "at most 4" units; the handbook says
#    exactly 5, so `max_units` should be 5.
# 2. **a typo'd key**: `min_unit` is not a key; qualpath never ignores a key it does not know (a
#    silently ignored "minimum" is the worst kind of mistake) and suggests `min_units`.
# 3. **a unit referenced but not defined**: Group C lists `WPSC03`, which is no unit in the file;
#    qualpath suggests the closest id, `WPSC003`.
#
# The fixes, one by one:

# %%
fixed = (draft
         .replace("    min_units: 5\n    max_units: 4\n", "    min_units: 5\n    max_units: 5\n")
         .replace("min_unit: 2,", "min_units: 2,")
         .replace("WPSC03]", "WPSC003]"))
rule_file.write_text(fixed, encoding="utf-8")
wps = load_qualification(rule_file)
print("loaded:", wps.title, f"({wps.id}),", len(wps.unit_ids()), "units")

# %% [markdown]
# ## A mistake the file checks cannot see
#
# A file can be perfectly well formed and still impossible to achieve. Suppose the draft had said
# 6 elective units instead of 5 (a misreading of the text): 3 core + 6 electives is 9 units, but the
# qualification allows exactly 8. `check_feasible` finds the smallest set of rules that cannot all
# hold together, each with its line:

# %%
too_many = OUT / "wps20124-six-electives.yaml"
too_many.write_text(fixed.replace("    min_units: 5\n    max_units: 5\n", "    min_units: 6\n    max_units: 6\n"),
                    encoding="utf-8")
clash = check_feasible(load_qualification(too_many))
print(clash)

# %% [markdown]
# Drop any one of those rules and the rest can hold; so one of them is not what the handbook says.
#
# ## The fixed structure, checked and counted
#
# Back to the correct file. `lint` reviews it: nothing is wrong (no errors, no warnings, no unit
# that could never be taken), the handbook's own figure ("Total number of units = 8") agrees with
# the rules, and it notes, for information, that the rules say the same thing twice: "8 units in
# total" and "3 core units plus exactly 5 electives" each imply the other, so removing any one of
# those limits alone would change nothing. That is fine here, because the handbook says both; in a
# draft it often points at a rule someone meant to write differently.

# %%
feasible = check_feasible(wps)
print(feasible)
report = lint(wps)
for finding in report.findings:
    print(f"- {finding.severity}: {finding.code}: {finding.message}")

# %%
count = count_pathways(wps)
print(f"{count.pathways:,} ways to choose the electives (by {count.method})")
quickest = cheapest_pathways(wps, by=["hours"], top=3)
print(f"fewest nominal hours: {quickest.optimum['hours']} ({quickest.ties} pathway)")
print("   ", ", ".join(quickest.pathways[0].units))

# %% [markdown]
# And the picture for the handbook:

# %%
display(SVG(filename=str(render(wps, OUT / "wps20124.svg"))))

# %% [markdown]
# ## A second opinion
#
# With 10 elective units there are only 2^10 = 1,024 ways to pick any of them, so we can simply
# try them all, applying the handbook's sentences by hand. The count also follows from a formula:
# choose `a` units from Group A's 4, `b` from B's 3 and `c` from C's 3, with a + b + c = 5,
# a ≥ 2 and b ≤ 2.

# %%
group = {"A": ["WPSA001", "WPSA002", "WPSA003", "WPSA004"], "B": ["WPSB001", "WPSB002", "WPSB003"],
         "C": ["WPSC001", "WPSC002", "WPSC003"]}
electives = [u for units in group.values() for u in units]
hours = {u: wps.unit(u).hours for u in wps.unit_ids()}
core_hours = hours["WPSCOR001"] + hours["WPSCOR002"] + hours["WPSCOR003"]

by_hours = Counter()
for k in range(len(electives) + 1):
    for chosen in combinations(electives, k):
        a = sum(u in group["A"] for u in chosen)
        b = sum(u in group["B"] for u in chosen)
        if 3 + k == 8 and a >= 2 and b <= 2:   # 3 core units + k electives = 8 units
            by_hours[core_hours + sum(hours[u] for u in chosen)] += 1

by_formula = sum(comb(4, a) * comb(3, b) * comb(3, 5 - a - b) for a in range(2, 5) for b in range(0, 3)
                 if 0 <= 5 - a - b <= 3)
print(f"by trying every choice: {sum(by_hours.values())}; by the formula: {by_formula}")
print(f"fewest hours: {min(by_hours)} ({by_hours[min(by_hours)]} way)")

# %% [markdown]
# ## What we showed

# %%
assert [(e.location.line, e.message) for e in first_errors.errors] == [
    (32, "found 5, more than max_units 4; expected min_units no more than max_units"),
    (35, "unknown key 'min_unit' in a group; did you mean 'min_units'?"),
    (37, "unknown unit 'WPSC03'; expected the id of a unit defined under 'units' or in a library; "
         "did you mean 'WPSC003'?"),
]
assert str(first_errors).startswith("3 problems found\n")
assert not clash.feasible
assert sorted(r.label for r in clash.conflict) == ["core: all 3 units", "electives: min 6 units",
                                                  "qualification: max 8 units in total"]
assert feasible.feasible and not report.fails("warning")
assert report.worst.value == "info" and {f.code for f in report.findings} == {"redundant-rule", "declared-ok"}
assert sum(f.code == "redundant-rule" for f in report.findings) == 5
assert count.pathways == 180 == sum(by_hours.values()) == by_formula
assert quickest.optimum == {"hours": 178} and quickest.ties == 1 == by_hours[178] and min(by_hours) == 178
print("all checks passed")

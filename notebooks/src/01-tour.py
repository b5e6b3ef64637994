# %% [markdown]
# # A tour of qualpath: the Level 2 Diploma in Customer Service
#
# A *rule of combination* says which units a learner must take to achieve a qualification.
# The Level 2 Diploma in Customer Service puts it like this:
#
# > "The learner must achieve a minimum of 45 credits. 19 credits from the Mandatory Group,
# > a minimum of 3 credits from Optional Group A, and a minimum of 16 credits from Optional
# > Group B. A maximum of 7 credits can be achieved from Optional Group C."
#
# qualpath keeps those rules as data (a YAML file in `rules/`) and answers questions about them
# exactly. In this notebook we:
#
# 1. load the Diploma and look at its rules,
# 2. check that the rules can be met, and that the handbook's own figures agree with them,
# 3. count every pathway a learner could take,
# 4. find the cheapest pathways, by credits and by number of units,
# 5. draw the structure, with the cheapest pathway picked out,
# 6. and check the main numbers a second, independent way.
#
# Run the cells from top to bottom (Shift+Enter). Nothing here changes any file of the project:
# pictures go to a temporary folder.

# %%
import tempfile
from pathlib import Path

from IPython.display import SVG, display

from solver import bundled_rules, breakdown, check_feasible, cheapest_pathways, count_pathways, iter_rules
from solver.answers.report import format_best
from solver import load_qualification
from solver.design.lint import lint
from viz import render

OUT = Path(tempfile.mkdtemp(prefix="qualpath-tour-"))


def show(path):
    """Show an SVG file written by qualpath inside the notebook."""
    display(SVG(filename=str(path)))

# %% [markdown]
# ## 1. Load the Diploma
#
# `bundled_rules()` is the folder of structures that come with qualpath. Loading a file checks
# every key and every unit reference; a mistake stops here with its line and column (notebook 05
# shows what that looks like).

# %%
diploma = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
print(diploma.title, f"({diploma.id})")
print(len(diploma.unit_ids()), "units a pathway can hold, in", len(list(diploma.iter_groups())), "groups")
print()
for group in diploma.iter_groups():
    credits = sum(diploma.unit(u).credits for u in group.units)
    print(f"{group.title:<18} {len(group.units):>2} units, {credits:>2} credits in all")

# %% [markdown]
# Each sentence of the handbook has become a *rule*. qualpath names them the same way everywhere
# (in error messages, in explanations, in comparisons):

# %%
for rule in iter_rules(diploma):
    print(rule.label)

# %% [markdown]
# ## 2. Check it
#
# First question: can anyone achieve this qualification at all? `check_feasible` either finds a
# pathway, or names the smallest set of rules that cannot all hold together.

# %%
feasibility = check_feasible(diploma)
print(feasibility)

# %% [markdown]
# Then a closer look. `lint` reads the structure the way an experienced reviewer would: units no
# learner could ever take, rules that change nothing, and whether the figures the handbook prints
# ("19 credits from the Mandatory Group", "Minimum Credit Value 45") agree with the rules.
# Everything it says is proved by exact counts. For the Diploma there is nothing wrong, only
# information:

# %%
report = lint(diploma)
print("worst finding:", report.worst)
for finding in report.findings:
    print(f"- {finding.code}: {finding.message}")

# %% [markdown]
# ## 3. Count the pathways
#
# A *pathway* is a set of units that meets every rule. How many are there?

# %%
count = count_pathways(diploma)
minimal = count_pathways(diploma, minimal=True)
print(f"{count.pathways:,} pathways (by {count.method})")
print(f"{minimal.pathways:,} of them are minimal: no unit could be dropped and still meet the rules")

# %% [markdown]
# Sixty-seven million ways through one Diploma, counted exactly (not estimated) in a fraction of a
# second. Most of them are learners taking more units than they need; the *minimal* ones are the
# pathways a centre would actually plan.
#
# Where do the pathways sit? `breakdown` splits the count by total credits, and tells us which
# units are in every pathway (they had better be the mandatory ones) and which are in none (a unit
# no learner can ever count would be a mistake in the structure).

# %%
split = breakdown(diploma)
print("in every pathway:", ", ".join(split.always))
print("in no pathway:   ", ", ".join(split.never) or "none")
print()
print("total credits   pathways")
for credits, n in list(split.by_credits.items())[:6]:
    print(f"{credits:>13}   {n:>9,}")
print("          ...")

# %% [markdown]
# ## 4. The cheapest pathways
#
# A learner (or a funder) usually wants the *smallest* pathway. Any total can be minimised (credits,
# units, guided learning hours, fee); with two criteria, the second breaks ties in the first.
# "Cheapest" on its own means one thing everywhere (`qualpath report`, `qualpath cheapest`,
# `draw --highlight cheapest`, the JSON and these notebooks): fewest credits and, among those,
# fewest units. A tie count is always for the objective as named, and the tie-break is written
# out. The answer is proved optimal: qualpath does not search and hope, it accounts for every
# one of the 67 million pathways.

# %%
by_credits = cheapest_pathways(diploma, top=3)  # the default: credits, then units
print(by_credits)
print(format_best(by_credits))
print(f"{by_credits.ties_by_level[0]:,} pathways take the fewest credits; "
      f"{by_credits.ties:,} of them take the fewest units too")
print(by_credits.proof)

# %% [markdown]
# The first of them, unit by unit:

# %%
group_of = {}
for group in diploma.iter_groups():
    for unit in group.units:
        group_of.setdefault(unit, group.title)

best = by_credits.pathways[0]
for unit in best.units:
    print(f"{group_of[unit]:<18} {diploma.unit(unit).credits:>2}  {diploma.unit(unit).title}")
print(f"{'total':<18} {best.credits:>2}  ({best.unit_count} units)")

# %% [markdown]
# Now by number of units first. The fewest units anyone can take is 11: the 5 mandatory units and
# **6 optional units**, which is the "Units Required: 6" the handbook prints for the optional
# groups. More pathways tie at 11 units (612) than at 45 credits and 11 units (442), because some
# 11-unit pathways carry more than 45 credits.

# %%
by_units = cheapest_pathways(diploma, by=["units"])
fewest_units = by_units.optimum["units"]
mandatory_units = len(split.always)
print(f"fewest units: {fewest_units} ({mandatory_units} mandatory + {fewest_units - mandatory_units} optional),"
      f" {by_units.ties:,} pathways tie")
print(diploma.requirements[1].title, "declared by the handbook:", diploma.requirements[1].declared.units, "units")

# %% [markdown]
# ## 5. Draw it
#
# The same data draws the structure for a handbook: one band per group, one box per unit, with
# credits and level. Level-3 units carry an L3 badge.

# %%
show(render(diploma, OUT / "diploma.svg"))

# %% [markdown]
# And the cheapest pathway we found, picked out, with its totals in the caption:

# %%
show(render(diploma, OUT / "cheapest.svg", highlight=best.units))

# %% [markdown]
# ## 6. A second opinion
#
# Everything above came from qualpath's solver. Here is an independent check in a few lines of
# plain Python, using only the handbook's sentences and the unit credits: list every subset of each
# optional group (Group B alone has 2^17 = 131,072), keep those that meet the group's rule, and
# combine the groups.

# %%
from collections import Counter
from itertools import combinations

credit = {u: int(diploma.unit(u).credits) for u in diploma.unit_ids()}
members = {g.id: g.units for g in diploma.iter_groups()}


def tally(group, rule):
    """How many subsets of a group meet its rule, by (credits, units)."""
    found = Counter()
    units = members[group]
    for k in range(len(units) + 1):
        for chosen in combinations(units, k):
            total = sum(credit[u] for u in chosen)
            if rule(total):
                found[total, k] += 1
    return found


mandatory_credits = sum(credit[u] for u in members["mandatory"])   # "19 credits from the Mandatory Group"
A = tally("A", lambda c: c >= 3)                                     # "a minimum of 3 credits from Group A"
B = tally("B", lambda c: c >= 16)                                    # "a minimum of 16 credits from Group B"
C = tally("C", lambda c: c <= 7)                                     # "a maximum of 7 credits from Group C"

by_size = Counter()
for (ca, ka), na in A.items():
    for (cb, kb), nb in B.items():
        for (cc, kc), nc in C.items():
            total = mandatory_credits + ca + cb + cc
            if total >= 45:                                          # "a minimum of 45 credits"
                by_size[total, 5 + ka + kb + kc] += na * nb * nc

print(f"pathways: {sum(by_size.values()):,}")
least = min(by_size)
print(f"least credits, then fewest units: {least}, {by_size[least]:,} pathways")
fewest = min(units for _credits, units in by_size)
print(f"fewest units: {fewest}, {sum(n for (c, k), n in by_size.items() if k == fewest):,} pathways")

# %% [markdown]
# ## What we showed
#
# The last cell checks every number this notebook printed, so the notebook fails loudly if a
# change to qualpath or to the rule file ever changes them.

# %%
assert feasibility.feasible
assert not report.fails("warning")
assert count.pathways == 67_418_986
assert minimal.pathways == 1_939_380
assert split.always == members["mandatory"] and split.never == ()
assert split.by_credits[45] == 753_080
assert by_credits.optimum == {"credits": 45, "units": 11} and by_credits.ties == 442
assert by_credits.objective == ("credits", "units") and by_credits.ties_by_level == (753_080, 442)
assert format_best(by_credits) == "45 credits (753,080 pathways); of these, fewest units: 11 (442)"
assert best.credits == 45 and best.unit_count == 11
assert by_units.optimum == {"units": 11} and by_units.ties == 612
assert fewest_units - mandatory_units == 6 == diploma.requirements[1].declared.units
# the second opinion agrees
assert sum(by_size.values()) == count.pathways
assert least == (45, 11) and by_size[least] == by_credits.ties
assert fewest == 11 and sum(n for (c, k), n in by_size.items() if k == 11) == by_units.ties
assert all(p.credits == 45 and p.unit_count == 11 for p in by_credits.pathways)
print("all checks passed")

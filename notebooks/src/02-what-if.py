# %% [markdown]
# # What if? Testing a change to the Diploma before it is published
#
# A curriculum team is reviewing the Level 2 Diploma in Customer Service. Three changes are on
# the table:
#
# 1. **Raise Group B's minimum** from 16 to 18 credits ("more weight on core customer skills").
# 2. **Move a unit between groups**: *Negotiate in a business environment* from Group C to
#    Group B.
# 3. **Bar two units** that overlap: a learner may not take both *Deal with incoming telephone
#    calls* and *Make telephone calls to customers*.
#
# For each one we ask: what exactly changed in the rules, how many pathways does it remove or add,
# does the smallest pathway change, and would any learner's plan stop being valid? And we draw the
# changed structure.
#
# None of this edits the rule file: each change is made to a copy in memory.

# %%
import dataclasses
import io
import tempfile
from pathlib import Path

from IPython.display import SVG, display
from matplotlib.figure import Figure

from solver import Barred, breakdown, bundled_rules, cheapest_pathways, count_pathways, iter_pathways
from solver import load_qualification
from solver.design.diff import diff, format_diff, replace_requirement
from solver.answers.report import format_pathway
from viz import render

OUT = Path(tempfile.mkdtemp(prefix="qualpath-what-if-"))


def show(path):
    """Show an SVG file written by qualpath inside the notebook."""
    display(SVG(filename=str(path)))


def show_figure(figure):
    """Show a matplotlib figure inline as SVG."""
    text = io.StringIO()
    figure.savefig(text, format="svg")
    display(SVG(text.getvalue()))


diploma = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
before = count_pathways(diploma).pathways
print(f"today: {before:,} pathways")

# %% [markdown]
# We also follow one learner: Sam, who is planning the cheapest pathway from notebook 01 (45
# credits, 11 units). Will Sam's plan survive each change?

# %%
sam = cheapest_pathways(diploma, by=["credits", "units"]).pathways[0]
print("Sam's plan:", format_pathway(diploma, sam))
learners = [("Sam", frozenset(sam.units))]

# %% [markdown]
# ## Change 1: Group B needs 18 credits, not 16
#
# `replace_requirement` makes the changed copy; `diff` compares the two versions, in the data and in
# effect. "Lost" pathways were valid before and are not now; "gained" the other way round. These
# counts are exact.

# %%
b18 = replace_requirement(diploma, "B", min_credits=18)
change1 = diff(diploma, b18, learners=learners)
print(format_diff(change1, diploma, b18))

# %% [markdown]
# Reading it: no pathway is gained (a higher minimum can only remove pathways), and 1,297,202 are
# lost, about 2% of the total. The smallest pathway is still 45 credits and 11 units, so the
# qualification does not get any bigger for the quickest learners. But Sam's plan is hit: it has
# exactly 16 credits of Group B units.
#
# Which pathways are lost? Exactly those with 16 or 17 credits from Group B. We can see that in
# the count of pathways by Group B credits, before and after:

# %%
b_before = breakdown(diploma).by_group_credits["B"]
b_after = breakdown(b18).by_group_credits["B"]
lost_at = {c: n - b_after.get(c, 0) for c, n in b_before.items() if n != b_after.get(c, 0)}
print("pathways lost, by Group B credits:", {int(c): n for c, n in lost_at.items()})

figure = Figure(figsize=(7, 2.6))
ax = figure.add_axes((0.09, 0.2, 0.88, 0.7))
xs = [int(c) for c in b_before]
ax.bar(xs, [b_before[c] / 1e6 for c in b_before], color="#BBBBBB", label="today")
ax.bar(xs, [b_after.get(c, 0) / 1e6 for c in b_before], color="#0072B2", label="Group B min 18")
ax.set_xlabel("credits from Group B")
ax.set_ylabel("pathways (millions)")
ax.legend(frameon=False)
show_figure(figure)

# %% [markdown]
# The changed structure, drawn with Sam's plan picked out: Group B's heading now asks for 18
# credits, and the caption shows Sam has 16.

# %%
show(render(b18, OUT / "b18.svg", highlight=sam.units, title="Level 2 Diploma in Customer Service (proposed)"))

# %% [markdown]
# ## Change 2: move *Negotiate* from Group C to Group B
#
# *Negotiate in a business environment* (4 credits, level 3) would count towards Group B's minimum
# instead of Group C's maximum.

# %%
groups = {g.id: g for g in diploma.iter_groups()}
moved = replace_requirement(diploma, "B", units=(*groups["B"].units, "negotiate"))
moved = replace_requirement(moved, "C", units=tuple(u for u in groups["C"].units if u != "negotiate"))
change2 = diff(diploma, moved)
print(format_diff(change2, diploma, moved))

# %% [markdown]
# The pathways nearly double, and `diff` counts what was lost and gained exactly even though a unit
# changed group: it puts both versions' rules into one structure (method `combined`) and counts the
# pathways valid under both.
#
# Let us check that ourselves, by splitting the pathways on whether they hold *Negotiate*:
#
# - **Without *Negotiate*** the two versions have the same rules, so they have the same pathways.
# - **With *Negotiate*** a pathway valid today counts its 4 credits in Group C; after the move they
#   count in Group B instead, which can only help Group B's minimum and Group C's maximum. So every
#   pathway valid today stays valid.
#
# So nothing is lost, and everything extra is gained:

# %%
without_before = count_pathways(diploma, exclude=["negotiate"]).pathways
without_after = count_pathways(moved, exclude=["negotiate"]).pathways
with_before = count_pathways(diploma, include=["negotiate"]).pathways
with_after = count_pathways(moved, include=["negotiate"]).pathways
print(f"without Negotiate: {without_before:,} -> {without_after:,}")
print(f"with Negotiate:    {with_before:,} -> {with_after:,}")
gained2 = with_after - with_before
print(f"lost 0, gained {gained2:,}")

# %% [markdown]
# Why so many? Today, taking *Negotiate* uses 4 of Group C's 7 credits, so few Group C units fit
# beside it. After the move, Group C's 7 credits are all free again. The drawing shows the unit in
# its new group:

# %%
show(render(moved, OUT / "moved.svg", title="Level 2 Diploma in Customer Service (Negotiate in Group B)"))

# %% [markdown]
# ## Change 3: bar two overlapping units
#
# The handbook would say: "Learners may not take both *Deal with incoming telephone calls from
# customers* and *Make telephone calls to customers* (overlapping content)."

# %%
barred = dataclasses.replace(diploma, barred=(
    Barred(units=("incoming-calls", "make-calls"), reason="overlapping content"),))
change3 = diff(diploma, barred, learners=learners, examples=0)
print(format_diff(change3, diploma, barred))

# %% [markdown]
# Over a quarter of all pathways are lost: every one that holds both units. That is easy to check
# with a plain count of today's pathways holding both:

# %%
holding_both = count_pathways(diploma, include=["incoming-calls", "make-calls"]).pathways
print(f"pathways today holding both units: {holding_both:,}")
print("the first three, in qualpath's documented order:")
for pathway in iter_pathways(diploma, include=["incoming-calls", "make-calls"], limit=3):
    print(" ", format_pathway(diploma, pathway))

# %% [markdown]
# The smallest pathway is still 45 credits and 11 units, but fewer pathways reach it, and Sam, who
# planned both telephone units, would have to change one of them:

# %%
cheapest_before = cheapest_pathways(diploma, by=["credits", "units"])
cheapest_after = cheapest_pathways(barred, by=["credits", "units"])
print(f"cheapest pathways (45 credits, 11 units): {cheapest_before.ties} today, {cheapest_after.ties} after the bar")
print("Sam:", "; ".join(change3.learners[0].reasons))

# %% [markdown]
# In the drawing, the barred pair is joined by a dotted orange line:

# %%
show(render(barred, OUT / "barred.svg", title="Level 2 Diploma in Customer Service (telephone units barred)"))

# %% [markdown]
# ## What we showed

# %%
assert before == 67_418_986
assert sam.credits == 45 and sam.unit_count == 11
# change 1
assert (change1.pathways_before, change1.pathways_after) == (67_418_986, 66_121_784)
assert (change1.lost, change1.gained, change1.method) == (1_297_202, 0, "intersection")
assert change1.min_credits_after == 45 and change1.min_units_after == 11
assert [r.label_new for r in change1.rules] == ["B: min 18 credits"]
assert lost_at == {16: 469_448, 17: 827_754} and sum(lost_at.values()) == change1.lost
assert [c.learner for c in change1.learners] == ["Sam"]
assert change1.learners[0].reasons == ("valid again without: B: min 18 credits",)
# change 2
assert (change2.pathways_before, change2.pathways_after) == (67_418_986, 127_055_737)
assert change2.status.value == "complete" and change2.method == "combined"
assert (change2.lost, change2.gained) == (0, 59_636_751)
assert without_before == without_after == 62_490_733
assert (with_before, with_after) == (4_928_253, 64_565_004)
assert gained2 == change2.pathways_after - change2.pathways_before == 59_636_751
# change 3
assert (change3.pathways_after, change3.lost, change3.gained) == (50_036_371, 17_382_615, 0)
assert holding_both == change3.lost
assert cheapest_before.ties == 442
assert cheapest_after.optimum == {"credits": 45, "units": 11} and cheapest_after.ties == 436
assert change3.learners[0].reasons == ("valid again without: barred: at most one of incoming-calls, make-calls",)
print("all checks passed")

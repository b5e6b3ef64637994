# %% [markdown]
# # Handbook diagrams: every kind of picture, for print and for the web
#
# A handbook needs pictures of its rules of combination: which units sit in which group, what each
# group asks for, and sometimes one example pathway. qualpath draws them from the same YAML it
# counts with, so the picture can never disagree with the rules.
#
# This notebook makes each kind of picture qualpath draws, writes each one as **SVG** (for web
# pages; the text stays real text, searchable and selectable) and **PDF** (for print), then shows
# the styling options and the exports for other tools (Graphviz, Mermaid, GraphML).
#
# Every file goes to a temporary folder; the last cell lists them.

# %%
import io
import tempfile
from pathlib import Path

import networkx as nx
from IPython.display import SVG, display
from matplotlib.figure import Figure

from solver import breakdown, bundled_rules, cheapest_pathways, load_qualification
from solver.design.diff import replace_requirement
from viz import Style, draw_qualification, family_graph, render, to_graph, write_dot, write_graphml, write_mermaid
from viz.samples import synthetic_qualification

OUT = Path(tempfile.mkdtemp(prefix="qualpath-diagrams-"))
rules = bundled_rules()
diploma = load_qualification(rules / "l2-diploma-customer-service.yaml")
nvq = load_qualification(rules / "ocr-l2-nvq-customer-service.yaml")
chc = load_qualification(rules / "chc33021-individual-support.yaml")
anu = load_qualification(rules / "anu-csfn-min-2024.yaml")
written = []


def picture(source, name, **options):
    """Write one picture as SVG and PDF, and show the SVG."""
    svg = render(source, OUT / f"{name}.svg", **options)
    written.extend([svg, render(source, OUT / f"{name}.pdf", **options)])
    display(SVG(filename=str(svg)))

# %% [markdown]
# ## 1. The structure
#
# One band per group, with the group's rule and what is available in its heading; one box per unit
# with its credits and level. The key at the bottom explains the marks. The page is A4, portrait
# when it fits.

# %%
picture(diploma, "diploma")

# %% [markdown]
# ## 2. An example pathway
#
# Pass the units of a pathway as `highlight`: they are drawn strongly, the others faded, and a
# caption gives the totals group by group. Here, the first of the cheapest pathways.

# %%
cheapest = cheapest_pathways(diploma, by=["credits", "units"]).pathways[0]
picture(diploma, "diploma-cheapest", highlight=cheapest.units)

# %% [markdown]
# ## 3. What a reviewer needs to see: units that are forced or impossible
#
# Suppose a draft capped Group C at 2 credits instead of 7. Every Group C unit worth 3 credits or
# more could then never count, a mistake a reviewer should spot at a glance. `breakdown` counts how
# many pathways hold each unit; a unit in every pathway is *forced* (thick outline), a unit in none
# is *dead* (hatched grey).

# %%
draft = replace_requirement(diploma, "C", max_credits=2)
per_unit = breakdown(draft)
total = per_unit.pathways
status = {u: "forced" if n == total else "dead" if n == 0 else "free" for u, n in per_unit.per_unit.items()}
print("dead units in the draft:", ", ".join(per_unit.never))
picture(draft, "draft-status", status=status, title="Level 2 Diploma in Customer Service (draft: Group C max 2)")

# %% [markdown]
# ## 4. A structure without credits: the NVQ
#
# NVQ units of competence carry no credit value, so none is printed; the number of elements is
# shown instead.

# %%
picture(nvq, "nvq")

# %% [markdown]
# ## 5. A family of qualifications sharing units
#
# The NVQ and the Diploma share four units (a shared unit library). Drawn together, a shared unit
# is one box, in the first group that lists it; the other group's band notes that it also lists
# it. Two qualifications do not fit one A4 page with a box per unit, so qualpath would choose the
# compact view; `compact=False` keeps the boxes and lets the page grow.

# %%
family = family_graph([nvq, diploma])
shared = [u for u, q in family.nodes(data="qualifications") if q and len(q) > 1]
print("units in both:", ", ".join(shared))
picture(family, "nvq-and-diploma", compact=False)

# %% [markdown]
# ## 6. An Australian packaging rule with overlapping pools
#
# CHC33021 Certificate III in Individual Support: "at least 3 units from Group A or B" and "the
# remaining units from Groups A, B or C" are two lists that overlap.

# %%
picture(chc, "chc33021")

# %% [markdown]
# ## 7. Prerequisites
#
# The ANU Computer Science Foundations minor: dashed arrows run from a course to the courses that
# need it.

# %%
picture(anu, "anu-minor")

# %% [markdown]
# ## 8. Large structures: the compact view
#
# Past 80 units (or when boxes would not fit the page) each group is summarised as a ribbon, one
# slice per unit sized by its credits, with the group's minimum and maximum marked. Here a
# synthetic 200-unit structure, and the Diploma forced into the same view with `compact=True`.

# %%
big = synthetic_qualification(groups=8, units_per_group=25)
picture(big, "synthetic-200")
picture(diploma, "diploma-compact", compact=True)

# %% [markdown]
# ## 9. Styling
#
# - `orientation="landscape"` (or `"portrait"`) forces the page. When the boxes do not fit an A4
#   page, qualpath switches to the compact view; `compact=False` keeps the boxes and lets the page
#   grow instead.
# - `title=` prints another title (the rules are untouched).
# - Any size in `viz.Style` can be changed by name: `unit_size`, `box_width`, `title_size`,
#   `font`, ... A `Style` object can be kept and reused so every picture in a handbook matches.
# - Group colours come from a colour-blind-safe palette; give a group node a `color` attribute to
#   use the house colour instead.

# %%
picture(diploma, "diploma-landscape", orientation="landscape", compact=False,
        title="Customer Service Diploma: structure")

# %%
house = Style(title_size=16, header_size=9, unit_size=7.5, box_width=1.6)
G = to_graph(nvq)
G.nodes["OCR-NVQ2-CS/mandatory"]["color"] = "#6A1B9A"   # the awarding body's purple
G.nodes["OCR-NVQ2-CS/optional"]["color"] = "#00838F"
picture(G, "nvq-house-style", style=house)

# %% [markdown]
# ### Drawing into your own figure
#
# `draw_qualification` follows networkx's drawing habits: give it a graph (and optionally an
# `Axes`), it draws and returns the `Axes`. That is how to put two structures side by side, or a
# structure next to a chart, in one figure. (`legend=False` leaves the key out.)

# %%
figure = Figure(figsize=(16, 6.5))
left, right = figure.subplots(1, 2)
draw_qualification(to_graph(nvq), ax=left, legend=False)
draw_qualification(to_graph(anu), ax=right, legend=False)
text = io.StringIO()
figure.savefig(text, format="svg")
display(SVG(text.getvalue()))

# %% [markdown]
# ## 10. Exports for other tools
#
# The same graph can be written for Graphviz (DOT), for Markdown pages that render Mermaid
# (GitHub, GitLab, many wikis) and as GraphML (Gephi, yEd, networkx).

# %%
G = to_graph(diploma)
dot = write_dot(G, OUT / "diploma.dot")
mermaid = write_mermaid(to_graph(nvq), OUT / "nvq.mmd")
graphml = write_graphml(G, OUT / "diploma.graphml")
written.extend([dot, mermaid, graphml])
print(mermaid.read_text(encoding="utf-8"))

# %% [markdown]
# ## The files

# %%
for path in written:
    print(f"{path.name:<28} {path.stat().st_size:>9,} bytes")

# %% [markdown]
# ## What we showed
#
# Every picture was written in both formats, the SVGs carry their text as text, the PDFs are PDFs,
# the same input gives the same bytes (so pictures in a repository only change when the rules do),
# and the exports hold every node.

# %%
svgs = [p for p in written if p.suffix == ".svg"]
pdfs = [p for p in written if p.suffix == ".pdf"]
assert len(svgs) == len(pdfs) == 11
assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
assert ">Level 2 Diploma in Customer Service<" in (OUT / "diploma.svg").read_text(encoding="utf-8")
assert ">Customer Service Diploma: structure<" in (OUT / "diploma-landscape.svg").read_text(encoding="utf-8")
assert render(diploma, OUT / "again.svg").read_bytes() == (OUT / "diploma.svg").read_bytes()
assert render(diploma, OUT / "again.pdf").read_bytes() == (OUT / "diploma.pdf").read_bytes()
assert cheapest.credits == 45 and cheapest.unit_count == 11
assert per_unit.never == ("reception-services", "organise-event", "buddy-colleague", "working-relationships",
                          "after-sales", "objections-closing", "contact-centre-incidents",
                          "contact-centre-sales", "negotiate", "bespoke-software")
assert all(diploma.unit(u).credits >= 3 for u in per_unit.never)
assert sorted(shared) == ["develop-relationships", "promote-products", "resolve-problems", "support-improvements"]
assert len(big.unit_ids()) == 200
assert dot.read_text(encoding="utf-8").count("subgraph cluster_") == 5
assert mermaid.read_text(encoding="utf-8").count("subgraph") == 2
back = nx.read_graphml(graphml)
assert back.number_of_nodes() == G.number_of_nodes() == 1 + 5 + 39   # qualification, 4 groups + all_of, units
print("all checks passed")

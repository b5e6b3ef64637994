# %% [markdown]
# # Learners: where does each one stand, and what is the quickest way to finish?
#
# A centre runs the Level 2 Diploma in Customer Service (45 credits minimum; 19 mandatory, at least
# 3 from Group A and 16 from Group B, at most 7 from Group C). Its records list, for each learner,
# the units they have achieved. For each learner we want to know:
#
# - have they achieved the Diploma already?
# - if not, how far along is each rule, and what is the **cheapest completion**: the fewest
#   further credits that would finish it, proved optimal?
# - are any of their units wasted (they count towards nothing)?
#
# Then a different question: a learner who completed the **NVQ** in Customer Service moves on to
# the Diploma. Which of their units carry over, and what remains?

# %%
import csv
import tempfile
from pathlib import Path

from solver import bundled_rules, load_qualification
from solver.audit import audit
from solver.audit.learners import audit_batch, iter_learners
from solver.audit.transfer import rank_qualifications, transfer

OUT = Path(tempfile.mkdtemp(prefix="qualpath-learners-"))
diploma = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
nvq = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")

# %% [markdown]
# ## The cohort
#
# A learner file is a CSV with one row per learner and unit (the `status` and `date` columns are
# optional; `planned` marks a unit the learner has booked but not achieved). We write a small one
# for four learners:

# %%
cohort = OUT / "cohort.csv"
cohort.write_text("""learner,unit,status,date
amira,deliver-customer-service,achieved,2024-09-12
amira,understand-customers,achieved,2024-09-26
amira,principles-customer-service,achieved,2024-10-10
amira,understand-employer-organisations,achieved,2024-10-24
amira,manage-personal-performance,achieved,2024-11-07
amira,communicate-verbally,achieved,2024-11-21
amira,incoming-calls,achieved,2025-01-16
amira,make-calls,achieved,2025-01-30
amira,resolve-problems,achieved,2025-02-13
amira,customer-feedback,achieved,2025-02-27
amira,contact-centre-incidents,achieved,2025-03-13
ben,deliver-customer-service,achieved,2024-09-12
ben,understand-customers,achieved,2024-09-26
ben,communicate-in-writing,achieved,2024-10-10
ben,contact-centre-incidents,achieved,2024-11-07
ben,negotiate,achieved,2024-12-05
chloe,deliver-customer-service,achieved,2024-09-12
chloe,health-and-safety,achieved,2024-09-26
chloe,diary-systems,achieved,2024-10-10
chloe,reception-services,achieved,2024-10-24
chloe,organise-event,planned,
dev,resolve-problems,achieved,2024-09-12
dev,develop-relationships,achieved,2024-10-10
""", encoding="utf-8")

learners = list(iter_learners(cohort, known_units=diploma.unit_ids()))
for record in learners:
    credits = sum(diploma.unit(u).credits for u in record.achieved)
    planned = f"; planned: {', '.join(record.planned)}" if record.planned else ""
    print(f"{record.learner:<6} {len(record.achieved):>2} units, {credits:>2} credits achieved{planned}")

# %% [markdown]
# ## One audit at a time
#
# `audit` answers all three questions for one learner. The cheapest completion is proved optimal
# in the same way as the cheapest pathway in notebook 01: it accounts for every pathway of the
# Diploma at once.

# %%
audits = {r.learner: audit(diploma, r.achieved, by="credits") for r in learners}
for name, a in audits.items():
    if a.achieved:
        print(f"{name}: has achieved the Diploma")
        continue
    print(f"{name}: {a.remaining['credits']} more credits at the least, by adding {len(a.best.add)} units:")
    print("    " + ", ".join(a.best.add))
    if a.not_counting:
        print("    not counting towards anything:", ", ".join(a.not_counting))

# %% [markdown]
# Ben's case is worth a closer look: he has 21 credits, but *Negotiate* (4 credits, Group C) does
# not count, because Group C allows at most 7 credits and his *Deal with incidents through a
# contact centre* already uses all 7. The rule-by-rule progress shows it: `exceeded` on Group C.
# `held` is what his units count now; `after` is where the cheapest completion takes him.

# %%
print(f"{'rule':<18} {'wants':<20} {'status':<9} {'held':>5} {'after':>6}")
for row in audits["ben"].progress:
    print(f"{row.rule:<18} {row.wants:<20} {row.status!s:<9} {row.held_credits:>5} {row.after_credits:>6}")

# %% [markdown]
# Chloe has booked *Contribute to the organisation of an event*. Will it help? Audit her as if she
# had already achieved it:

# %%
chloe = next(r for r in learners if r.learner == "chloe")
with_planned = audit(diploma, (*chloe.achieved, *chloe.planned), by="credits")
print("remaining now:              ", audits["chloe"].remaining["credits"], "credits")
print("remaining with the booking: ", with_planned.remaining["credits"], "credits")

# %% [markdown]
# It would not bring her any closer: her three Group C units already make the 7-credit maximum, so
# the booked unit could only count *instead of* one of them. A better use of her time is one of the
# units in her cheapest completion.
#
# ## The whole cohort at once
#
# For a real cohort (thousands of learners), `audit_batch` streams the file and writes one report
# row per learner. (Where several completions cost exactly the same, the report may name a
# different one of them than `audit` does; the least cost is the same.)

# %%
report = OUT / "report.csv"
audited = audit_batch(diploma, iter_learners(cohort), report, by="credits")
rows = list(csv.DictReader(report.open(encoding="utf-8")))
for row in rows:
    print(f"{row['learner']:<6} achieved: {row['achieved']:<4} remaining: {row['remaining_credits']:>2} credits;"
          f" not met: {row['not_met'] or '-'}")

# %% [markdown]
# ## Checking the answers a second way
#
# Every pathway has at least 45 credits, and a learner's own units can count for at most their
# credits, with Group C's counted at most 7. So no completion can cost less than
# 45 minus that. When a completion reaches that bound, nothing can beat it. Let us check each
# learner's completion against the bound, and check the completed pathway with plain Python
# against the handbook's sentences.

# %%
members = {g.id: set(g.units) for g in diploma.iter_groups()}
credit = {u: diploma.unit(u).credits for u in diploma.unit_ids()}


def meets_the_handbook(units):
    """The Diploma's rules, written out by hand."""
    got = {g: sum(credit[u] for u in units if u in members[g]) for g in members}
    return (members["mandatory"] <= set(units) and got["A"] >= 3 and got["B"] >= 16 and got["C"] <= 7
            and sum(credit[u] for u in units) >= 45)


def lower_bound(held):
    """Credits still needed, at the least: 45 minus what the held units can count."""
    in_c = sum(credit[u] for u in held if u in members["C"])
    others = sum(credit[u] for u in held if u not in members["C"])
    return max(0, 45 - others - min(in_c, 7))


for record in learners:
    a = audits[record.learner]
    bound = lower_bound(record.achieved)
    print(f"{record.learner:<6} bound {bound:>2}, audit {a.remaining['credits']:>2}, "
          f"completed pathway meets the handbook: {meets_the_handbook(a.best.pathway.units)}")

# %% [markdown]
# ## Credit transfer: from the NVQ to the Diploma
#
# Eli has completed the OCR Level 2 NVQ in Customer Service: four mandatory units and one optional.
# Three of those units are shared with the Diploma (same unit, from a shared library), so they carry
# over; the two NVQ-only units do not.

# %%
eli = ["nvq-positive-impression", "nvq-reliable-service", "develop-relationships", "resolve-problems",
       "promote-products"]
moving = transfer(nvq, diploma, eli, by="credits")
for carried in moving.carried:
    print(f"carries: {carried.unit} ({carried.how}, {credit[carried.as_unit]} credits)")
for unit in moving.not_carried:
    print(f"does not carry: {unit}")
print()
print(f"Diploma: {moving.audit.remaining['credits']} more credits at the least, adding {len(moving.audit.best.add)} units:")
print("   ", ", ".join(moving.audit.best.add))

# %% [markdown]
# The bound argument again: the carried units count 10 credits, so at least 35 remain, and the
# completion found adds exactly 35.
#
# Which bundled qualification is Eli closest to? `rank_qualifications` audits the learner against
# every structure in a folder (by units still to take, the one measure every structure has):

# %%
ranking = rank_qualifications(bundled_rules(), eli)
for row in ranking:
    state = "achieved" if row.audit.achieved else f"{row.audit.remaining['units']} units to add"
    print(f"{row.qualification:<20} {state:<16} {row.title}")

# %% [markdown]
# ## What we showed

# %%
assert [r.learner for r in learners] == ["amira", "ben", "chloe", "dev"]
assert chloe.planned == ("organise-event",)
assert audits["amira"].achieved and audits["amira"].remaining == {"credits": 0}
assert {n: int(a.remaining["credits"]) for n, a in audits.items()} == {"amira": 0, "ben": 28, "chloe": 33, "dev": 37}
assert audits["ben"].not_counting == ("negotiate",)
assert [str(r.status) for r in audits["ben"].progress if r.rule == "group C"] == ["exceeded"]
assert with_planned.remaining == audits["chloe"].remaining == {"credits": 33}
assert audited == 4 and [int(r["remaining_credits"]) for r in rows] == [0, 28, 33, 37]
assert [r["achieved"] for r in rows] == ["yes", "no", "no", "no"]
for record in learners:
    a = audits[record.learner]
    assert a.remaining["credits"] == lower_bound(record.achieved)
    assert meets_the_handbook(a.best.pathway.units)
    assert set(a.best.pathway.units) <= set(record.achieved) | set(a.best.add)
assert [c.unit for c in moving.carried] == ["develop-relationships", "resolve-problems", "promote-products"]
assert moving.not_carried == ("nvq-positive-impression", "nvq-reliable-service")
assert moving.audit.remaining == {"credits": 35} == {"credits": lower_bound([c.as_unit for c in moving.carried])}
assert meets_the_handbook(moving.audit.best.pathway.units)
assert ranking[0].qualification == "OCR-NVQ2-CS" and ranking[0].audit.achieved
assert next(r for r in ranking if r.qualification == "L2-DIP-CS").audit.remaining == {"units": 9}
print("all checks passed")

"""Unit-group graphs of the seed structures, and their GraphML / DOT / Mermaid exports."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import networkx as nx
import pytest

from solver.model import Barred, Group, Prerequisite, Qualification, Unit
from solver.model.errors import UsageError
from solver.model.load import bundled_rules, load_qualification
from viz.export import graphml_ready, to_dot, to_mermaid, write_dot, write_graphml, write_mermaid
from viz.graph import family_graph, to_graph, unit_nodes

DIPLOMA = "l2-diploma-customer-service.yaml"
NVQ = "ocr-l2-nvq-customer-service.yaml"
SHARED = {"resolve-problems", "develop-relationships", "promote-products", "support-improvements"}


@pytest.fixture(scope="module")
def diploma() -> Qualification:
    return load_qualification(bundled_rules() / DIPLOMA)


@pytest.fixture(scope="module")
def nvq() -> Qualification:
    return load_qualification(bundled_rules() / NVQ)


def edge_kinds(G: nx.DiGraph) -> Counter[str]:
    return Counter(kind for _, _, kind in G.edges(data="kind"))


def test_diploma_nodes_and_edges(diploma: Qualification) -> None:
    G = to_graph(diploma)
    kinds = Counter(kind for _, kind in G.nodes(data="kind"))
    # 1 qualification + mandatory, optional (all_of), A, B, C + 39 units
    assert kinds == {"qualification": 1, "group": 4, "all_of": 1, "unit": 39}
    assert G.number_of_nodes() == 1 + 5 + 39
    # qualification→mandatory, qualification→optional, optional→A, B, C; one edge per membership
    assert edge_kinds(G) == {"requirement": 2 + 3, "member": 5 + 2 + 17 + 15}
    assert set(G.successors("L2-DIP-CS")) == {"L2-DIP-CS/mandatory", "L2-DIP-CS/optional"}
    assert list(G.successors("L2-DIP-CS/optional")) == ["L2-DIP-CS/A", "L2-DIP-CS/B", "L2-DIP-CS/C"]


def test_diploma_group_totals_and_rules(diploma: Qualification) -> None:
    G = to_graph(diploma)
    mandatory = 5 + 2 + 4 + 4 + 4
    group_a = 3 + 3
    # incoming, make, promote, process, exceed, premises, handovers, resolve-problems, challenging,
    # develop-relationships, support-improvements, real-time, social, complaints, feedback,
    # self-service, post-transaction
    group_b = 3 + 3 + 2 + 3 + 3 + 4 + 3 + 5 + 3 + 3 + 3 + 3 + 3 + 4 + 5 + 3 + 5
    group_c = 2 + 2 + 3 + 3 + 3 + 2 + 3 + 2 + 2 + 3 + 3 + 7 + 5 + 4 + 3
    assert group_b == 58
    expected = {"mandatory": mandatory, "A": group_a, "B": group_b, "C": group_c,
                "optional": group_a + group_b + group_c}
    for rid, total in expected.items():
        assert G.nodes[f"L2-DIP-CS/{rid}"]["total_credits"] == Decimal(total)
    assert G.nodes["L2-DIP-CS"]["total_credits"] == Decimal(mandatory + group_a + group_b + group_c)
    rules = {rid: G.nodes[f"L2-DIP-CS/{rid}"]["rule"] for rid in expected}
    assert rules == {"mandatory": "all 5 units", "A": "min 3 credits", "B": "min 16 credits",
                     "C": "max 7 credits", "optional": "all of 3"}
    assert G.nodes["L2-DIP-CS/B"]["min_credits"] == Decimal(16)
    assert G.nodes["L2-DIP-CS/B"]["unit_count"] == 17
    assert G.nodes["L2-DIP-CS/B"]["path"] == "requirements[1].requirements[1]"
    assert G.nodes["L2-DIP-CS"]["rule"] == "min 45 credits"


def test_diploma_unit_attributes(diploma: Qualification) -> None:
    G = to_graph(diploma)
    mandatory = {u for u in unit_nodes(G) if G.nodes[u]["mandatory"]}
    assert mandatory == {"deliver-customer-service", "understand-customers", "principles-customer-service",
                         "understand-employer-organisations", "manage-personal-performance"}
    make_calls = G.nodes["make-calls"]
    assert make_calls["kind"] == "unit"
    assert make_calls["title"] == "Make telephone calls to customers"
    assert (make_calls["credits"], make_calls["level"]) == (Decimal(3), 2)
    assert make_calls["path"] == "units[8]"
    assert make_calls["groups"] == ("L2-DIP-CS/B",)
    assert G.nodes["resolve-complaints"]["level"] == 3
    assert "glh" not in make_calls  # None values are left out, not stored as None
    assert all(v is not None for _, attrs in G.nodes(data=True) for v in attrs.values())


def test_nvq_graph(nvq: Qualification) -> None:
    G = to_graph(nvq)
    assert G.number_of_nodes() == 1 + 2 + 8
    assert edge_kinds(G) == {"requirement": 2, "member": 4 + 4}
    assert G.nodes["OCR-NVQ2-CS/optional"]["rule"] == "min 1 unit, max 1 unit"
    assert G.nodes["OCR-NVQ2-CS"]["counts_credits"] is False
    assert G.nodes["nvq-reliable-service"]["elements"] == 3
    assert "credits" not in G.nodes["nvq-reliable-service"]


def test_family_graph_shares_unit_nodes(diploma: Qualification, nvq: Qualification) -> None:
    G = to_graph([nvq, diploma])
    assert len(unit_nodes(G)) == 39 + 8 - 4
    assert nx.utils.graphs_equal(G, family_graph([nvq, diploma]))
    for uid in SHARED:
        assert G.nodes[uid]["qualifications"] == ("OCR-NVQ2-CS", "L2-DIP-CS")
        assert len(G.nodes[uid]["groups"]) == 2
    # mandatory in the NVQ, optional in the Diploma: the node says "mandatory somewhere", each edge says where
    assert G.nodes["develop-relationships"]["mandatory"] is True
    assert G.edges["OCR-NVQ2-CS/mandatory", "develop-relationships"]["mandatory"] is True
    assert G.edges["L2-DIP-CS/B", "develop-relationships"]["mandatory"] is False
    assert G.graph["qualifications"] == ("OCR-NVQ2-CS", "L2-DIP-CS")
    assert edge_kinds(G)["member"] == (5 + 2 + 17 + 15) + (4 + 4)


def small(**extra: object) -> Qualification:
    units = tuple(Unit(id=u, title=f"Unit {u}", credits=Decimal(2), level=2) for u in "abcd")
    groups = (Group(id="G", title="Group G", units=("a", "b", "c")),
              Group(id="H", title="Group H", units=("c", "d")))
    return Qualification(id="Q", title="Q", units=units, requirements=groups, **extra)  # type: ignore[arg-type]


def test_prerequisite_and_barred_edges() -> None:
    q = small(prerequisites=(Prerequisite(unit="b", requires=("a",)),),
              barred=(Barred(units=("b", "c", "d"), reason="overlap"),))
    G = to_graph(q)
    assert G.edges["a", "b"]["kind"] == "prerequisite"  # required unit → the unit that needs it
    barred = {(u, v) for u, v, k in G.edges(data="kind") if k == "barred"}
    assert barred == {("b", "c"), ("b", "d"), ("c", "d")}
    assert G.edges["c", "d"]["reason"] == "overlap"


def test_unit_in_two_groups_is_one_node() -> None:
    G = to_graph(small())
    assert G.nodes["c"]["groups"] == ("Q/G", "Q/H")
    assert G.nodes["c"]["group"] == "Q/G"
    assert G.nodes["Q/G"]["total_credits"] == Decimal(6)


def test_status(diploma: Qualification) -> None:
    G = to_graph(diploma, status={"make-calls": "forced", "handovers": "DEAD"})
    assert (G.nodes["make-calls"]["status"], G.nodes["handovers"]["status"]) == ("forced", "dead")
    with pytest.raises(UsageError, match="expected one of dead, forced, free"):
        to_graph(diploma, status={"make-calls": "maybe"})
    with pytest.raises(UsageError, match="'nope', which is not a unit"):
        to_graph(diploma, status={"nope": "free"})


# --- exports -----------------------------------------------------------------------------------

def test_graphml_round_trip(tmp_path, diploma: Qualification, nvq: Qualification) -> None:  # type: ignore[no-untyped-def]
    G = to_graph([nvq, diploma])
    path = write_graphml(G, tmp_path / "family.graphml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["family.graphml"]
    H = nx.read_graphml(path)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert H.nodes["L2-DIP-CS/B"]["total_credits"] == 58.0
    assert H.nodes["develop-relationships"]["qualifications"] == "OCR-NVQ2-CS L2-DIP-CS"
    assert H.nodes["nvq-reliable-service"].get("credits") is None
    assert graphml_ready(G).nodes["make-calls"]["credits"] == 3.0


def test_dot_has_every_title_and_clusters(diploma: Qualification) -> None:
    G = to_graph(diploma)
    dot = to_dot(G)
    for uid in unit_nodes(G):
        assert G.nodes[uid]["title"] in dot
    assert dot.count("subgraph cluster_") == 5
    assert dot.count("{") == dot.count("}")
    assert 'label="Optional Group B";' in dot
    assert "min 16 credits (58 credits available)" in dot


def tricky() -> Qualification:
    units = (Unit(id="q1", title='Say "hello" [politely] (twice) #1 <b> {x} | `y`'),
             Unit(id="q2", title="Back\\slash and customers' premises"))
    return Qualification(id="T", title='The "tricky" one', units=units,
                         requirements=(Group(id="g", title="Group [1]", units=("q1", "q2")),))


def test_dot_quoting() -> None:
    dot = to_dot(to_graph(tricky()))
    assert r'label="Say \"hello\" [politely] (twice) #1 <b> {x} | `y`"' in dot
    assert r'label="Back\\slash and customers' + "'" + r' premises"' in dot
    assert r'label="The \"tricky\" one"' in dot
    # every quoted string is closed: removing escaped quotes leaves an even number of quotes per line
    for line in dot.splitlines():
        assert line.replace('\\"', "").count('"') % 2 == 0, line


def test_mermaid_escaping_and_titles(diploma: Qualification) -> None:
    text = to_mermaid(to_graph(tricky()))
    labels = re.findall(r'\["(.*?)"\]', text)
    expected = ("Say #quot;hello#quot; #91;politely#93; #40;twice#41; #35;1 #lt;b#gt; "
                "#123;x#125; #124; #96;y#96;")
    assert expected in labels
    for label in labels:
        assert not set(label) & set('"[](){}|`'), label
    G = to_graph(diploma)
    text = to_mermaid(G)
    assert text.startswith("flowchart TB\n")
    assert text.count("subgraph ") == text.count("\n  end") + text.count("\n    end") == 5
    for uid in unit_nodes(G):
        title = G.nodes[uid]["title"]
        assert f'["{title}<br/>' in text, title


def test_writers_leave_only_their_file(tmp_path, nvq: Qualification) -> None:  # type: ignore[no-untyped-def]
    G = to_graph(nvq)
    write_dot(G, tmp_path / "nvq.dot")
    write_mermaid(G, tmp_path / "nvq.mmd")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nvq.dot", "nvq.mmd"]
    assert (tmp_path / "nvq.mmd").read_text(encoding="utf-8") == to_mermaid(G)


def test_solver_does_not_import_viz_or_matplotlib() -> None:
    code = ("import sys, solver, solver.model.load, solver.model, solver.model.validate; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('viz', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

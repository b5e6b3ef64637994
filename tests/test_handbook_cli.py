"""qualpath import and qualpath handbook as a designer runs them: files written, exit codes, bad documents.

Every bad document gives a clear message, exit 1 and no file written, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from handbook_build import build_docx

import solver.handbook.sources as sources
from solver import UsageError, count_pathways, load_qualification
from solver.cli.handbook import register

HERE = Path(__file__).resolve().parent
HANDBOOKS = HERE / "handbooks"
ROOT = HERE.parent
DIPLOMA = HANDBOOKS / "seed-l2-diploma-customer-service.md"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="qualpath")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return int(args.func(args))


def test_import_writes_a_rule_file_with_sources_and_exits_0(tmp_path, capsys):
    out = tmp_path / "diploma.yaml"
    assert run("import", str(DIPLOMA), "-o", str(out)) == 0
    said = capsys.readouterr().out
    assert "Review: nothing to review" in said
    assert "67,418,986 pathways (1,939,380 minimal)" in said and "cheapest 45 credits, 11 units (442 tie)" in said
    assert "Declared figures: 5 check out" in said
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported by qualpath import from")
    assert "# handbook: line 26\n- {id: '1', title: Deliver customer service" in text  # the table's first row
    assert count_pathways(load_qualification(out)).pathways == 67418986


def test_import_json(tmp_path, capsys):
    out = tmp_path / "nvq.yaml"
    assert run("import", str(HANDBOOKS / "seed-ocr-l2-nvq-customer-service.txt"), "-o", str(out), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["clean"] is True and data["review"] == [] and data["check"]["pathways"] == 4


def test_anything_to_review_exits_1_and_still_writes(tmp_path, capsys):
    source = tmp_path / "cert.txt"
    source.write_text("Level 1 Award in Examples\n\nThe learner must achieve 6 credits. Up to 2 units may be "
                      "imported from any other training package.\n\nMandatory units\nTitle\tCredits\nPlan\t3\n\n"
                      "Optional units\nTitle\tCredits\nGive\t3\nReview\t4\n", encoding="utf-8")
    out = tmp_path / "cert.yaml"
    assert run("import", str(source), "-o", str(out)) == 1
    said = capsys.readouterr().out
    assert "Review: 2 items" in said
    assert "line 3: inferred: '6 credits': read as a minimum of 6 credits for the qualification" in said
    assert "line 3: not used: Up to 2 units may be imported from any other training package." in said
    text = out.read_text(encoding="utf-8")
    assert "# Review: 2 items" in text and "min_credits: 6" in text


def _encrypted_pdf() -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
               b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += (b"trailer\n<< /Size 4 /Root 1 0 R /Encrypt 3 0 R /ID [<" + b"01" * 16 + b"><" + b"01" * 16
            + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out


def _scanned_pdf(path: Path) -> None:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"pdf.compression": 0}):
        figure = Figure(figsize=(4, 4))
        figure.figimage(np.array([[0.2, 0.8], [0.8, 0.2]]), resize=True)  # a picture of a page, no text
        figure.savefig(path, format="pdf")


def _bad(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / {"empty": "a.txt", "binary": "b.txt", "scanned": "c.pdf", "encrypted": "d.pdf",
                       "truncated": "e.docx", "no-units": "f.txt", "not-pdf": "g.pdf", "doc": "h.doc",
                       "huge": "i.txt"}[kind]
    if kind == "empty":
        path.write_bytes(b"\n\n")
    elif kind == "binary":
        path.write_bytes(zlib.compress(bytes(range(256)) * 64))
    elif kind == "scanned":
        _scanned_pdf(path)
    elif kind == "encrypted":
        path.write_bytes(_encrypted_pdf())
    elif kind == "truncated":
        whole = build_docx("## Mandatory units\n\nTitle\tCredits\nPlan\t3\n", tmp_path / "whole.docx").read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    elif kind == "no-units":
        path.write_text("The learner must achieve a minimum of 45 credits.\n", encoding="utf-8")
    elif kind == "not-pdf":
        path.write_text("hello", encoding="utf-8")
    elif kind == "doc":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    else:
        path.write_text("Mandatory units\n" + "x" * 2000 + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("kind", "words"), [
    ("empty", "the file is empty"),
    ("binary", "not a text file, a PDF, a Word (.docx) document or a web page"),
    ("scanned", "the PDF has no text layer (a scanned document?)"),
    ("encrypted", "the PDF is encrypted (password protected)"),
    ("truncated", "cannot read the Word document"),
    ("no-units", "found no unit table or unit list"),
    ("not-pdf", "this is not a PDF"),
    ("doc", "an old Word (.doc) file; expected .docx"),
    ("huge", "more than the 1,000 read at most"),
])
def test_bad_documents_say_why_exit_1_and_write_nothing(tmp_path, capsys, monkeypatch, kind, words):
    if kind == "huge":
        monkeypatch.setattr(sources, "MAX_BYTES", 1000)
    source = _bad(tmp_path, kind)
    out = tmp_path / "out.yaml"
    assert run("import", str(source), "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert words in err and "nothing written" in err and "Traceback" not in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.yaml")] == []


def test_usage_errors(tmp_path):
    with pytest.raises(UsageError, match=r"expected \.yaml or \.yml"):
        run("import", str(DIPLOMA), "-o", str(tmp_path / "x.txt"))
    same = tmp_path / "handbook.yaml"
    same.write_text(DIPLOMA.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(UsageError, match="refusing to write over the input file"):
        run("import", str(same), "-o", str(same))
    with pytest.raises(UsageError, match="does not exist"):
        run("handbook", "diploma", "-o", str(tmp_path / "missing" / "x.md"))
    with pytest.raises(UsageError, match=r"expected \.md, \.html, \.htm, \.docx or \.pdf"):
        run("handbook", "diploma", "-o", str(tmp_path / "x.png"))


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".pdf"])
def test_handbook_writes_each_format_and_it_imports_back(tmp_path, capsys, suffix):
    out = tmp_path / f"structure{suffix}"
    assert run("handbook", "nvq", "-o", str(out), "--no-diagram") == 0
    assert capsys.readouterr().out.strip() == str(out)
    back = tmp_path / "back.yaml"
    assert run("import", str(out), "-o", str(back)) == 0
    assert count_pathways(load_qualification(back)).pathways == 4


def test_handbook_with_the_diagram(tmp_path):
    md = tmp_path / "diploma.md"
    assert run("handbook", "diploma", "-o", str(md)) == 0
    assert (tmp_path / "diploma-diagram.png").read_bytes()[:4] == b"\x89PNG"
    text = md.read_text(encoding="utf-8")
    assert "![Structure diagram](diploma-diagram.png)" in text
    assert ("The learner must achieve a minimum of 45 credits: 19 credits from Mandatory units, a minimum of 3 "
            "credits from Optional Group A, a minimum of 16 credits from Optional Group B and a maximum of 7 "
            "credits from Optional Group C.") in text
    html = tmp_path / "diploma.html"
    assert run("handbook", "diploma", "-o", str(html)) == 0
    assert "data:image/png;base64," in html.read_text(encoding="utf-8")


def test_solver_handbook_loads_no_drawing_library():
    # which stages solver.handbook may import is tests/test_architecture.py's to check
    code = ("import sys, solver.handbook, solver.handbook.write, solver.cli.handbook; "
            "print('matplotlib' in sys.modules, 'viz' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == ["False", "False"]

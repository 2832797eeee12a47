"""The facts the code cites are in the repository: every citation of docs/ resolves.

Code cites the facts it relies on as `docs/billy-api.md §3.4`, `docs/billy-api.md open
question 17`, `docs/shoporama-api.md §3.1` and `docs/invariants.md I2`; each must name a
section, question or invariant that exists, or a reader is sent nowhere.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ("billy-api.md", "shoporama-api.md", "invariants.md")
CITING = (".py", ".md", ".html", ".toml", ".txt")

SECTION_CITE = re.compile(
    r"docs/(billy-api|shoporama-api|invariants)\.md`?((?:\s*(?:,|–|-|and)?\s*§\d+(?:\.\d+)?)+)"
)
QUESTION_CITE = re.compile(r"docs/billy-api\.md\s+open\s+question\s+(\d+)")
INVARIANT_CITE = re.compile(r"docs/invariants\.md\s+(I\d+)")


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: nothing to list")
    return [ROOT / name for name in listed if name.endswith(CITING)]


def sections(doc: str) -> set[str]:
    """Numbers of the `## N.` and `### N.M` headings, plus N.K for question K of a section."""
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    found = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", text, re.M))
    # shoporama-api.md §8.6 is question 6 of §8 "Open questions"
    open_questions = re.compile(r"^## (\d+)\. Open questions.*?\n(.*?)(?=^## |\Z)", re.M | re.S)
    for number, body in open_questions.findall(text):
        found |= {f"{number}.{q}" for q in re.findall(r"^(\d+)\. ", body, re.M)}
    return found


def billy_open_questions() -> set[str]:
    text = (ROOT / "docs" / "billy-api.md").read_text(encoding="utf-8")
    block = re.search(r"^## 6\. Open questions.*?(?=^## )", text, re.M | re.S)
    assert block, "docs/billy-api.md has no §6 Open questions"
    return set(re.findall(r"^(\d+)\. ", block.group(0), re.M))


def test_every_citation_names_something_that_exists() -> None:
    known = {doc.removesuffix(".md"): sections(doc) for doc in DOCS}
    questions = billy_open_questions()
    invariants_text = (ROOT / "docs" / "invariants.md").read_text(encoding="utf-8")
    broken = []
    for path in tracked_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(ROOT)
        for match in SECTION_CITE.finditer(text):
            for number in re.findall(r"§(\d+(?:\.\d+)?)", match.group(2)):
                if number not in known[match.group(1)]:
                    broken.append(f"{where}: docs/{match.group(1)}.md §{number}")
        for match in QUESTION_CITE.finditer(text):
            if match.group(1) not in questions:
                broken.append(f"{where}: docs/billy-api.md open question {match.group(1)}")
        for match in INVARIANT_CITE.finditer(text):
            if f"**{match.group(1)}**" not in invariants_text:
                broken.append(f"{where}: docs/invariants.md {match.group(1)}")
    assert broken == [], "citations of sections that do not exist:\n" + "\n".join(broken)


def test_the_readmes_pictures_are_in_the_repository() -> None:
    """The README shows the overview and an order page; each picture it names is a PNG that
    git tracks (they come from the merchant browser test's `readme-en-*` screenshots)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert {"docs/images/overview.png", "docs/images/order.png"} <= set(pictures)
    listed = subprocess.run(
        ["git", "ls-files", *pictures], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    assert sorted(listed) == sorted(pictures)
    for picture in pictures:
        assert (ROOT / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", picture

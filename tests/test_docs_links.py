"""The README and docs/*.md link only to files and headings that exist, and the README keeps the two set-up commands.

Anchors follow GitHub's rules: a heading's text (code, emphasis and link markup removed) in lower case, every
character that is not a letter, digit, underscore, hyphen or space dropped, spaces turned into hyphens; a heading
whose anchor is already taken in the file gets ``-1``, ``-2`` ... Links inside code (fenced blocks and inline code
spans) are not links and are not checked; links with a scheme (``https:``, ``mailto:``) are not checked either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Link:
    source: Path
    line: int
    target: str

    def __str__(self) -> str:
        return f"{self.source.relative_to(ROOT)}:{self.line}: {self.target}"


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, numbered from 1, with inline code spans blanked out."""
    lines: list[tuple[int, str]] = []
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, CODE_SPAN.sub("code", line)))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link reads as its text
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(document: Path) -> set[str]:
    """Every anchor a Markdown file offers: one per heading (numbered as GitHub numbers repeats) and HTML anchors."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    text = document.read_text(encoding="utf-8")
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        found.update(HTML_ANCHOR.findall(line))
        match = HEADING.match(line)
        if match is None:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(document: Path) -> list[Link]:
    return [
        Link(document, number, target)
        for number, line in prose_lines(document.read_text(encoding="utf-8"))
        for target in LINK.findall(line)
    ]


def broken(link: Link) -> str | None:
    """Why ``link`` does not resolve, or None when it does (or is not a relative link)."""
    if SCHEME.match(link.target) or link.target.startswith("//"):
        return None
    path, _, anchor = link.target.partition("#")
    if path.startswith("/"):
        return "an absolute path: GitHub reads it from the site's root, not the repository's"
    target = link.source if path == "" else (link.source.parent / path).resolve()
    if not target.exists():
        return f"no such file: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
    if anchor == "":
        return None
    if target.suffix != ".md":
        return f"an anchor into {target.name}, which has no headings"
    if anchor not in anchors(target):
        return f"no heading in {target.relative_to(ROOT)} has the anchor #{anchor}"
    return None


def test_the_documents_hold_links_at_all() -> None:
    """The link check below checks something: the README links into docs/, and every docs page is linked to."""
    targets = {
        (link.source.parent / link.target.partition("#")[0]).resolve() for doc in DOCUMENTS for link in links(doc)
    }
    unlinked = [doc.relative_to(ROOT) for doc in DOCUMENTS[1:] if doc.resolve() not in targets]
    assert unlinked == [], f"docs pages no README or docs page links to: {unlinked}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_and_anchor_resolves(document: Path) -> None:
    problems = [f"{link}: {reason}" for link in links(document) if (reason := broken(link)) is not None]
    assert problems == [], "\n".join(problems)


def test_the_readme_keeps_the_set_up_commands_under_their_heading() -> None:
    """`bash scripts/example.sh` and `bash scripts/test.sh` stay in the README (.ci/run runs the second, and people
    look for both there), as lines of a code block in the section whose heading says they are the set-up commands."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Set-up commands\b.*?(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    assert section is not None, "README.md has no '## Set-up commands' section"
    commands = [line.strip() for line in re.findall(r"^```sh\n(.*?)^```", section.group(0), re.MULTILINE | re.DOTALL)]
    assert "bash scripts/example.sh" in commands
    assert "bash scripts/test.sh" in commands
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("The shared workspace", "the-shared-workspace"),
        (
            "Set-up commands (fresh Debian machine, run from the repository root)",
            "set-up-commands-fresh-debian-machine-run-from-the-repository-root",
        ),
        ("Export to OTM (0.2.0)", "export-to-otm-020"),
        ("`--fail-on LEVEL`", "--fail-on-level"),
        (
            "Change requests: the smartification review as the way changes enter",
            "change-requests-the-smartification-review-as-the-way-changes-enter",
        ),
        (
            "Step 1 rules (findings of 'analyze') / ステップ1のルール（analyze の指摘）",
            "step-1-rules-findings-of-analyze--ステップ1のルールanalyze-の指摘",
        ),
        ("REQ-transfer-confidentiality", "req-transfer-confidentiality"),
    ],
)
def test_anchors_follow_githubs_rules(heading: str, expected: str) -> None:
    assert slug(heading) == expected

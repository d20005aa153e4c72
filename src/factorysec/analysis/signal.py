"""Signal over noise (issue #23 item 6): one finding per gap, listing the parties, phases or areas it concerns.

Several rules find the same gap once per party, per OODA phase, per maturity
area or per missing part: a plant manager reads the same sentence five times.
:func:`merge_gaps` folds each such rule's findings on one factory (or, for a
requirement's points, on one requirement) into one finding whose id is
stable whatever the number of parties (``<rule>@<factory id>``, or
``<rule>@<requirement id>``), whose rationale lists every part, and whose
``related`` keeps the ids of everything concerned. The folded rules and their
ids are listed in :data:`MERGED_RULES` and in ``docs/scoring.md``.

Step 1 and Step 3 find one missing responsibility twice: the Step 1 threat
``THREAT-INCIDENT-COORDINATION@<party>`` (no one named for incident response
and operation with a party that runs part of the factory) and the Step 3 gap
``S3-RESP-GAP@<asset or operation>`` (the party's responsibility division has
unnamed areas). The Step 3 gap about a party the threat already names is
folded into the threat (which keeps its id and its risk ranking, and whose
rationale then lists the Step 3 areas); the Step 3 responsibility matrix
still shows every area.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from factorysec.analysis.findings import Finding, Subject, text
from factorysec.analysis.lifecycle.rules import LIFECYCLE_RULES
from factorysec.analysis.rules import RULES
from factorysec.catalog.models import Text

MergeScope = Literal["factory", "subject"]

MERGED_RULES: dict[str, MergeScope] = {
    "S1-INCIDENT-IMPACT": "factory",
    "S3-PDCA-STRUCTURE": "factory",
    "S3-OODA-NO-DECIDER": "factory",
    "S3-OODA-NO-VENDOR-CHANNEL": "factory",
}
"""Rules whose findings are one gap found per part, and what their merged finding is on.

``factory``: every finding of the rule becomes one, ``<rule>@<factory id>``
(the per-party ``S1-INCIDENT-IMPACT@<party>`` and
``S3-OODA-NO-VENDOR-CHANNEL@<party>``, the per-part
``S3-PDCA-STRUCTURE@<factory>#<part>``, the per-phase
``S3-OODA-NO-DECIDER@<factory>#<stage.phase>``); ``subject``: the findings on one
subject become one, ``<rule>@<subject id>`` (none yet).

Not merged: ``S1-BCP-VIEWPOINT`` (each viewpoint is its own item of the BCP
review that a change review points at by id) and
``S1-REQUIREMENT-CONSEQUENCE`` (each point cites its own clause of the
standard or law), ``S3-MATURITY-UNASSESSED`` (each area of Table 3-9 is
assessed on its own, and a comparison shows each one resolved).
"""

RESPONSIBILITY_THREAT = "THREAT-INCIDENT-COORDINATION"
RESPONSIBILITY_GAP = "S3-RESP-GAP"

_SUBJECT_WORDS: dict[str, tuple[str, str]] = {
    "party": ("parties", "事業者"),
    "asset": ("assets", "資産"),
    "zone": ("zones", "ゾーン"),
    "operation": ("operations", "業務"),
    "requirement": ("requirements", "要求事項"),
}


def _part(finding: Finding) -> str:
    """What one finding of a merged gap is about: its key (``#...``) or, without one, its subject's id."""
    _, _, key = finding.id.partition("#")
    return key or finding.subject.id


def _concerns(findings: Sequence[Finding]) -> tuple[str, str]:
    """The opening of a merged rationale: how many parties (phases, areas ...) the gap concerns, and which."""
    parts = list(dict.fromkeys(_part(f) for f in findings))
    kind = findings[0].subject.kind
    if all(f.subject.kind == kind for f in findings) and "#" not in findings[0].id and kind in _SUBJECT_WORDS:
        en_word, ja_word = _SUBJECT_WORDS[kind]
    else:
        en_word, ja_word = "parts", "項目"
    if len(parts) == 1:
        return f"Concerns {parts[0]}: ", f"{parts[0]}に関わる："
    return (
        f"Concerns {len(parts)} {en_word} ({', '.join(parts)}): ",
        f"{len(parts)}件の{ja_word}（{'、'.join(parts)}）に関わる：",
    )


def _merged(findings: Sequence[Finding], subject: Subject) -> Finding:
    """One finding for a gap found once per part: the first finding's rule fields, every part's rationale, everything related."""
    first = findings[0]
    if len(findings) == 1 and first.subject == subject and "#" not in first.id:
        return first
    opening_en, opening_ja = _concerns(findings)
    rationale = text(
        opening_en + "; ".join(f.rationale.en for f in findings),
        opening_ja + "。".join(f.rationale.ja for f in findings),
    )
    titles = {f.title for f in findings}
    title = first.title if len(titles) == 1 else _generic_title(first)
    related = dict.fromkeys(
        [*(f.subject.id for f in findings if f.subject != subject), *(r for f in findings for r in f.related)]
    )
    return first.model_copy(
        update={
            "id": f"{first.rule}@{subject.id}",
            "subject": subject,
            "title": title,
            "rationale": rationale,
            "related": tuple(related),
        }
    )


def _generic_title(finding: Finding) -> Text:
    """A rule's own title, for a merged gap whose findings had titles of their own (one per viewpoint)."""
    for rule in (*RULES, *LIFECYCLE_RULES):
        if rule.id == finding.rule:
            return rule.title
    return finding.title


def merge_gaps(findings: Iterable[Finding], factory_id: str) -> list[Finding]:
    """``findings`` with each gap of :data:`MERGED_RULES` once, in the place of its first finding; every other finding unchanged, in order."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    order: list[Finding | tuple[str, str]] = []
    for finding in findings:
        scope = MERGED_RULES.get(finding.rule)
        if scope is None:
            order.append(finding)
            continue
        key = (finding.rule, factory_id if scope == "factory" else finding.subject.id)
        group = groups.get(key)
        if group is None:
            groups[key] = [finding]
            order.append(key)
        else:
            group.append(finding)
    merged: list[Finding] = []
    for entry in order:
        if isinstance(entry, Finding):
            merged.append(entry)
            continue
        group = groups[entry]
        subject = Subject(kind="factory", id=factory_id) if MERGED_RULES[entry[0]] == "factory" else group[0].subject
        merged.append(_merged(group, subject))
    return merged


def fold_responsibility_gaps(
    findings: list[Finding], lifecycle: Sequence[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """Fold each Step 3 ``S3-RESP-GAP`` about a party that a Step 1 ``THREAT-INCIDENT-COORDINATION`` already names into that threat.

    Returns the Step 1 findings (the threats' rationales and ``related``
    extended, their ids unchanged) and the Step 3 findings without the folded
    gaps: one missing responsibility, counted once.
    """
    threats = {f.subject.id: i for i, f in enumerate(findings) if f.rule == RESPONSIBILITY_THREAT}
    if not threats:
        return findings, list(lifecycle)
    kept: list[Finding] = []
    folded: dict[int, list[Finding]] = {}
    for gap in lifecycle:
        party = next((r for r in gap.related if r in threats), None) if gap.rule == RESPONSIBILITY_GAP else None
        if party is None:
            kept.append(gap)
        else:
            folded.setdefault(threats[party], []).append(gap)
    if not folded:
        return findings, kept
    result = list(findings)
    for position, gaps in folded.items():
        threat = result[position]
        result[position] = threat.model_copy(
            update={
                "rationale": text(
                    threat.rationale.en
                    + ". Step 3 responsibility division ("
                    + "; ".join(f"{g.id}: {g.rationale.en}" for g in gaps)
                    + ")",
                    threat.rationale.ja
                    + "。Step 3 の責任分担（"
                    + "。".join(f"{g.id}：{g.rationale.ja}" for g in gaps)
                    + "）",
                ),
                "related": tuple(dict.fromkeys([*threat.related, *(g.subject.id for g in gaps)])),
            }
        )
    return result, kept

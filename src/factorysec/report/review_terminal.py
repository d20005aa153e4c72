"""The smartification review in the terminal and as JSON, in English or Japanese. Renders only; computes nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.console import Console

from factorysec.analysis.review import ChangeReview, ElementChange, FindingChange
from factorysec.report.glossary import reference, value
from factorysec.report.inert import terminal_text

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Smartification review",
        "no_change": "No change: the two versions describe the same factory.",
        "elements": "1. Elements added, removed or changed (Steps 1-1 to 1-7; Annex A steps 1-2)",
        "flows": "2. New data flows and the zones they connect (Annex A step 2)",
        "zoning": "3. Zoning review (Annex A step 3; Appendix 3.1.6 Step 1-6)",
        "new_zones": "New zones",
        "removed_zones": "Removed zones",
        "splits": "Zones divided",
        "to_review": "Zones whose requirements must be reviewed",
        "zoning_findings": "Zoning findings",
        "requirements": "4. Requirements within and between zones (Appendix 3.1.7 Step 1-7, Table 3-4)",
        "threats": "5. Threats and other findings (Step 1-7)",
        "measures": "Measures newly required (Step 2-2)",
        "stakeholders": "6. New stakeholders, checklists and responsibility (Step 1-1 (3); Appendix 3.3 (2), Tables 3-10 to 3-12)",
        "checklists": "Checklists to go through",
        "responsibilities": "Responsibility boundaries to settle",
        "bcp": "7. BCP review items (Appendix 3.1.1 (1))",
        "none": "none",
        "added": "added",
        "removed": "removed",
        "changed": "changed",
        "new": "new",
        "resolved": "resolved",
        "level-changed": "level changed",
        "updated": "updated",
        "smart": "smartification",
        "within": "inside the zone",
        "control": "control instructions",
        "sensitive": "sensitive",
        "external": "external network",
        "into": "into",
        "moved": "moved",
        "sub_zones": "as sub-zones",
        "new_zone": "new zone",
        "findings": "findings",
        "covered": "already covered by the BCP",
        "not_covered": "to add to the BCP",
        "brings": "brings",
        "answered": "{a} of {n} items answered",
        "settled": "settled",
        "unsettled": "nothing settled yet",
        "in_place": "in place",
        "missing": "not in place",
        "before": "before",
        "after": "after",
        "summary": "{e} element changes, {f} new data flows, {z} zones to review, {r} requirement changes, {t} finding changes, {b} BCP items",
    },
    "ja": {
        "title": "スマート化の見直し",
        "no_change": "変更なし：二つの版は同じ工場を表している。",
        "elements": "1. 追加・削除・変更された要素（ステップ1-1〜1-7、付録A 手順1-2）",
        "flows": "2. 新しいデータフローと接続するゾーン（付録A 手順2）",
        "zoning": "3. ゾーニングの見直し（付録A 手順3、3.1.6 ステップ1-6）",
        "new_zones": "新しいゾーン",
        "removed_zones": "削除されたゾーン",
        "splits": "分割されたゾーン",
        "to_review": "要件を見直すべきゾーン",
        "zoning_findings": "ゾーニングの指摘",
        "requirements": "4. ゾーン内・ゾーン間の要件（3.1.7 ステップ1-7、表3-4）",
        "threats": "5. 脅威とその他の指摘（ステップ1-7）",
        "measures": "新たに必要な対策（ステップ2-2）",
        "stakeholders": "6. 新たな関係者、チェックリスト、責任分界（ステップ1-1 (3)、3.3 (2) 表3-10〜3-12）",
        "checklists": "確認すべきチェックリスト",
        "responsibilities": "確認すべき責任分界",
        "bcp": "7. BCP の見直し項目（3.1.1 (1)）",
        "none": "なし",
        "added": "追加",
        "removed": "削除",
        "changed": "変更",
        "new": "新規",
        "resolved": "解消",
        "level-changed": "レベル変更",
        "updated": "内容変更",
        "smart": "スマート化",
        "within": "ゾーン内",
        "control": "制御指示",
        "sensitive": "機微",
        "external": "外部ネットワーク",
        "into": "分割先",
        "moved": "移動",
        "sub_zones": "サブゾーンとして",
        "new_zone": "新ゾーン",
        "findings": "指摘",
        "covered": "BCP に反映済み",
        "not_covered": "BCP への反映が必要",
        "brings": "持ち込むもの",
        "answered": "{n} 項目中 {a} 項目回答済み",
        "settled": "確認済み",
        "unsettled": "未確認",
        "in_place": "実施済み",
        "missing": "未実施",
        "before": "変更前",
        "after": "変更後",
        "summary": "要素の変更 {e} 件、新しいデータフロー {f} 件、見直すゾーン {z} 件、要件の変更 {r} 件、指摘の変更 {t} 件、BCP 項目 {b} 件",
    },
}


def _links(findings: Sequence[str], label: dict[str, str]) -> str:
    return f"\n      [dim]{label['findings']}: {terminal_text(', '.join(findings))}[/dim]" if findings else ""


def _ref(reference_text: str, lang: str = "en") -> str:
    return f"[dim]· {terminal_text(reference(reference_text, lang))}[/dim]"


def _element_line(element: ElementChange, label: dict[str, str], lang: str = "en") -> str:
    status = value("status", str(element.status), lang)
    smart = f" [cyan]{label['smart']} ({status})[/cyan]" if element.smartification else ""
    kind = value("subject_kind", str(element.kind), lang)
    line = f"  [bold]{label[element.change]}[/bold] {kind} [bold]{terminal_text(element.id)}[/bold] {terminal_text(element.name)}{smart} {_ref(element.reference, lang)}"
    for field in element.fields:
        line += f"\n      {terminal_text(field.field)}: {terminal_text(json.dumps(field.before, ensure_ascii=False))} → {terminal_text(json.dumps(field.after, ensure_ascii=False))}"
    return line + _links(element.findings, label)


def _finding_line(change: FindingChange, lang: str, label: dict[str, str]) -> str:
    before = value("level", change.level_before, lang) if change.level_before else "-"
    after = value("level", change.level_after, lang) if change.level_after else "-"
    level = f" ({before} → {after})" if change.change == "level-changed" else ""
    return (
        f"  [bold]{label[change.change]}[/bold]{level} [bold]{terminal_text(change.id)}[/bold] {_ref(change.reference, lang)}\n"
        f"      {terminal_text(change.title.get(lang))}: {terminal_text(change.rationale.get(lang))}"
    )


def render_review(change_review: ChangeReview, console: Console, lang: str = "en") -> None:
    """Print the review in the order of the appendix's procedure."""
    label = LABELS[lang]
    title = f" — {terminal_text(change_review.title)}" if change_review.title else ""
    console.print(
        f"[bold]{label['title']}[/bold] {terminal_text(change_review.factory_id)}{title} [dim]({change_review.before_digest} → {change_review.after_digest})[/dim]"
    )
    if not change_review.has_changes:
        console.print(label["no_change"])
        return

    def heading(key: str, count: int) -> None:
        console.print(f"\n[bold underline]{label[key]}[/bold underline] ({count})")
        if not count:
            console.print(f"  {label['none']}")

    heading("elements", len(change_review.elements))
    for element in change_review.elements:
        console.print(_element_line(element, label, lang), highlight=False)

    heading("flows", len(change_review.data_flows))
    for flow in change_review.data_flows:
        marks = []
        if flow.within_zone:
            marks.append(label["within"])
        if flow.control_instructions:
            marks.append(label["control"])
        if flow.external_network != "none":
            marks.append(f"{label['external']}: {value('external_network', str(flow.external_network), lang)}")
        carried = ", ".join(flow.data) or flow.carries or "-"
        sensitive = (
            f" [red]{label['sensitive']}: {terminal_text(', '.join(flow.sensitive_data))}[/red]"
            if flow.sensitive_data
            else ""
        )
        console.print(
            f"  [bold]{label[flow.change]}[/bold] [bold]{terminal_text(flow.conduit)}[/bold] {terminal_text(flow.from_zone)} → {terminal_text(flow.to_zone)}"
            f" [{terminal_text(carried)}]{sensitive} {terminal_text('; '.join(marks))} {_ref(flow.reference, lang)}{_links(flow.findings, label)}",
            highlight=False,
        )

    zoning = change_review.zoning
    heading("zoning", len(zoning.new_zones) + len(zoning.splits) + len(zoning.zones_to_review) + len(zoning.findings))
    if zoning.new_zones:
        console.print(f"  {label['new_zones']}: {terminal_text(', '.join(zoning.new_zones))}", highlight=False)
    if zoning.removed_zones:
        console.print(f"  {label['removed_zones']}: {terminal_text(', '.join(zoning.removed_zones))}", highlight=False)
    for split in zoning.splits:
        how = f" {label['sub_zones']}" if split.sub_zones else ""
        moved = f"; {label['moved']}: {', '.join(split.moved_assets)}" if split.moved_assets else ""
        console.print(
            f"  {label['splits']}: [bold]{terminal_text(split.zone)}[/bold] {label['into']} {terminal_text(', '.join(split.into))}{how}{terminal_text(moved)} {_ref(split.reference, lang)}{_links(split.findings, label)}",
            highlight=False,
        )
    if zoning.zones_to_review:
        console.print(f"  [bold]{label['to_review']}[/bold]")
    for zone in zoning.zones_to_review:
        marker = f" [yellow]{label['new_zone']}[/yellow]" if zone.new else ""
        console.print(
            f"   • [bold]{terminal_text(zone.zone)}[/bold] {terminal_text(zone.name)}{marker}", highlight=False
        )
        for reason in zone.reasons:
            console.print(
                f"      - {terminal_text(reason.text.get(lang))} {_ref(reason.reference, lang)}{_links(reason.findings, label)}",
                highlight=False,
            )
    if zoning.findings:
        console.print(f"  [bold]{label['zoning_findings']}[/bold]")
    for finding in zoning.findings:
        console.print(_finding_line(finding, lang, label), highlight=False)

    heading("requirements", len(change_review.requirements))
    for requirement in change_review.requirements:
        console.print(
            f"  [bold]{label[requirement.change]}[/bold] [bold]{terminal_text(requirement.id)}[/bold] [dim]{value('scope', str(requirement.scope), lang)} · {terminal_text(requirement.viewpoint)}[/dim] {_ref(requirement.reference, lang)}",
            highlight=False,
        )
        if requirement.change == "changed" and requirement.text_before is not None:
            console.print(
                f"      {label['before']}: {terminal_text(requirement.text_before.get(lang))}", highlight=False
            )
        shown = requirement.text_after or requirement.text_before
        if shown is not None:
            prefix = f"{label['after']}: " if requirement.change == "changed" else ""
            console.print(
                f"      {prefix}{terminal_text(shown.get(lang))}{_links(requirement.findings, label)}", highlight=False
            )

    heading("threats", len(change_review.threats))
    for finding in change_review.threats:
        console.print(_finding_line(finding, lang, label), highlight=False)
    if change_review.measures:
        console.print(f"  [bold]{label['measures']}[/bold]")
    for measure in change_review.measures:
        state = label["in_place"] if measure.in_place else label["missing"]
        console.print(
            f"   • [bold]{terminal_text(measure.measure)}[/bold] {terminal_text(measure.title.get(lang))} ({state}) {_ref(measure.reference, lang)}{_links(measure.findings, label)}",
            highlight=False,
        )

    heading(
        "stakeholders",
        len(change_review.stakeholders) + len(change_review.checklists) + len(change_review.responsibilities),
    )
    for party in change_review.stakeholders:
        kind = party.kind_title.get(lang) if party.kind_title else party.kind
        console.print(
            f"  [bold]{label['new']}[/bold] [bold]{terminal_text(party.party)}[/bold] {terminal_text(party.name)} [dim]({terminal_text(kind)})[/dim] {_ref(party.reference, lang)}\n"
            f"      {label['brings']}: {terminal_text(', '.join(party.brings) or '-')}; {label['checklists']}: {terminal_text(', '.join(party.checklists) or '-')}{_links(party.findings, label)}",
            highlight=False,
        )
    if change_review.checklists:
        console.print(f"  [bold]{label['checklists']}[/bold]")
    for checklist in change_review.checklists:
        progress = label["answered"].format(a=checklist.answered, n=len(checklist.items))
        console.print(
            f"   • [bold]{terminal_text(checklist.title.get(lang))}[/bold] — {terminal_text(checklist.subject)}: {terminal_text(checklist.reason.get(lang))} ({progress}) {_ref(checklist.reference, lang)}{_links(checklist.findings, label)}",
            highlight=False,
        )
    if change_review.responsibilities:
        console.print(f"  [bold]{label['responsibilities']}[/bold]")
    for boundary in change_review.responsibilities:
        settled = (
            f"{label['settled']}: {', '.join(boundary.settled_areas)}" if boundary.settled_areas else label["unsettled"]
        )
        console.print(
            f"   • [bold]{terminal_text(boundary.subject)}[/bold] {terminal_text(boundary.reason.get(lang))} ({terminal_text(settled)}) {_ref(boundary.reference, lang)}{_links(boundary.findings, label)}",
            highlight=False,
        )

    heading("bcp", len(change_review.bcp))
    for item in change_review.bcp:
        state = f"[green]{label['covered']}[/green]" if item.covered else f"[yellow]{label['not_covered']}[/yellow]"
        console.print(
            f"  [bold]{terminal_text(item.viewpoint)}[/bold] {terminal_text(item.title.get(lang))} — {state} {_ref(item.reference, lang)}\n      {terminal_text(item.reason.get(lang))}{_links(item.findings, label)}",
            highlight=False,
        )

    zones = len(zoning.zones_to_review)
    flows = sum(1 for f in change_review.data_flows if f.change == "added")
    console.print(
        "\n"
        + label["summary"].format(
            e=len(change_review.elements),
            f=flows,
            z=zones,
            r=len(change_review.requirements),
            t=len(change_review.threats) + len(zoning.findings),
            b=len(change_review.bcp),
        ),
        highlight=False,
    )


def review_json(change_review: ChangeReview) -> str:
    """The review as pretty JSON (the ``ChangeReview`` model dumped), stable key order."""
    return json.dumps(change_review.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"

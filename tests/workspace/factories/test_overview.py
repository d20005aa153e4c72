"""The factory's first page: each model section by its title and the guideline step that asks for it, and where the
analysis stands."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.sections import SECTION_TITLES
from factorysec.workspace.factories.store import SECTIONS
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db
FACTORY = "/f/annex-a-factory"


def _rows(page: str) -> dict[str, tuple[str, str, str]]:
    """Per section key: its title, guideline reference and element count, as the overview's table shows them."""
    found = re.findall(
        r'<tr><td><a href="/f/annex-a-factory/s/([a-z_]+)/">([^<]+)</a> <code class="muted">\1</code></td>'
        r'<td class="muted">([^<]*)</td><td>(\d+)</td></tr>',
        page,
    )
    return {key: (title, reference, count) for key, title, reference, count in found}


def test_every_section_has_a_title_and_a_reference() -> None:
    assert set(SECTION_TITLES) == set(SECTIONS)
    assert all(entry.reference for entry in SECTION_TITLES.values())


def test_the_overview_names_each_section_by_its_title_and_step(admin_client_: Client, annex_a: Factory) -> None:
    rows = _rows(admin_client_.get(f"{FACTORY}/").text)
    assert list(rows) == list(SECTIONS)
    assert rows["assets"] == ("Protected objects", "Steps 1-4, 1-5, Table 3-3", "24")
    assert rows["ooda_roles"] == ("OODA role division", "Step 3, Tables 3-7, 3-8", "0")
    assert rows["checklist_answers"][:2] == ("Checklist answers", "Step 3, Tables 3-10 to 3-12")
    # The appendix's 3.3 has parts (1) and (2) only; its PDCA cycle is Figure 3-4 (as the S3-PDCA rules cite it).
    assert rows["reviews"][:2] == ("PDCA reviews", "Step 3, Appendix 3.3, Figure 3-4")


def test_in_japanese_the_titles_are_japanese(admin_client_: Client, annex_a: Factory) -> None:
    admin_client_.cookies["django_language"] = "ja"
    rows = _rows(admin_client_.get(f"{FACTORY}/").text)
    assert rows["assets"][:2] == ("保護対象", "ステップ1-4・1-5、表3-3")
    assert rows["reviews"][1] == "ステップ3、別冊3.3、図3-4"
    assert all("Step" not in reference and "Table" not in reference for _, reference, _ in rows.values()), rows
    assert rows["zones"][0] == "ゾーン"
    assert rows["factory"][0] == "工場"
    assert all(re.search(r"[ぁ-んァ-ヶ一-龯]", title) for title, _, _ in rows.values()), rows


def test_section_and_element_pages_are_headed_by_the_title(admin_client_: Client, annex_a: Factory) -> None:
    listing = admin_client_.get(f"{FACTORY}/s/assets/").text
    assert re.search(r"<h1>Protected objects <span class=\"muted\">Steps 1-4, 1-5, Table 3-3</span></h1>", listing)
    element = admin_client_.get(f"{FACTORY}/s/assets/e/agv/").text
    assert "<h1>Protected objects / agv " in element
    new = admin_client_.get(f"{FACTORY}/s/zones/new/").text
    assert "New element in Zones</h1>" in new


def test_the_overview_says_where_the_analysis_stands(admin_client_: Client, annex_a: Factory) -> None:
    before = admin_client_.get(f"{FACTORY}/").text
    status = re.search(r'<section id="analysis-status">(.*?)</section>', before, re.S)
    assert status is not None
    assert "No analysis has finished yet." in status.group(1)
    assert f'href="{FACTORY}/analysis/"' in status.group(1)

    assert admin_client_.post(f"{FACTORY}/analysis/").status_code == 302  # the test queue runs the job at once
    after = admin_client_.get(f"{FACTORY}/").text
    status = re.search(r'<section id="analysis-status">(.*?)</section>', after, re.S)
    assert status is not None
    assert re.search(r"\d+ findings, \d+ risks, \d+ requirements", status.group(1)), status.group(1)
    assert f'href="{FACTORY}/results/"' in status.group(1)


def test_a_member_who_may_not_see_results_is_not_shown_the_analysis(annex_a: Factory) -> None:
    vendor = client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))
    page = vendor.get(f"{FACTORY}/")
    assert page.status_code == 200
    assert 'id="analysis-status"' not in page.text


def test_a_vendor_is_told_how_many_elements_it_sees_not_how_many_the_factory_has(annex_a: Factory) -> None:
    """The overview gave a vendor the factory's own counts (24 protected objects, 4 parties) beside lists that show it
    2 and 1: how big the plant and its supplier base are is not the vendor's to read."""
    vendor = client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))
    page = vendor.get(f"{FACTORY}/").text
    counts = dict(
        re.findall(r"<code class=\"muted\">(\w+)</code></td><td class=\"muted\">[^<]*</td><td>(\d+)</td>", page)
    )
    assert counts == {"parties": "1", "assets": "2", "checklist_answers": "0", "responsibilities": "0"}, counts
    listed = vendor.get(f"{FACTORY}/s/assets/").text
    assert "(2 elements)" in listed


def test_management_reads_each_sections_size_on_the_overview(annex_a: Factory) -> None:
    """Management sees the overview (Table 1-1: the overview and the analysis) but no section's list: its overview was a
    table head with no rows. It now lists each section and its size, without links to lists it may not open."""
    management = client_for(make_member(annex_a, Role.MANAGEMENT))
    page = management.get(f"{FACTORY}/").text
    counts = dict(
        re.findall(r"<code class=\"muted\">(\w+)</code></td><td class=\"muted\">[^<]*</td><td>(\d+)</td>", page)
    )
    assert counts["assets"] == "24" and counts["zones"] == "6" and set(counts) == set(SECTIONS)
    assert f'href="{FACTORY}/s/' not in page
    assert management.get(f"{FACTORY}/s/assets/").status_code == 403


def test_a_list_of_one_element_says_element(annex_a: Factory) -> None:
    """A vendor's list of its one party read 'Page 1 of 1 (1 elements)'."""
    vendor = client_for(make_member(annex_a, Role.VENDOR, "line-vendor"))
    assert "Page 1 of 1 (1 element)" in vendor.get(f"{FACTORY}/s/parties/").text
    assert "Page 1 of 1 (2 elements)" in vendor.get(f"{FACTORY}/s/assets/").text
    vendor.cookies["django_language"] = "ja"
    assert "1 ページ中 1 ページ目（1 件）" in vendor.get(f"{FACTORY}/s/parties/").text

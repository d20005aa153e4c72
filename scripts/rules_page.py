"""Write docs/rules.md from the rule registry (run after adding or changing a rule: python scripts/rules_page.py)."""

from __future__ import annotations

from pathlib import Path

from factorysec.rules_page import render_rules_page

PAGE = Path(__file__).resolve().parent.parent / "docs" / "rules.md"

if __name__ == "__main__":
    PAGE.write_text(render_rules_page(), encoding="utf-8")
    print(f"wrote {PAGE}")

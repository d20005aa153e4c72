"""The comparison of two assessments as one self-contained HTML page (style inline, no script, nothing from the network)."""

from __future__ import annotations

import base64
import hashlib

from jinja2 import Environment, PackageLoader, StrictUndefined

from factorysec.analysis.compare import Comparison
from factorysec.report.compare_labels import LABELS, word
from factorysec.report.glossary import reference, value
from factorysec.report.html_text import add_text_filters

STYLE = """
body { font-family: "Noto Sans CJK JP", "Noto Sans", sans-serif; margin: 2rem auto; max-width: 70rem; color: #212121; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #cfd8dc; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; } th, td { border: 1px solid #cfd8dc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eceff1; } td:nth-child(3), td:nth-child(4) { white-space: nowrap; } .meta { color: #546e7a; } .ref { color: #546e7a; font-size: 0.85em; }
.level-critical { color: #ad1457; font-weight: bold; } .level-high { color: #ef6c00; font-weight: bold; } .level-medium { color: #9e7700; } .level-low { color: #558b2f; }
.up { color: #c62828; } .down { color: #2e7d32; } .summary td { font-size: 1.1rem; text-align: center; }
body, table .long { overflow-wrap: anywhere; } table { overflow-wrap: normal; }
"""


def render_comparison_html(comparison: Comparison, lang: str) -> str:
    """The page as text; a Content-Security-Policy allows only its own inline style."""
    env = Environment(
        loader=PackageLoader("factorysec.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    add_text_filters(env)
    env.filters["word"] = lambda value: word(lang, value)
    env.filters["ref"] = lambda text: reference(text, lang)
    env.filters["value"] = lambda raw, vocabulary: value(vocabulary, str(raw), lang)
    digest = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; style-src 'sha256-{digest}'"
    return env.get_template("compare.html.j2").render(
        c=comparison, L=LABELS[lang], lang=lang, style=STYLE, policy=policy
    )

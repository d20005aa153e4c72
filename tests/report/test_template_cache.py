"""The report templates compiled at install time: read back instead of compiled, never stale, never written at run time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment

from factorysec.report import template_cache
from factorysec.report.html import template_environment
from factorysec.report.pdf import summary_environment
from factorysec.report.template_cache import (
    InstalledBytecodeCache,
    compile_templates,
    environment_flavour,
    use_installed_templates,
)


def _environment(templates: dict[str, str], folder: Path, *, writable: bool = False, **options: Any) -> Environment:
    return use_installed_templates(Environment(loader=DictLoader(templates), **options), folder, writable=writable)


def _forbid_compiling(monkeypatch: pytest.MonkeyPatch, environment: Environment) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled, where the installed code should have been read")

    monkeypatch.setattr(environment, "compile", refuse)


def test_installed_templates_are_read_not_compiled_and_render_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = compile_templates(tmp_path)
    html, pdf = template_environment("en"), summary_environment("en")
    names = {"report.html.j2", "_macros.html.j2", "_zone.html.j2", "zone.html.j2", "step.html.j2", "report.css"}
    assert len(written) >= len(names) + 1
    for environment, name in [*((html, name) for name in names), (pdf, "summary_pdf.html.j2")]:
        use_installed_templates(environment, tmp_path)
        _forbid_compiling(monkeypatch, environment)
        environment.get_template(name)  # raises if it had to compile
    fresh = Environment(loader=DictLoader({"page": "{% for x in items %}<{{ x }}>{% endfor %}\n"}))
    cached = _environment(dict(fresh.loader.mapping), tmp_path, writable=True)  # type: ignore[union-attr]
    cached.get_template("page")
    reread = _environment(dict(fresh.loader.mapping), tmp_path)  # type: ignore[union-attr]
    _forbid_compiling(monkeypatch, reread)
    assert reread.get_template("page").render(items=["a", "&"]) == fresh.get_template("page").render(items=["a", "&"])


def test_a_changed_template_is_compiled_anew(tmp_path: Path) -> None:
    _environment({"page": "old {{ x }}"}, tmp_path, writable=True).get_template("page")
    assert _environment({"page": "new {{ x }}"}, tmp_path).get_template("page").render(x=1) == "new 1"


def test_environments_with_other_compile_options_do_not_share_code(tmp_path: Path) -> None:
    source = {"page": "{% if true %}\n  x\n{% endif %}\n"}
    _environment(source, tmp_path, writable=True, trim_blocks=True, lstrip_blocks=True).get_template("page")
    plain = _environment(source, tmp_path)
    assert plain.get_template("page").render() == Environment(loader=DictLoader(source)).get_template("page").render()
    assert environment_flavour(plain) != environment_flavour(Environment(trim_blocks=True, lstrip_blocks=True))
    assert environment_flavour(Environment(autoescape=True)) != environment_flavour(Environment())


def test_nothing_is_written_at_run_time(tmp_path: Path) -> None:
    environment = _environment({"page": "{{ x }}"}, tmp_path / "cache")
    assert environment.get_template("page").render(x=2) == "2"
    assert not (tmp_path / "cache").exists()


def test_an_unreadable_cache_file_is_compiled_over(tmp_path: Path) -> None:
    _environment({"page": "{{ x }}!"}, tmp_path, writable=True).get_template("page")
    (stored,) = tmp_path.glob("*.cache")
    stored.write_bytes(stored.read_bytes()[:40])  # truncated inside its checksum or code
    assert _environment({"page": "{{ x }}!"}, tmp_path).get_template("page").render(x=3) == "3!"
    stored.write_bytes(b"not a cache file")
    assert _environment({"page": "{{ x }}!"}, tmp_path).get_template("page").render(x=4) == "4!"


def test_the_key_is_the_name_and_flavour_not_the_path() -> None:
    cache = InstalledBytecodeCache("flavour")
    assert cache.get_cache_key("page", "/a/page") == cache.get_cache_key("page", "/b/page")
    assert cache.get_cache_key("page") != InstalledBytecodeCache("other").get_cache_key("page")


def test_the_command_compiles_into_the_folder_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert template_cache.main([str(tmp_path)]) == 0
    assert f"into {tmp_path}" in capsys.readouterr().out
    assert any(tmp_path.glob(f"{environment_flavour(template_environment('en'))}-*.cache"))
    assert not list(tmp_path.glob(".*.tmp"))


def test_report_md_is_compiled_with_its_escaping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """report.md's environment escapes every printed value (``finalize``): its templates are compiled with it, under
    a flavour of their own, and read back without compiling."""
    from factorysec.report.markdown import _environment as markdown_environment

    compile_templates(tmp_path)
    markdown = markdown_environment()
    assert environment_flavour(markdown) != environment_flavour(
        Environment(
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            loader=markdown.loader,
        )
    )
    use_installed_templates(markdown, tmp_path)
    _forbid_compiling(monkeypatch, markdown)
    markdown.get_template("report.md.j2")  # raises if it had to compile
    escaped = _environment({"page": "{{ x }}"}, tmp_path, writable=True, finalize=lambda value: f"[{value}]")
    assert escaped.get_template("page").render(x="a") == "[a]"
    assert _environment({"page": "{{ x }}"}, tmp_path).get_template("page").render(x="a") == "a"


def test_report_md_environment_reads_the_installed_templates() -> None:
    """The environment report.md renders with reads the package's compiled templates, read-only, under its own flavour."""
    from factorysec.report.markdown import _environment as markdown_environment

    markdown = markdown_environment()
    cache = markdown.bytecode_cache
    assert isinstance(cache, InstalledBytecodeCache)
    assert cache.folder == template_cache.CACHE_FOLDER
    assert cache.flavour == environment_flavour(markdown)
    assert not cache.writable
